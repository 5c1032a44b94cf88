import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail } from '../api/types.gen';

const payments: EntityDetail = {
  ...summary('Component', 'payments', {
    title: 'Payments Service',
    description: 'Takes money',
    owner: 'group:default/payments-team',
    system: 'system:default/checkout',
    type: 'service',
    lifecycle: 'production',
    tags: ['go'],
  }),
  entity: { metadata: { name: 'payments', links: [{ url: 'https://dash.example/payments', title: 'Dashboard' }, { title: 'no url' }] } },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/payments-team' },
    { type: 'dependsOn', targetRef: 'resource:default/payments-db' },
    { type: 'dependsOn', targetRef: 'component:default/ledger' },
    { type: 'dependsOn', targetRef: 'component:default/gone', missing: true },
  ],
  source: { locationId: 'demo', file: 'services/payments/catalog-info.yaml', line: 3, commit: '0123456789abcdef' },
  yaml: 'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
};

function portal() {
  return new FakeTransport([], { [payments.ref]: payments });
}

describe('Entity page', () => {
  it('shows the header, about, relations and YAML', async () => {
    renderApp('/catalog/component/default/payments', portal());
    expect((await screen.findByTestId('entity-title')).textContent).toBe('Payments Service');
    expect(screen.getByText('component:default/payments')).toBeTruthy();

    const about = within(screen.getByTestId('entity-about'));
    expect(about.getByText('Takes money')).toBeTruthy();
    expect(about.getByRole('link', { name: 'payments-team' }).getAttribute('href')).toBe('/catalog/group/default/payments-team');
    expect(about.getByRole('link', { name: 'checkout' }).getAttribute('href')).toBe('/catalog/system/default/checkout');
    expect(about.getByRole('link', { name: /Dashboard/ }).getAttribute('href')).toBe('https://dash.example/payments');
    expect(about.queryByText('no url')).toBeNull();
    expect(about.getByText('services/payments/catalog-info.yaml:3')).toBeTruthy();
    expect(about.getByText('0123456')).toBeTruthy();

    const relations = within(screen.getByRole('region', { name: 'Relations' }));
    expect(relations.getByText('Depends on')).toBeTruthy();
    expect(relations.getByText('owned by')).toBeTruthy();
    expect(relations.getByRole('link', { name: 'resource:default/payments-db' }).getAttribute('href')).toBe('/catalog/resource/default/payments-db');
    expect(relations.getByRole('link', { name: 'component:default/ledger' })).toBeTruthy();
    expect(relations.queryByRole('link', { name: 'component:default/gone' })).toBeNull();
    expect(relations.getByText('component:default/gone').getAttribute('title')).toBe('No location provides this entity');
    expect(relations.getByText('missing')).toBeTruthy();

    await userEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    expect(screen.getByTestId('location').textContent).toBe('/catalog/component/default/payments?tab=yaml');
    expect(within(screen.getByRole('region', { name: 'services/payments/catalog-info.yaml:3' })).getByText(/apiVersion: backstage.io\/v1alpha1/)).toBeTruthy();
  });

  it('renders an OpenAPI definition with its operations', async () => {
    const api: EntityDetail = {
      ...summary('API', 'payments-api', { type: 'openapi' }),
      entity: {
        spec: {
          definition:
            'openapi: 3.0.0\ninfo: {title: Payments, version: 1.2.0}\npaths:\n  /payments:\n    post: {summary: Take a payment, tags: [payments], responses: {"201": {description: Created}}}\ncomponents:\n  schemas:\n    Payment: {type: object, properties: {amount: {type: integer}}}\n',
        },
      },
      relations: [{ type: 'apiProvidedBy', targetRef: 'component:default/payments' }],
      source: { locationId: 'demo', file: 'apis/payments.yaml', line: 1, commit: 'abc' },
      yaml: '',
    };
    renderApp('/catalog/api/default/payments-api?tab=definition', new FakeTransport([], { [api.ref]: api }));
    const doc = within(await screen.findByTestId('openapi'));
    expect(doc.getByText('Payments')).toBeTruthy();
    expect(doc.getByText('POST')).toBeTruthy();
    expect(doc.getByText('/payments')).toBeTruthy();
    expect(doc.getByText('Take a payment')).toBeTruthy();
    expect(doc.getByText('Payment')).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: 'Overview' }));
    expect(within(screen.getByRole('region', { name: 'Relations' })).getByText('Providers')).toBeTruthy();
  });

  it('says when the newest version was refused and this is the last good one', async () => {
    const t = new FakeTransport([], {
      [payments.ref]: { ...payments, errors: [{ file: 'services/payments/catalog-info.yaml', line: 9, column: 3, field: 'spec.lifecycle', message: 'is required' }] },
    });
    renderApp('/catalog/component/default/payments', t);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The newest version of this entity was refused');
    expect(alert.textContent).toContain('services/payments/catalog-info.yaml:9:3 spec.lifecycle is required');
  });

  it('says when its remote parts are copies kept offline, and how old', async () => {
    const readAt = new Date(Date.now() - 3 * 3600 * 1000).toISOString();
    const t = new FakeTransport([], {
      [payments.ref]: { ...payments, remote: { urls: ['https://specs.example/api.yaml'], readAt, stale: 'https://specs.example/api.yaml: specs.example cannot be reached' } },
    });
    renderApp('/catalog/component/default/payments', t);
    const status = await screen.findByText(/Definition from cache of/);
    expect(status.textContent).toBe('Definition from cache of 3 hours ago');
    expect(status.closest('.banner')?.textContent).toContain('specs.example cannot be reached');
  });

  it('says when its remote parts were read', async () => {
    const readAt = new Date(Date.now() - 5 * 60 * 1000).toISOString();
    const t = new FakeTransport([], { [payments.ref]: { ...payments, remote: { urls: ['https://specs.example/api.yaml'], readAt } } });
    renderApp('/catalog/component/default/payments', t);
    expect((await screen.findByText(/Parts of this entity were read from/)).textContent).toBe('Parts of this entity were read from https://specs.example/api.yaml 5 minutes ago.');
  });

  it('offers no editor for an entity read by URL, which no repository holds', async () => {
    const readAt = new Date(Date.now() - 5 * 60 * 1000).toISOString();
    const file = 'https://files.example/catalog/teams.yaml';
    const t = new FakeTransport([], { [payments.ref]: { ...payments, source: { ...payments.source, file }, remote: { urls: [file], readAt } } });
    renderApp('/catalog/component/default/payments', t);
    expect(await screen.findByText(`${file}:${payments.source.line}`)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Edit/ })).toBeNull();
  });

  it('says clearly when the entity does not exist', async () => {
    renderApp('/catalog/component/default/ghost', portal());
    expect(await screen.findByText('Entity not found')).toBeTruthy();
    expect(screen.getByText('component:default/ghost')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Back to the catalog/ }).getAttribute('href')).toBe('/catalog');
    expect(screen.queryByTestId('entity-about')).toBeNull();
  });

  it('shows other errors with a retry', async () => {
    const t = portal();
    t.failWith = 'database is locked';
    renderApp('/catalog/component/default/payments', t);
    expect((await screen.findByRole('alert')).textContent).toContain('database is locked');
    expect(screen.getByRole('button', { name: /Try again/ })).toBeTruthy();
  });

  it('edits the source file and commits it locally', async () => {
    const t = portal();
    t.files['demo:services/payments/catalog-info.yaml'] = 'kind: Component\n';
    renderApp('/catalog/component/default/payments', t);
    await userEvent.click(await screen.findByRole('button', { name: /Edit/ }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Edit services/payments/catalog-info.yaml' }));
    const text = await dialog.findByLabelText<HTMLTextAreaElement>('File contents');
    expect(text.value).toBe('kind: Component\n');
    await userEvent.type(text, 'x: 1');
    expect(dialog.getByLabelText<HTMLInputElement>('Commit message').value).toBe('Update payments');
    await userEvent.click(dialog.getByRole('button', { name: /Commit/ }));
    await waitFor(() =>
      expect(t.writes).toEqual([{ locationId: 'demo', path: 'services/payments/catalog-info.yaml', content: 'kind: Component\nx: 1', message: 'Update payments' }]),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('opens the editor at once when asked in the URL (the Problems page\'s Edit)', async () => {
    const t = portal();
    t.files['demo:services/payments/catalog-info.yaml'] = 'kind: Component\n';
    renderApp('/catalog/component/default/payments?edit=1', t);
    expect(await screen.findByRole('dialog', { name: 'Edit services/payments/catalog-info.yaml' })).toBeTruthy();
  });

  it('keeps the editor open with the reason when the catalog refuses the change', async () => {
    const t = portal();
    t.files['demo:services/payments/catalog-info.yaml'] = 'kind: Component\n';
    t.refuse = ['broken', 'invalid request: refused: services/payments/catalog-info.yaml:2:1: spec.owner: is required'];
    renderApp('/catalog/component/default/payments', t);
    await userEvent.click(await screen.findByRole('button', { name: /Edit/ }));
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.type(await dialog.findByLabelText('File contents'), 'broken');
    await userEvent.click(dialog.getByRole('button', { name: /Commit/ }));
    expect((await dialog.findByRole('alert')).textContent).toContain('catalog-info.yaml:2:1: spec.owner: is required');
    expect(t.writes).toEqual([]);
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('marks an entity whose change is not pushed yet', async () => {
    const t = new FakeTransport([], { [payments.ref]: { ...payments, pending: true } });
    renderApp('/catalog/component/default/payments', t);
    expect(await screen.findByText('not pushed yet')).toBeTruthy();
  });

  it('shows the history of the entity with the fields each commit changed', async () => {
    const t = portal();
    t.histories[payments.ref] = {
      locationId: 'loc',
      versions: [
        { commit: 'bbbbbbb1', author: 'Ana', when: '2026-01-02T00:00:00Z', message: 'Move payments to production', changes: [{ path: 'spec.lifecycle', old: 'experimental', new: 'production' }] },
        { commit: 'aaaaaaa1', author: 'Ben', when: '2026-01-01T00:00:00Z', message: 'Add payments', changes: [{ path: 'metadata.name', new: 'payments' }] },
      ],
    };
    renderApp('/catalog/component/default/payments?tab=history', t);
    const history = within(await screen.findByTestId('entity-history'));
    expect(history.getByText('Move payments to production')).toBeTruthy();
    expect(history.getByText('spec.lifecycle')).toBeTruthy();
    expect(history.getByText('experimental').className).toBe('diff-old');
    expect(history.getAllByText('production')[0]?.className).toBe('diff-new');
    expect(history.getByText(/Ben/)).toBeTruthy();
    expect(screen.queryByText(/Only the latest commit/)).toBeNull();
  });

  it('says when only the latest commit is on this laptop and fetches the rest', async () => {
    const t = portal();
    t.histories[payments.ref] = {
      locationId: 'acme-payments',
      shallow: true,
      versions: [{ commit: 'ccccccc1', author: 'Ana', when: '2026-01-03T00:00:00Z', message: 'Tidy payments', boundary: true, changes: [{ path: 'metadata.name', new: 'payments' }] }],
    };
    renderApp('/catalog/component/default/payments?tab=history', t);
    expect(await screen.findByText(/Only the latest commit is on this laptop/)).toBeTruthy();
    expect(screen.getByText(/Older commits are not on this laptop/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Fetch full history' }));
    await waitFor(() => expect(screen.queryByText(/Only the latest commit/)).toBeNull());
    expect(t.deepened).toEqual(['acme-payments']);
  });
});
