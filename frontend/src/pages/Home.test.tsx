import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { Location } from '../api/types.gen';

const demo: Location = { id: 'demo', url: '/data/demo-org', path: 'catalog-info.yaml', status: 'ok', entities: 40, processingErrors: 0 };
const mine: Location = { id: 'platform', url: 'https://git.example/platform.git', path: 'catalog-info.yaml', status: 'ok', entities: 3, processingErrors: 0 };

afterEach(() => vi.restoreAllMocks());

describe('Home on first run', () => {
  it('welcomes with the ways in and the demo, labelled', async () => {
    renderApp('/', new FakeTransport([], {}, [demo]));
    const welcome = await screen.findByTestId('home-welcome');
    for (const name of [/Add your organisation/, /Add a repository/, /Open a folder/, /Explore the demo organisation/]) {
      expect(within(welcome).getByRole('button', { name })).toBeTruthy();
    }
    expect(within(welcome).getByRole('form', { name: 'Add your organisation' })).toBeTruthy();
    expect(screen.getByTestId('demo-banner').textContent).toContain('You are exploring the demo organisation');
    expect(screen.queryByTestId('home-starred')).toBeNull();
  });

  it('switches between the forms, and leaves once the user adds a location', async () => {
    const t = new FakeTransport([], {}, [demo]);
    renderApp('/', t);
    const welcome = await screen.findByTestId('home-welcome');
    await userEvent.click(within(welcome).getByRole('button', { name: /Add a repository/ }));
    expect(within(welcome).getByRole('form', { name: 'Add a location' })).toBeTruthy();
    await userEvent.click(within(welcome).getByRole('button', { name: /Open a folder/ }));
    const form = within(welcome).getByRole('form', { name: 'Open a folder' });
    await userEvent.type(within(form).getByLabelText('Folder'), '/home/ada/src/platform');
    await userEvent.click(within(form).getByRole('button', { name: /Open folder/ }));
    await waitFor(() => expect(t.added).toEqual([{ url: '/home/ada/src/platform', path: '**/catalog-info.yaml' }]));
    await waitFor(() => expect(t.synced).toEqual(['added']));
    // A location of the user's own: Home is Home again.
    expect(await screen.findByTestId('home-starred')).toBeTruthy();
  });

  it('exploring the demo leaves the welcome for good and opens the catalog', async () => {
    const t = new FakeTransport([summary('Component', 'ferry-booking', { locationId: 'demo' })], {}, [demo]);
    renderApp('/', t);
    await userEvent.click(await screen.findByTestId('welcome-explore-demo'));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/catalog'));
    expect(t.settingsValue.welcomeDismissed).toBe(true);
    const row = await screen.findByRole('link', { name: /ferry-booking/ });
    expect(within(row).getByTestId('demo-badge')).toBeTruthy();
  });

  it('shows Home without the welcome once dismissed, with the demo banner', async () => {
    const t = new FakeTransport([], {}, [demo]);
    t.settingsValue = { ...t.settingsValue, welcomeDismissed: true };
    renderApp('/', t);
    await screen.findByTestId('home-starred');
    expect(screen.queryByTestId('home-welcome')).toBeNull();
    expect(screen.getByTestId('demo-banner')).toBeTruthy();
  });

  it('shows no welcome and no banner once the user has their own catalog and no demo', async () => {
    renderApp('/', new FakeTransport([], {}, [mine]));
    await screen.findByTestId('home-starred');
    expect(screen.queryByTestId('home-welcome')).toBeNull();
    expect(screen.queryByTestId('demo-banner')).toBeNull();
  });

  it('removes the demo from the banner after a confirmation', async () => {
    const t = new FakeTransport([], {}, [demo, mine]);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    renderApp('/', t);
    const banner = await screen.findByTestId('demo-banner');
    await userEvent.click(within(banner).getByRole('button', { name: 'Remove it' }));
    expect(t.removed).toEqual([]);
    await userEvent.click(within(banner).getByRole('button', { name: 'Remove it' }));
    await waitFor(() => expect(t.removed).toEqual(['demo']));
    await waitFor(() => expect(screen.queryByTestId('demo-banner')).toBeNull());
    expect(confirm).toHaveBeenCalledTimes(2);
  });

  it('offers to bring the demo back in the welcome once it was removed', async () => {
    const t = new FakeTransport([], {}, []);
    t.settingsValue = { ...t.settingsValue, demoRemoved: true };
    renderApp('/', t);
    await userEvent.click(await screen.findByRole('button', { name: /Bring back the demo organisation/ }));
    await waitFor(() => expect(t.locations.map((l) => l.id)).toEqual(['demo']));
    await waitFor(() => expect(t.synced).toEqual(['demo']));
  });
});

describe('The demo, labelled', () => {
  it('marks the demo location on the Locations page', async () => {
    renderApp('/locations', new FakeTransport([], {}, [demo, mine]));
    const item = (await screen.findByText('demo')).closest('li')!;
    expect(within(item).getByTestId('demo-badge')).toBeTruthy();
    const other = screen.getByText('platform').closest('li')!;
    expect(within(other).queryByTestId('demo-badge')).toBeNull();
  });

  it('restores the demo from Settings', async () => {
    const t = new FakeTransport([], {}, [mine]);
    t.settingsValue = { ...t.settingsValue, demoRemoved: true };
    renderApp('/settings', t);
    const card = await screen.findByTestId('settings-demo');
    await userEvent.click(await within(card).findByRole('button', { name: 'Restore the demo' }));
    await waitFor(() => expect(t.locations.map((l) => l.id)).toEqual(['platform', 'demo']));
    expect(await within(card).findByRole('button', { name: 'Remove the demo' })).toBeTruthy();
  });
});

describe('The update notice', () => {
  it('tells of a newer release until closed for that version', async () => {
    const t = new FakeTransport([], {}, [mine]);
    t.updateStatus = { ...t.updateStatus, latest: 'v1.4.0', newer: true, url: 'https://example.com/r', notesHtml: '<h2>New</h2>' };
    renderApp('/', t);
    const notice = await screen.findByTestId('update-notice');
    expect(notice.textContent).toContain('Callboard v1.4.0 is out');
    await userEvent.click(within(notice).getByRole('button', { name: 'Dismiss the notice of v1.4.0' }));
    await waitFor(() => expect(screen.queryByTestId('update-notice')).toBeNull());
    expect(t.settingsValue.dismissedUpdate).toBe('v1.4.0');
  });

  it('stays quiet when the check is off or nothing is newer', async () => {
    const t = new FakeTransport([], {}, [mine]);
    t.updateStatus = { ...t.updateStatus, latest: 'v1.4.0', newer: true };
    t.settingsValue = { ...t.settingsValue, updateCheck: false };
    renderApp('/', t);
    await screen.findByTestId('home-starred');
    expect(screen.queryByTestId('update-notice')).toBeNull();
  });

  it('turns the check off, checks now and shows the notes in Settings', async () => {
    const t = new FakeTransport([], {}, [mine]);
    t.updateStatus = { ...t.updateStatus, latest: 'v1.4.0', newer: true, notesHtml: '<h2>Faster sync</h2>' };
    renderApp('/settings', t);
    const card = await screen.findByTestId('settings-updates');
    expect(await within(card).findByRole('heading', { name: 'Faster sync' })).toBeTruthy();
    await userEvent.click(within(card).getByRole('button', { name: /Check now/ }));
    await waitFor(() => expect(t.updateChecks).toBe(1));
    await userEvent.click(within(card).getByRole('switch', { name: 'Check for updates' }));
    await waitFor(() => expect(t.settingsValue.updateCheck).toBe(false));
  });
});
