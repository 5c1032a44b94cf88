import { beforeAll, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail } from '../api/types.gen';

const gateway = summary('Component', 'gateway', { type: 'service' });
const detail: EntityDetail = {
  ...gateway,
  entity: { metadata: { name: 'gateway' } },
  relations: [],
  source: { locationId: 'teams', file: 'teams/gateway.yaml', line: 1, commit: '0123456789abcdef' },
  yaml: 'kind: Component\n',
};

// cmdk measures its list and scrolls the selected item into view: jsdom has neither.
beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  Element.prototype.scrollIntoView ??= function scrollIntoView() {};
});

async function typeInPalette(text: string) {
  await userEvent.keyboard('{Control>}k{/Control}');
  await userEvent.type(await screen.findByPlaceholderText('Jump to an entity by name…'), text);
}

describe('CommandPalette', () => {
  const cases = [
    { name: 'a page by its name', typed: 'settings', want: '/settings' },
    { name: 'a page by a word of its name', typed: 'problems', want: '/problems' },
    { name: "this entity's tab", typed: 'graph', want: '/catalog/component/default/gateway?tab=graph' },
    { name: "this entity's docs before the Docs page", typed: 'docs', want: '/catalog/component/default/gateway?tab=docs' },
    { name: 'an entity when no command matches', typed: 'gateway', want: '/catalog/component/default/gateway' },
  ];
  for (const c of cases) {
    it(`Enter opens ${c.name}`, async () => {
      renderApp('/catalog/component/default/gateway?tab=yaml', new FakeTransport([gateway], { [gateway.ref]: detail }));
      await screen.findByTestId('entity-title');
      await typeInPalette(c.typed);
      await waitFor(() => expect(screen.getByRole('option', { selected: true })).toBeTruthy());
      await userEvent.keyboard('{Enter}');
      await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(c.want));
    });
  }

  it('lists pages with nothing typed, and no tabs away from an entity', async () => {
    renderApp('/catalog', new FakeTransport([gateway]));
    await userEvent.keyboard('{Control>}k{/Control}');
    expect(await screen.findByRole('option', { name: 'Settings' })).toBeTruthy();
    expect(screen.queryByRole('option', { name: 'Graph tab' })).toBeNull();
  });

  it('opens a Stack Overflow question in the browser, with its badge', async () => {
    const t = new FakeTransport([gateway]);
    t.search = async () => ({
      total: 1,
      facets: {},
      hits: [{ type: 'plugin', ref: '', kind: '', name: 'stackoverflow', title: 'How do I sync a fork?', path: 'https://stackoverflow.com/questions/7244321', score: 1 }],
    });
    const opened = vi.spyOn(window, 'open').mockReturnValue(null);
    renderApp('/catalog', t);
    await typeInPalette('fork');
    const option = await screen.findByRole('option', { name: /How do I sync a fork/ });
    expect(within(option).getByTestId('source-badge').textContent).toBe('Stack Overflow');
    await waitFor(() => expect(screen.getByRole('option', { selected: true })).toBe(option));
    await userEvent.keyboard('{Enter}');
    expect(opened).toHaveBeenCalledWith('https://stackoverflow.com/questions/7244321', '_blank', 'noopener,noreferrer');
    expect(screen.getByTestId('location').textContent).toBe('/catalog');
    opened.mockRestore();
  });
});
