import { describe, expect, it, vi } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import { THEME_KEY, initTheme } from '../theme';
import { Events, type Location } from '../api/types.gen';

const demo: Location = { id: 'demo', url: '/data/demo-org', path: 'catalog-info.yaml', status: 'ok', headCommit: 'abcdef0123', lastSyncAt: '2026-01-01T00:00:00Z', entities: 30, processingErrors: 0 };
/** The settings of a fresh data dir, as the fake holds them. */
const defaults = new FakeTransport().settingsValue;
const broken: Location = { id: 'broken', url: 'https://git.example/broken.git', path: 'catalog-info.yaml', status: 'error', lastError: 'repository not found', entities: 0, processingErrors: 0 };

describe('Settings page', () => {
  it('shows the instance', async () => {
    renderApp('/settings', new FakeTransport([], {}, [demo]));
    expect((await screen.findByTestId('app-version')).textContent).toBe('1.2.3');
    expect(screen.getByText('/data')).toBeTruthy();
  });

  it('opens the About dialog with the build and the bundled licenses', async () => {
    const licenses = { go: [{ name: 'golang.org/x/text', version: 'v0.43.0', license: 'BSD-3-Clause', text: 'Copyright The Go Authors' }], npm: [{ name: 'react', version: '19.3.1', license: 'MIT', text: '' }] };
    const fetchMock = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify(licenses)));
    try {
      renderApp('/settings', new FakeTransport([], {}, [demo]));
      await userEvent.click(await screen.findByRole('button', { name: 'Version and licenses' }, { timeout: 5000 }));
      const dialog = screen.getByRole('dialog', { name: 'Callboard 1.2.3' });
      expect(within(dialog).getByTestId('about-commit').textContent).toBe('abc123');
      expect(within(dialog).getByTestId('about-wails').textContent).toBe('v2.13.0');
      expect(within(dialog).getByTestId('about-store-format').textContent).toBe('3');
      expect(await within(dialog).findByText('golang.org/x/text', {}, { timeout: 5000 })).toBeTruthy();
      expect(within(dialog).getByRole('region', { name: 'npm packages' }).textContent).toContain('react');
      expect(fetchMock).toHaveBeenCalledWith('licenses.json');
      await userEvent.keyboard('{Escape}');
      expect(screen.queryByRole('dialog')).toBeNull();
    } finally {
      fetchMock.mockRestore();
    }
  });

  it('lists the locations and syncs one', async () => {
    const t = new FakeTransport([], {}, [demo, broken]);
    const sync = vi.spyOn(t, 'sync');
    renderApp('/locations', t);
    expect(await screen.findByText('repository not found')).toBeTruthy();
    expect(screen.getByText('abcdef0')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Sync broken now' }));
    await waitFor(() => expect(sync).toHaveBeenCalledWith('broken'));
    await userEvent.click(screen.getByRole('button', { name: /Sync all/ }));
    await waitFor(() => expect(sync).toHaveBeenLastCalledWith(''));
  });

  it('turns the notification of every new problem of a location on and off', async () => {
    const t = new FakeTransport([], {}, [demo, broken]);
    renderApp('/locations', t);
    const bell = await screen.findByRole('button', { name: 'Notify every new problem of broken' });
    await waitFor(() => expect(bell.getAttribute('aria-pressed')).toBe('false'));
    await userEvent.click(bell);
    await waitFor(() => expect(t.notificationsValue.locations).toEqual(['broken']));
    await waitFor(() => expect(bell.getAttribute('aria-pressed')).toBe('true'));
    await userEvent.click(bell);
    await waitFor(() => expect(t.notificationsValue.locations).toEqual([]));
  });

  it('turns the notifications of owned entities off in Settings', async () => {
    const t = new FakeTransport([], {}, [demo]);
    t.notificationsValue = { ...t.notificationsValue, locations: ['demo'] };
    renderApp('/settings', t);
    const toggle = await screen.findByRole<HTMLInputElement>('switch', { name: 'Notify new problems in entities I own' }, { timeout: 5000 });
    expect(toggle.checked).toBe(true);
    expect(screen.getByTestId('notify-locations').textContent).toContain('for demo');
    await userEvent.click(toggle);
    await waitFor(() => expect(t.notificationsValue.ownedByMe).toBe(false));
    await waitFor(() => expect(toggle.checked).toBe(false));
  });

  it('turns a kind of notification on in Settings, saying which are on by default', async () => {
    const t = new FakeTransport([], {}, [demo]);
    renderApp('/settings', t);
    const ci = await screen.findByRole<HTMLInputElement>('switch', { name: 'CI failed on a service I own' }, { timeout: 5000 });
    expect(ci.checked).toBe(false);
    expect(screen.getByTestId('notify-kind-ci-failed').textContent).toContain('Off by default');
    expect(screen.getByTestId('notify-kind-template-run').textContent).toContain('On by default');
    await userEvent.click(ci);
    await waitFor(() => expect(t.notificationsValue.kinds.find((k) => k.kind === 'ci-failed')?.on).toBe(true));
    await waitFor(() => expect(ci.checked).toBe(true));
  });

  it('adds a location and syncs it, and removes one after confirming', async () => {
    const stale: Location = { ...demo, id: 'stale', status: 'stale', staleSince: '2026-01-01T01:00:00Z', lastError: 'dial tcp: connection refused' };
    const t = new FakeTransport([], {}, [stale]);
    const sync = vi.spyOn(t, 'sync');
    renderApp('/locations', t);
    expect(await screen.findByText(/showing the entities of the last good sync/)).toBeTruthy();

    const form = within(screen.getByRole('form', { name: 'Add a location' }));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: /Add location/ }).disabled).toBe(true);
    await userEvent.type(form.getByLabelText('Repository'), 'https://git.example/org/payments.git');
    await userEvent.type(form.getByLabelText('Branch'), 'main');
    await userEvent.click(screen.getByRole('button', { name: /Add location/ }));
    await waitFor(() => expect(t.added).toEqual([{ url: 'https://git.example/org/payments.git', branch: 'main', path: undefined }]));
    await waitFor(() => expect(sync).toHaveBeenCalledWith('added'));
    expect(await screen.findByText('added')).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Repository').value).toBe('');

    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await userEvent.click(screen.getByRole('button', { name: 'Remove stale' }));
    expect(t.removed).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Remove stale' }));
    await waitFor(() => expect(t.removed).toEqual(['stale']));
    confirm.mockRestore();
  });

  it('shows the repositories a catalog lists under it, and what it did not follow', async () => {
    const root: Location = {
      ...demo,
      id: 'root',
      refused: [{ file: 'catalog-info.yaml', line: 7, field: 'spec.targets.2', message: 'target https://git.example/org/root/blob/main/x.yaml is not followed: it would loop' }],
    };
    const svc: Location = { ...demo, id: 'svc', path: '', url: 'https://git.example/org/svc.git', listedBy: ['root'], derived: true, roots: ['api.yaml', 'catalog-info.yaml'] };
    const lib: Location = { ...demo, id: 'lib', path: '', url: 'https://git.example/org/lib.git', listedBy: ['svc'], derived: true, roots: ['catalog-info.yaml'] };
    renderApp('/locations', new FakeTransport([], {}, [lib, svc, root, broken]));
    await screen.findByText('svc');
    const ids = [...document.querySelectorAll('.location-id')].map((e) => e.textContent);
    expect(ids).toEqual(['root', 'svc', 'lib', 'broken']);
    expect(screen.getByText(/Not followed: catalog-info.yaml:7: target .* it would loop/)).toBeTruthy();
    expect(screen.getByText('listed by root')).toBeTruthy();
    expect(screen.getByText(/api\.yaml, catalog-info\.yaml/)).toBeTruthy();
    const remove = screen.getByRole<HTMLButtonElement>('button', { name: 'Remove svc' });
    expect(remove.disabled).toBe(true);
    expect(remove.title).toContain('remove its target there');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Remove root' }).disabled).toBe(false);
  });

  it('shows why a location cannot be added', async () => {
    const t = new FakeTransport([], {}, [demo]);
    t.addLocation = async () => {
      throw new Error('/nowhere is not a directory (give a git repository\'s URL or its local path): invalid request');
    };
    renderApp('/locations', t);
    await userEvent.type(await screen.findByLabelText('Repository'), '/nowhere');
    await userEvent.click(screen.getByRole('button', { name: /Add location/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('/nowhere is not a directory');
  });

  it('shows a progress bar while a location syncs', async () => {
    const t = new FakeTransport([], {}, [demo]);
    renderApp('/locations', t);
    await screen.findByText('demo');
    act(() => t.emit(Events.SyncProgress, { locationId: 'demo', phase: 'fetch', done: 0, total: 0 }));
    expect(screen.getByRole('progressbar', { name: 'Fetching…' })).toBeTruthy();
    act(() => t.emit(Events.SyncProgress, { locationId: 'demo', phase: 'process', done: 120, total: 800 }));
    const bar = screen.getByRole('progressbar', { name: 'Reading catalog files 120 / 800' });
    expect(bar.getAttribute('aria-valuenow')).toBe('120');
    act(() => t.emit(Events.SyncDone, { locationId: 'demo', commit: 'abc' }));
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
  });

  it('saves the background sync interval', async () => {
    const t = new FakeTransport([], {}, [demo]);
    renderApp('/locations', t);
    const select = await screen.findByLabelText<HTMLSelectElement>('Background sync interval');
    await waitFor(() => expect(select.value).toBe('5'));
    await userEvent.selectOptions(select, 'every hour');
    await waitFor(() => expect(t.settingsValue).toEqual({ ...defaults, syncIntervalMinutes: 60 }));
    expect(select.value).toBe('60');
  });

  it('saves the editor and terminal commands', async () => {
    const t = new FakeTransport();
    renderApp('/settings', t);
    const card = within(await screen.findByTestId('tools-settings'));
    await userEvent.type(card.getByLabelText('Editor command'), 'subl -n');
    await userEvent.click(card.getByRole('button', { name: 'Save' }));
    // Only the field changed is written; the terminal command stays as it was.
    await waitFor(() => expect(t.settingsValue).toEqual({ ...defaults, editor: 'subl -n' }));
    expect((await card.findByRole('status')).textContent).toBe('Saved.');
  });

  it('saves the trusted git hosts', async () => {
    const t = new FakeTransport();
    renderApp('/settings', t);
    const card = within(await screen.findByTestId('trusted-hosts'));
    await userEvent.type(card.getByLabelText('Hosts'), 'github.com{enter}git.example:8443');
    await userEvent.click(card.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(t.settingsValue.trustedGitHosts).toEqual(['github.com', 'git.example:8443']));
    expect((await card.findByRole('status')).textContent).toBe('Saved.');
  });

  it('shows where each git host\'s token comes from, and how to give one', async () => {
    const t = new FakeTransport();
    t.credentials = [
      { host: 'git.example', uses: ['trusted'], kind: 'none', source: 'none', hint: 'store an https token in the OS keyring with `callboard token set git.example`', problems: ['git credential helper: no answer within 5s'] },
      { host: 'github.com', uses: ['location', 'remote read'], kind: 'gh', source: 'GitHub CLI token for github.com', problems: [] },
    ];
    const calls = vi.spyOn(t, 'credentialSources');
    renderApp('/settings', t);
    const gh = within(await screen.findByTestId('credential-github.com'));
    expect(gh.getByText('using: GitHub CLI token for github.com')).toBeTruthy();
    expect(gh.getByText('location, remote read')).toBeTruthy();
    const none = within(screen.getByTestId('credential-git.example'));
    expect(none.getByText('no token')).toBeTruthy();
    expect(none.getByText(/To give it one: store an https token .*callboard token set git.example/)).toBeTruthy();
    expect(none.getByText('Not asked: git credential helper: no answer within 5s')).toBeTruthy();
    const card = within(screen.getByTestId('credentials'));
    await userEvent.click(card.getByRole('button', { name: /Check again/ }));
    await waitFor(() => expect(calls).toHaveBeenCalledTimes(2));
  });

  it('says when there is no git host yet', async () => {
    renderApp('/settings', new FakeTransport());
    expect(await within(await screen.findByTestId('credentials')).findByText(/No git host yet/)).toBeTruthy();
  });

  it('saves the hosts placeholders may read from', async () => {
    const t = new FakeTransport();
    renderApp('/settings', t);
    const card = within(await screen.findByTestId('remote-read-hosts'));
    await userEvent.type(card.getByLabelText('Hosts'), 'specs.example.com');
    await userEvent.click(card.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(t.settingsValue.remoteReadHosts).toEqual(['specs.example.com']));
    expect(t.settingsValue.trustedGitHosts).toEqual([]);
  });

  it('switches the theme', async () => {
    initTheme();
    renderApp('/settings', new FakeTransport());
    await userEvent.click(screen.getByRole('radio', { name: /Dark/ }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(window.localStorage.getItem(THEME_KEY)).toBe('dark');
    await userEvent.click(screen.getByRole('radio', { name: /System/ }));
    expect(window.localStorage.getItem(THEME_KEY)).toBe('system');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: /System/ }).checked).toBe(true);
  });

  it('shows a conflict with both versions and keeps mine', async () => {
    const t = new FakeTransport([], {}, [{ ...demo, conflicts: 1, unpushed: 1 }]);
    t.outboxEntries = [
      { id: 'demo/1', locationId: 'demo', commit: 'c1', message: 'Describe alpha', author: 'Me', paths: ['a.yaml'], createdAt: '2026-01-01T00:00:00Z', state: 'pending', lastError: 'dial tcp: connection refused', lastTry: '2026-01-01T00:00:00Z' },
      {
        id: 'demo/2', locationId: 'demo', commit: 'c2', message: 'Own b', author: 'Me', paths: ['b.yaml'], createdAt: '2026-01-01T00:00:00Z', state: 'conflict',
        branch: 'callboard/conflict/main/20260101-000000-c2', conflict: [{ path: 'b.yaml', base: 'owner: a\n', mine: 'owner: mine\n', theirs: 'owner: theirs\n' }],
      },
    ];
    renderApp('/locations', t);
    expect(await screen.findByText('1 commit not pushed yet')).toBeTruthy();
    expect(screen.getByText('1 conflict')).toBeTruthy();
    expect(await screen.findByText(/failed: dial tcp: connection refused/)).toBeTruthy();
    expect(screen.getByLabelText('My version of b.yaml').textContent).toBe('owner: mine\n');
    expect(screen.getByLabelText("The remote's version of b.yaml").textContent).toBe('owner: theirs\n');
    expect(screen.getByText('callboard/conflict/main/20260101-000000-c2')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Keep mine' }));
    await waitFor(() => expect(t.resolved).toEqual([['demo/2', 'mine']]));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Keep mine' })).toBeNull());
  });

  it('registers a new component through the outbox', async () => {
    const t = new FakeTransport([], {}, [demo]);
    renderApp('/locations', t);
    await userEvent.click(await screen.findByRole('button', { name: /Register component/ }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Register a component' }));
    const path = dialog.getByLabelText('File in the repository');
    await userEvent.clear(path);
    await userEvent.type(path, 'services/new/catalog-info.yaml');
    await userEvent.click(dialog.getByRole('button', { name: /Commit/ }));
    await waitFor(() => expect(t.writes.map((w) => [w.locationId, w.path, w.message])).toEqual([['demo', 'services/new/catalog-info.yaml', 'Register my-service']]));
    expect(t.writes[0]?.content).toContain('kind: Component');
    expect(await screen.findByText('Register my-service')).toBeTruthy();
  });

  it('keeps a toolkit of links for Home', async () => {
    const t = new FakeTransport([], {}, [demo]);
    t.settingsValue = { ...t.settingsValue, welcomeDismissed: true };
    renderApp('/settings', t);
    const card = within(await screen.findByTestId('toolkit-settings'));
    await userEvent.type(card.getByLabelText('Link title'), 'Grafana');
    await userEvent.type(card.getByLabelText('Link URL'), 'https://grafana.example/');
    await userEvent.click(card.getByRole('button', { name: /Add link/ }));
    await waitFor(() => expect(t.settingsValue.toolkit).toEqual([{ title: 'Grafana', url: 'https://grafana.example/' }]));
    await userEvent.click(screen.getByTestId('nav-home'));
    const toolkit = within(await screen.findByTestId('home-toolkit'));
    expect(toolkit.getByRole('link', { name: /Grafana/ }).getAttribute('href')).toBe('https://grafana.example/');
  });
});
