import { beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail } from '../api/types.gen';

// cmdk measures its list and scrolls the selected item into view: jsdom has neither.
beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  Element.prototype.scrollIntoView ??= function scrollIntoView() {};
});

const radarPage = { plugin: 'techradar', id: 'radar', title: 'Tech Radar', icon: 'radar', navOrder: 10, path: '/plugins/techradar/radar' };

function portal() {
  const t = new FakeTransport();
  t.pluginPageList = [radarPage];
  t.pluginPageContent['techradar/radar'] = {
    plugin: 'techradar',
    id: 'radar',
    title: 'Tech Radar',
    subtitle: 'From demo:techradar.yaml',
    durationMs: 3,
    blocks: [{ heading: { text: 'Highlighted' } }, { table: { columns: ['Entry'], rows: [{ cells: [{ text: 'Go', status: 'STATUS_NONE', url: '' }] }] } }],
  };
  return t;
}

describe('Plugin pages', () => {
  it('has a navigation entry per plugin page, leading to the page drawn from its blocks with the query handed over', async () => {
    const t = portal();
    renderApp('/', t);
    const nav = await screen.findByTestId('nav-plugins');
    const link = within(nav).getByRole('link', { name: 'Tech Radar' });
    expect(link.getAttribute('href')).toBe('/plugins/techradar/radar');
    await userEvent.setup().click(link);
    expect(await screen.findByRole('heading', { name: 'Highlighted' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tech Radar');
    expect(screen.getByTestId('plugin-page').textContent).toContain('From the techradar plugin · From demo:techradar.yaml');
    expect(screen.getByRole('cell', { name: 'Go' })).toBeTruthy();
  });

  it('passes the address’s query to the plugin', async () => {
    const t = portal();
    renderApp('/plugins/techradar/radar?entity=component%3Adefault%2Fpayments&x=1', t);
    await screen.findByRole('heading', { name: 'Highlighted' });
    expect(t.pluginPageCalls.at(-1)).toEqual({ plugin: 'techradar', page: 'radar', params: { entity: 'component:default/payments', x: '1' } });
  });

  it('says why when the plugin cannot answer, and when there is no such page', async () => {
    const t = portal();
    t.pluginPageContent['techradar/radar'] = { plugin: 'techradar', id: 'radar', title: '', durationMs: 5000, blocks: [], error: 'it did not answer within 5s' };
    const { unmount } = renderApp('/plugins/techradar/radar', t);
    expect((await screen.findByTestId('plugin-page-unavailable')).textContent).toBe('plugin unavailable: it did not answer within 5s');
    unmount();
    renderApp('/plugins/techradar/nope', t);
    expect(await screen.findByText('No such plugin page')).toBeTruthy();
  });

  it('lists plugin pages in the command palette by name', async () => {
    const t = portal();
    renderApp('/', t);
    await screen.findByTestId('nav-plugins');
    await userEvent.keyboard('{Control>}k{/Control}');
    await userEvent.type(await screen.findByPlaceholderText('Jump to an entity by name…'), 'radar');
    await waitFor(() => expect(screen.getByRole('option', { selected: true }).textContent).toBe('Tech Radar'));
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/plugins/techradar/radar'));
  });
});

const payments: EntityDetail = {
  ...summary('Component', 'payments', { title: 'Payments Service' }),
  entity: { metadata: { name: 'payments' } },
  relations: [],
  source: { locationId: 'demo', file: 'catalog-info.yaml', line: 1, commit: '0123456789abcdef' },
  yaml: '',
};

describe('Entity plugin actions', () => {
  function entityPortal() {
    const t = new FakeTransport([], { [payments.ref]: payments });
    t.entityActionList[payments.ref] = [
      { plugin: 'techradar', id: 'show-on-radar', title: 'Show on radar' },
      { plugin: 'kubernetes', id: 'restart', title: 'Restart rollout', confirmation: 'Restart every pod of payments?' },
    ];
    return t;
  }

  it('opens a menu from the keyboard and runs an action, showing its notice', async () => {
    const t = entityPortal();
    t.entityActionResult = { notice: 'Restarted', status: 'ok', blocks: [] };
    renderApp('/catalog/component/default/payments', t);
    const button = await screen.findByTestId('entity-plugin-actions');
    const user = userEvent.setup();
    button.focus();
    await user.keyboard('{ArrowDown}');
    const items = screen.getAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual(['Show on radar', 'Restart rollout']);
    expect(document.activeElement).toBe(items[0]);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(items[1]);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);

    // The plugin asked for a confirmation: nothing runs before it.
    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Restart rollout' });
    expect(dialog.textContent).toContain('Restart every pod of payments?');
    expect(t.entityActionRuns).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Restart rollout' }));
    expect((await screen.findByTestId('plugin-action-toast')).textContent).toContain('Restarted');
    expect(t.entityActionRuns).toEqual([{ ref: payments.ref, call: { plugin: 'kubernetes', action: 'restart' } }]);
  });

  it('goes where the action says', async () => {
    const t = entityPortal();
    t.entityActionResult = { notice: 'On the radar: Go', status: 'ok', blocks: [], openUrl: '/plugins/techradar/radar?entity=component%3Adefault%2Fpayments' };
    renderApp('/catalog/component/default/payments', t);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('entity-plugin-actions'));
    await user.click(screen.getByRole('menuitem', { name: 'Show on radar' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toContain('/plugins/techradar/radar'));
  });

  it('shows nothing when no plugin offers anything', async () => {
    const t = new FakeTransport([], { [payments.ref]: payments });
    renderApp('/catalog/component/default/payments', t);
    await screen.findByTestId('entity-title');
    expect(screen.queryByTestId('entity-plugin-actions')).toBeNull();
  });
});
