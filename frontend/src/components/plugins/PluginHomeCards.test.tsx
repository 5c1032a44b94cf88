import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { FakeTransport, renderApp } from '../../test/fakes';
import type { Location, PluginContent } from '../../api/types.gen';

const mine: Location = { id: 'platform', url: 'https://git.example/platform.git', path: 'catalog-info.yaml', status: 'ok', entities: 3, processingErrors: 0 };

const radar: PluginContent = {
  plugin: 'techradar',
  version: '1.0.0',
  durationMs: 4,
  views: [
    {
      id: 'radar-changes',
      title: 'Radar changes',
      placement: 'PLACEMENT_CARD',
      blocks: [{ links: { items: [{ title: 'Open the radar (13 entries)', url: '/plugins/techradar/radar' }] } }],
    },
  ],
};
const broken: PluginContent = { plugin: 'pager', version: '1.0.0', durationMs: 5000, views: [], error: 'plugin unavailable: it did not answer within 5s' };
// A view whose block is no object draws what it can: the card is the plugin's alone.
const odd: PluginContent = { plugin: 'odd', version: '1', durationMs: 1, views: [{ id: 'x', title: 'Odd', placement: 'PLACEMENT_CARD', blocks: [null, { table: { columns: 'nope', rows: 7 } }] }] };

describe('Home plugin cards', () => {
  it('shows each plugin’s cards below the built-in ones, a failing plugin saying why on its card only', async () => {
    const t = new FakeTransport([], {}, [mine]);
    t.homeCardContent = [radar, broken, odd];
    renderApp('/', t);
    const card = await screen.findByRole('region', { name: 'Radar changes' });
    expect(within(card).getByRole('link', { name: 'Open the radar (13 entries)' }).getAttribute('href')).toBe('/plugins/techradar/radar');
    const down = screen.getByTestId('home-plugin-unavailable');
    expect(down.textContent).toContain('pager');
    expect(down.textContent).toContain('unavailable: it did not answer within 5s');
    expect(screen.getByRole('region', { name: 'Odd' })).toBeTruthy();
    // After the built-in cards.
    const regions = screen.getAllByRole('region').map((r) => r.getAttribute('aria-label'));
    expect(regions.indexOf('Radar changes')).toBeGreaterThan(regions.indexOf('Locations'));
  });
});
