import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { PluginView } from './PluginView';
import type { PluginRadar } from './radarModel';

const radar: PluginRadar = {
  title: 'Our radar',
  quadrants: [
    { id: 'languages', name: 'Languages' },
    { id: 'tools', name: 'Tools' },
    { id: 'platforms', name: 'Platforms' },
    { id: 'techniques', name: 'Techniques' },
  ],
  rings: [
    { id: 'adopt', name: 'Adopt', color: '' },
    { id: 'hold', name: 'Hold', color: '' },
  ],
  entries: [
    { id: 'go', number: 1, title: 'Go', quadrantId: 'languages', ringId: 'adopt', moved: 'RADAR_MOVE_IN', description: 'Our **default**.', url: '/catalog/component/default/payments', links: [{ title: 'Docs', url: 'https://go.dev' }], date: '' },
    { id: 'perl', number: 2, title: 'Perl', quadrantId: 'languages', ringId: 'hold', moved: 'RADAR_MOVE_OUT', description: 'Leaving it.', url: 'javascript:alert(1)', links: [], date: '' },
  ],
  highlighted: [],
};

function Where() {
  return <p data-testid="where">{useLocation().pathname}</p>;
}

function show() {
  return render(
    <MemoryRouter initialEntries={['/plugins/techradar/radar']}>
      <Routes>
        <Route path="*" element={<PluginView view={{ id: 'v', title: 'Radar', placement: 'PLACEMENT_CARD', blocks: [{ radar }] }} />} />
      </Routes>
      <Where />
    </MemoryRouter>,
  );
}

describe('PluginRadar', () => {
  it('draws numbered blips, each a tab stop named for screen readers, and a legend per quadrant', () => {
    show();
    const blips = screen.getAllByTestId('radar-blip');
    expect(blips.map((b) => b.getAttribute('aria-label'))).toEqual(['1. Go, Adopt, moved in', '2. Perl, Hold, moved out']);
    expect(blips.every((b) => b.getAttribute('tabindex') === '0')).toBe(true);
    // Only a safe address makes a blip a link.
    expect(blips.map((b) => b.getAttribute('role'))).toEqual(['link', 'img']);
    const legends = screen.getAllByTestId('radar-legend');
    expect(legends.map((l) => within(l).getByRole('heading', { level: 3 }).textContent)).toEqual(['Tools', 'Platforms', 'Languages', 'Techniques']);
    expect(within(legends[2]!).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Go · moved in', 'Perl · moved out']);
  });

  it('shows a blip’s title and description on focus, and opens it with Enter', async () => {
    show();
    const user = userEvent.setup();
    const detail = screen.getByTestId('radar-detail');
    expect(detail.textContent).toContain('Point at or focus a blip');
    await user.tab();
    expect(document.activeElement).toBe(screen.getAllByTestId('radar-blip')[0]);
    expect(within(detail).getByRole('heading').textContent).toContain('1. Go');
    expect(within(detail).getByText('default').tagName).toBe('STRONG');
    await user.hover(screen.getAllByTestId('radar-blip')[1]!);
    expect(detail.textContent).toContain('Leaving it.');
    // A script address is no link: Enter on it goes nowhere.
    screen.getAllByTestId('radar-blip')[1]!.focus();
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('where').textContent).toBe('/plugins/techradar/radar');
    screen.getAllByTestId('radar-blip')[0]!.focus();
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('where').textContent).toBe('/catalog/component/default/payments');
  });

  it('says so when the block is no radar, and the rest of the view stays', () => {
    render(
      <MemoryRouter>
        <PluginView view={{ id: 'v', title: 'Radar', placement: 'PLACEMENT_CARD', blocks: [{ radar: { ...radar, quadrants: [] } }, { heading: { text: 'After' } }] }} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('note').textContent).toContain('cannot be drawn');
    expect(screen.getByRole('heading', { name: 'After' })).toBeTruthy();
  });
});
