import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import { Events, type PluginInfo } from '../api/types.gen';

const gitStats: PluginInfo = {
  name: 'git-stats',
  version: '0.3.0',
  description: "Commit activity of the entity's repository",
  builtIn: true,
  enabled: true,
  state: 'running',
  extensionPoints: ['entityContent', 'search'],
  config: [
    { key: 'depth', title: 'History depth', description: 'Days of history to read' },
    { key: 'token', title: 'API token', secret: true },
    { key: 'webhook', title: 'Webhook secret', secret: true },
  ],
  values: { depth: '30' },
  secretsSet: ['token'],
  facts: [
    { name: 'lastCommitAt', type: 'time', description: 'When the default branch last moved' },
    { name: 'contributors', description: 'People who committed in 90 days' },
  ],
  factsRead: { entities: 42, oldest: '2026-01-01T00:00:00Z', newest: '2026-01-02T00:00:00Z' },
};

const ci: PluginInfo = {
  name: 'ci-status',
  version: '1.0.0',
  builtIn: false,
  enabled: true,
  state: 'crashed',
  lastError: 'exit status 2: panic: nil map',
  extensionPoints: ['actions'],
  config: [],
  values: {},
  secretsSet: [],
  facts: [],
  factsRead: { entities: 0 },
};

function portal() {
  const t = new FakeTransport();
  t.pluginList = [gitStats, ci];
  t.pluginLogs['ci-status'] = ['starting', 'panic: nil map'];
  return t;
}

async function row(name: string) {
  await waitFor(() => expect(screen.getAllByTestId('plugin-row').some((r) => r.getAttribute('aria-label') === name)).toBe(true));
  return within(screen.getAllByTestId('plugin-row').find((r) => r.getAttribute('aria-label') === name)!);
}

describe('Settings: plugins', () => {
  it('lists each plugin with its version, built-in tag, state, extension points and error', async () => {
    renderApp('/settings', portal());
    const git = await row('git-stats');
    expect(git.getByText('0.3.0')).toBeTruthy();
    expect(git.getByText('built-in')).toBeTruthy();
    expect(git.getByText('running').className).toContain('badge-good');
    expect(git.getByText("Commit activity of the entity's repository")).toBeTruthy();
    expect(within(git.getByRole('list', { name: 'Extension points' })).getAllByRole('listitem').map((l) => l.textContent)).toEqual(['entity pages', 'search']);
    expect(git.getByRole<HTMLInputElement>('switch', { name: 'Enabled' }).checked).toBe(true);

    const crashed = await row('ci-status');
    expect(crashed.getByText('crashed').className).toContain('badge-bad');
    expect(crashed.getByText('exit status 2: panic: nil map')).toBeTruthy();
    expect(crashed.queryByText('built-in')).toBeNull();
    expect(crashed.queryByRole('form')).toBeNull();
  });

  it('lists the facts a plugin provides, their types, and how many entities they were read for', async () => {
    renderApp('/settings', portal());
    const git = await row('git-stats');
    const table = git.getByRole('table', { name: 'Facts git-stats provides' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['git-stats.lastCommitAt', 'time', 'When the default branch last moved'],
      ['git-stats.contributors', 'not reported yet', 'People who committed in 90 days'],
    ]);
    expect(git.getByTestId('plugin-facts-read').textContent).toMatch(/^Facts kept about 42 entities: oldest read .+, newest .+\.$/);
    const crashed = await row('ci-status');
    expect(crashed.queryByRole('table')).toBeNull();
  });

  it('turns a plugin off with its switch', async () => {
    const t = portal();
    renderApp('/settings', t);
    const git = await row('git-stats');
    await userEvent.click(git.getByRole('switch', { name: 'Enabled' }));
    await waitFor(() => expect(t.pluginChanges).toEqual([{ name: 'git-stats', enabled: false, values: { depth: '30' }, secrets: {} }]));
    await waitFor(() => expect(git.getByRole<HTMLInputElement>('switch', { name: 'Enabled' }).checked).toBe(false));
    expect(git.getByText('disabled')).toBeTruthy();
  });

  it('saves settings and keeps secrets write-only: only changed ones go, none comes back', async () => {
    const t = portal();
    renderApp('/settings', t);
    const git = await row('git-stats');
    const token = git.getByLabelText<HTMLInputElement>('API token');
    expect(token.type).toBe('password');
    expect(token.value).toBe('');
    expect(git.getByText('set')).toBeTruthy();
    expect(git.getByLabelText<HTMLInputElement>('Webhook secret').placeholder).toBe('not set');
    expect(git.queryByRole('button', { name: 'Clear Webhook secret' })).toBeNull();
    expect(git.getByRole<HTMLButtonElement>('button', { name: 'Save' }).disabled).toBe(true);

    const depth = git.getByLabelText<HTMLInputElement>(/History depth/);
    expect(depth.value).toBe('30');
    await userEvent.clear(depth);
    await userEvent.type(depth, '90');
    await userEvent.type(git.getByLabelText('Webhook secret'), 'hunter2');
    await userEvent.click(git.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(t.pluginChanges).toEqual([{ name: 'git-stats', enabled: true, values: { depth: '90' }, secrets: { webhook: 'hunter2' } }]));

    // The returned plugin shows: both secrets set, their values nowhere on the page.
    expect(await git.findByText('Saved.')).toBeTruthy();
    expect(git.getAllByText('set')).toHaveLength(2);
    expect(git.getByLabelText<HTMLInputElement>('Webhook secret').value).toBe('');
    expect(document.body.innerHTML).not.toContain('hunter2');

    await userEvent.click(git.getByRole('button', { name: 'Clear API token' }));
    expect(git.getByText('cleared on save')).toBeTruthy();
    await userEvent.click(git.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(t.pluginChanges.at(-1)).toEqual({ name: 'git-stats', enabled: true, values: { depth: '90' }, secrets: { token: '' } }));
    await waitFor(() => expect(git.queryByRole('button', { name: 'Clear API token' })).toBeNull());
    expect(git.getByLabelText<HTMLInputElement>('API token').placeholder).toBe('not set');
  });

  it('shows why a save failed', async () => {
    const t = portal();
    t.setPlugin = async () => {
      throw new Error('plugin git-stats: depth must be a number');
    };
    renderApp('/settings', t);
    const git = await row('git-stats');
    await userEvent.type(git.getByLabelText(/History depth/), 'x');
    await userEvent.click(git.getByRole('button', { name: 'Save' }));
    expect((await git.findByRole('alert')).textContent).toBe('plugin git-stats: depth must be a number');
  });

  it('loads the log when it is opened', async () => {
    const t = portal();
    renderApp('/settings', t);
    const crashed = await row('ci-status');
    const log = crashed.getByRole('button', { name: 'Log' });
    expect(log.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(log);
    expect(log.getAttribute('aria-expanded')).toBe('true');
    const box = await crashed.findByLabelText('Log of ci-status');
    expect(box.tagName).toBe('PRE');
    expect(box.textContent).toBe('starting\npanic: nil map');

    t.pluginLogs['ci-status'] = ['starting', 'panic: nil map', 'restarted'];
    await userEvent.click(crashed.getByRole('button', { name: /Reload log/ }));
    await waitFor(() => expect(crashed.getByLabelText('Log of ci-status').textContent).toContain('restarted'));

    const git = await row('git-stats');
    await userEvent.click(git.getByRole('button', { name: 'Log' }));
    expect(await git.findByText('Nothing logged yet.')).toBeTruthy();
  });

  it('reloads the list when a plugin changes', async () => {
    const t = portal();
    renderApp('/settings', t);
    const crashed = await row('ci-status');
    expect(crashed.getByText('crashed')).toBeTruthy();
    t.pluginList = [gitStats, { ...ci, state: 'running', lastError: undefined }];
    t.emit(Events.PluginsChanged);
    await waitFor(() => expect(crashed.getByText('running')).toBeTruthy());
    expect(crashed.queryByText('exit status 2: panic: nil map')).toBeNull();
  });

  it('says when no plugin is installed', async () => {
    renderApp('/settings', new FakeTransport());
    expect(await within(await screen.findByTestId('plugins-settings')).findByText('No plugins are installed.')).toBeTruthy();
  });
});
