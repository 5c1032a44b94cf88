import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import type { Location } from '../api/types.gen';

const demo: Location = { id: 'demo', url: '/data/demo-org', path: 'catalog-info.yaml', status: 'ok', entities: 40, processingErrors: 0 };
const acme: Location = {
  id: 'backstage-acme-example',
  url: 'https://backstage.acme.example',
  path: '',
  status: 'stale',
  entities: 1200,
  processingErrors: 0,
  lastSyncAt: '2026-01-01T00:00:00Z',
  staleSince: '2026-01-02T00:00:00Z',
  lastError: 'the Backstage backend cannot be reached',
  backstage: { baseUrl: 'https://backstage.acme.example', readAt: '2026-01-01T00:00:00Z', requests: 1, changed: 0, removed: 0 },
};

describe('Connecting a Backstage', () => {
  it('connects a Backstage from the Locations page, saying how to store its token, and syncs it', async () => {
    const t = new FakeTransport([], {}, [demo]);
    renderApp('/locations', t);
    const form = await screen.findByRole('form', { name: 'Connect a Backstage' });
    await userEvent.type(within(form).getByLabelText('Backstage'), 'https://backstage.acme.example');
    expect(within(form).getByText('callboard token set backstage.acme.example')).toBeTruthy();
    await userEvent.click(within(form).getByRole('button', { name: /Connect/ }));
    await waitFor(() => expect(t.added).toEqual([{ url: 'https://backstage.acme.example', backstage: true }]));
    await waitFor(() => expect(t.synced).toEqual(['added']));
  });

  it('offers to connect a Backstage on the first-run welcome', async () => {
    const t = new FakeTransport([], {}, [demo]);
    renderApp('/', t);
    const welcome = await screen.findByTestId('home-welcome');
    await userEvent.click(within(welcome).getByRole('button', { name: /Connect a Backstage/ }));
    const form = within(welcome).getByRole('form', { name: 'Connect a Backstage' });
    await userEvent.type(within(form).getByLabelText('Backstage'), 'https://backstage.acme.example');
    await userEvent.click(within(form).getByRole('button', { name: /Connect/ }));
    await waitFor(() => expect(t.added).toEqual([{ url: 'https://backstage.acme.example', backstage: true }]));
  });

  it('shows when an offline Backstage was last read, its entities kept', async () => {
    const t = new FakeTransport([], {}, [acme, demo]);
    renderApp('/locations', t);
    const details = await screen.findByTestId('backstage-details');
    expect(details.textContent).toContain('Read from https://backstage.acme.example');
    expect(details.textContent).toContain('last read');
    expect(await screen.findByText(/Offline since/)).toBeTruthy();
  });

  it('marks a read older than a day as stale, and nests the source clones made for its entities under it', async () => {
    const clone: Location = {
      id: 'billing-source',
      url: 'https://github.com/acme/billing',
      path: '',
      status: 'ok',
      entities: 0,
      processingErrors: 0,
      sourceOf: acme.id,
      unpushed: 1,
    };
    const fresh: Location = { ...acme, id: 'backstage-fresh', status: 'ok', backstage: { baseUrl: 'https://backstage.acme.example', readAt: new Date().toISOString(), requests: 1, changed: 0, removed: 0 } };
    renderApp('/locations', new FakeTransport([], {}, [clone, acme, fresh]));
    const details = await screen.findAllByTestId('backstage-details');
    expect(details.map((d) => d.getAttribute('data-stale'))).toEqual(['true', null]);
    const ids = [...document.querySelectorAll('.location-id')].map((e) => e.textContent);
    expect(ids.indexOf('billing-source')).toBe(ids.indexOf(acme.id) + 1);
    expect(screen.getByText('source clone')).toBeTruthy();
  });
});
