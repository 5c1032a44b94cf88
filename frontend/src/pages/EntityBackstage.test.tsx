import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import { Events, type EntityBackstage, type EntityDetail } from '../api/types.gen';
import { isStaleRead } from '../components/BackstageOrigin';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

const read: EntityBackstage = { baseUrl: 'https://backstage.acme.example', storedAt: hoursAgo(3) };

const fromBackstage: EntityDetail = {
  ...summary('Component', 'billing-svc-1', { type: 'service' }),
  entity: {
    metadata: {
      name: 'billing-svc-1',
      namespace: 'default',
      annotations: {
        'callboard.dev/backstage': 'https://backstage.acme.example',
        'backstage.io/source-location': 'url:https://github.com/acme/billing/tree/main/',
      },
    },
  },
  relations: [],
  source: { locationId: 'backstage-acme-example', file: 'component/default/billing-svc-1.json', line: 1, commit: 'c5a7acc97321' },
  yaml: 'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
  backstage: read,
};

const editable: EntityDetail = {
  ...fromBackstage,
  backstage: { ...read, repo: 'https://github.com/acme/billing', file: 'catalog-info.yaml' },
};

describe('An entity read from a Backstage', () => {
  it('links to it in that Backstage and to its source repository', async () => {
    renderApp('/catalog/component/default/billing-svc-1', new FakeTransport([], { [fromBackstage.ref]: fromBackstage }));
    const link = await screen.findByRole('link', { name: /View in Backstage/ });
    expect(link.getAttribute('href')).toBe('https://backstage.acme.example/catalog/default/component/billing-svc-1');
    expect(screen.getByRole('link', { name: /View source/ }).getAttribute('href')).toBe('https://github.com/acme/billing/tree/main/');
    expect(screen.getByText(/edit it in its source repository/)).toBeTruthy();
    // It names no file it came from: nothing to edit here.
    expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Open in editor/ })).toBeNull();
  });

  it('says on its header when it was last read from the Backstage, stale after a day', async () => {
    const old: EntityDetail = { ...fromBackstage, backstage: { ...read, storedAt: hoursAgo(30) } };
    const { unmount } = renderApp('/catalog/component/default/billing-svc-1', new FakeTransport([], { [fromBackstage.ref]: fromBackstage }));
    const fresh = await screen.findByTestId('backstage-read');
    expect(fresh.textContent).toMatch(/Read from backstage\.acme\.example 3 hours ago/);
    expect(fresh.className).not.toContain('badge-warn');
    unmount();
    renderApp('/catalog/component/default/billing-svc-1', new FakeTransport([], { [old.ref]: old }));
    const stale = await screen.findByTestId('backstage-read');
    expect(stale.textContent).toMatch(/Read from backstage\.acme\.example (yesterday|\d+ hours ago)/);
    expect(stale.className).toContain('badge-warn');
  });

  it('is edited in the YAML editor on its source file, the change going to its repository', async () => {
    const t = new FakeTransport([], { [editable.ref]: editable });
    t.files[`${editable.source.locationId}:${editable.source.file}`] = 'kind: Component\nmetadata:\n  name: billing-svc-1\n';
    renderApp('/catalog/component/default/billing-svc-1', t);
    await userEvent.click(await screen.findByRole('button', { name: /^Edit/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('backstage-edit-note').textContent).toMatch(
      /comes from backstage\.acme\.example; the change goes to https:\/\/github\.com\/acme\/billing \(catalog-info\.yaml\) and Backstage will pick it up at its next refresh/,
    );
    const text = await within(dialog).findByLabelText('File contents');
    await userEvent.type(text, '  description: Bills');
    await userEvent.click(within(dialog).getByRole('button', { name: /Commit/ }));
    await waitFor(() => expect(t.writes).toHaveLength(1));
    expect(t.writes[0]).toMatchObject({ locationId: 'backstage-acme-example', path: 'component/default/billing-svc-1.json' });
    expect(t.writes[0]?.content).toContain('description: Bills');
  });
});

describe("Cloning an entity's source repository on demand", () => {
  it('shows a progress bar and a log while the clone syncs, and nothing once it is done', async () => {
    const t = new FakeTransport([], { [editable.ref]: editable });
    renderApp('/catalog/component/default/billing-svc-1', t);
    await screen.findByRole('link', { name: /View in Backstage/ });
    expect(screen.queryByTestId('source-clone-progress')).toBeNull();
    // Another Backstage's clone and a location's own sync are not this entity's.
    act(() => t.emit(Events.SyncProgress, { locationId: 'other-source', sourceOf: 'backstage-other', phase: 'fetch', done: 0, total: 0 }));
    act(() => t.emit(Events.SyncProgress, { locationId: 'platform', phase: 'fetch', done: 0, total: 0 }));
    expect(screen.queryByTestId('source-clone-progress')).toBeNull();
    act(() => t.emit(Events.SyncProgress, { locationId: 'billing-source', sourceOf: 'backstage-acme-example', phase: 'fetch', done: 0, total: 0 }));
    act(() => t.emit(Events.SyncProgress, { locationId: 'billing-source', sourceOf: 'backstage-acme-example', phase: 'fetch', done: 40, total: 200 }));
    act(() => t.emit(Events.SyncProgress, { locationId: 'billing-source', sourceOf: 'backstage-acme-example', phase: 'process', done: 3, total: 10 }));
    const shown = await screen.findByTestId('source-clone-progress');
    const bar = within(shown).getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('3');
    expect(bar.getAttribute('aria-valuemax')).toBe('10');
    const log = within(shown).getByRole('list', { name: /Log of the clone billing-source/ });
    expect(within(log).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Fetching 40 / 200', 'Reading catalog files 3 / 10']);
    act(() => t.emit(Events.SyncDone, { locationId: 'billing-source', commit: 'abc' }));
    await waitFor(() => expect(screen.queryByTestId('source-clone-progress')).toBeNull());
  });
});

describe('isStaleRead', () => {
  it.each([
    [hoursAgo(1), false],
    [hoursAgo(23), false],
    [hoursAgo(25), true],
    [undefined, true],
    ['not a time', true],
  ])('%s is stale: %s', (at, want) => {
    expect(isStaleRead(at)).toBe(want);
  });
});
