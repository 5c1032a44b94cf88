import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail, EntityInspection } from '../api/types.gen';

const ref = 'component:default/gateway';
const detail: EntityDetail = {
  ...summary('Component', 'gateway', { type: 'service' }),
  entity: { metadata: { name: 'gateway' } },
  relations: [],
  source: { locationId: 'teams', file: 'teams/payments.yaml', line: 8, commit: '0123456789abcdef' },
  yaml: 'kind: Component\n',
};

const inspection: EntityInspection = {
  ref,
  ancestry: [
    { kind: 'location', locationId: 'teams', file: 'catalog-info.yaml', url: 'https://git.example/teams' },
    { kind: 'locationEntity', locationId: 'teams', file: 'catalog-info.yaml', line: 1, entityRef: 'location:default/root', target: './teams/locations.yaml', localFile: '/src/teams/catalog-info.yaml' },
    { kind: 'locationEntity', locationId: 'teams', file: 'teams/locations.yaml', line: 2, entityRef: 'location:default/teams', target: './payments.yaml' },
    { kind: 'file', locationId: 'teams', file: 'teams/payments.yaml', line: 8, url: 'https://git.example/teams/blob/main/teams/payments.yaml' },
  ],
  colocated: { file: [summary('Component', 'ledger')], location: [summary('Component', 'ledger'), summary('Location', 'root')], locationTotal: 3 },
  processed: {
    entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'gateway', annotations: { 'backstage.io/managed-by-location': 'url:https://git.example/teams/blob/main/teams/payments.yaml' } }, spec: { owner: 'payments' }, relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }] },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
    annotations: { 'backstage.io/view-url': 'https://git.example/teams/blob/main/teams/payments.yaml' },
    errors: [],
    fileErrors: [],
    commit: '0123456789abcdef',
    syncedAt: '2026-01-01T00:00:00Z',
  },
  raw: { file: 'teams/payments.yaml', commit: '0123456789abcdef', line: 7, yaml: '# The gateway.\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: gateway\nspec:\n  owner: payments\n' },
};

class Inspected extends FakeTransport {
  inspected: string[] = [];
  async inspectEntity(r: string): Promise<EntityInspection> {
    this.inspected.push(r);
    return inspection;
  }
}

describe('Inspector', () => {
  it('opens from the entity page and shows each tab', async () => {
    const t = new Inspected([], { [ref]: detail });
    renderApp('/catalog/component/default/gateway', t);
    await userEvent.click(await screen.findByRole('button', { name: /Inspect/ }));
    expect(screen.getByTestId('location').textContent).toBe('/catalog/component/default/gateway?inspect=1');
    const dialog = within(await screen.findByRole('dialog', { name: `Inspect ${ref}` }));

    const steps = await dialog.findAllByTestId('ancestry-step');
    expect(steps.map((s) => s.textContent)).toEqual([
      expect.stringMatching(/^Location teams catalog-info.yaml/),
      expect.stringMatching(/^Location entity location:default\/root catalog-info.yaml:1 lists \.\/teams\/locations.yaml/),
      expect.stringMatching(/^Location entity location:default\/teams teams\/locations.yaml:2 lists \.\/payments.yaml/),
      expect.stringMatching(/^This entity teams\/payments.yaml:8/),
    ]);
    expect(dialog.getByRole('link', { name: 'location:default/teams' }).getAttribute('href')).toBe('/catalog/location/default/teams');
    await userEvent.click(dialog.getByRole('button', { name: 'open in editor' }));
    expect(t.opened).toEqual([{ path: '/src/teams/catalog-info.yaml', with: 'editor', line: 1 }]);

    await userEvent.click(dialog.getByRole('tab', { name: 'Colocated' }));
    expect(dialog.getByText(/Same location \(3 others, the first 2 shown\)/)).toBeTruthy();
    expect(dialog.getAllByRole('link', { name: 'component:default/ledger' })).toHaveLength(2);

    await userEvent.click(dialog.getByRole('tab', { name: 'Processed' }));
    expect(dialog.getByLabelText('Processed entity').textContent).toContain('"targetRef": "group:default/payments"');
    expect(dialog.getByText('backstage.io/view-url')).toBeTruthy();

    await userEvent.click(dialog.getByRole('tab', { name: 'Raw YAML' }));
    expect(dialog.getByLabelText('Raw document').textContent).toContain('# The gateway.');

    await userEvent.click(dialog.getByRole('tab', { name: 'Diff' }));
    const diff = dialog.getByLabelText('Diff between raw and processed');
    const added = [...diff.querySelectorAll('.diff-add')].map((l) => l.textContent);
    expect(added).toContain('+ relations:');
    expect(added.some((l) => l?.includes('backstage.io/managed-by-location'))).toBe(true);
    expect(diff.querySelectorAll('.diff-del')).toHaveLength(0);

    await userEvent.click(dialog.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('location').textContent).toBe('/catalog/component/default/gateway');
    expect(t.inspected).toEqual([ref]);
  });

  it('says why there is no raw document', async () => {
    const t = new Inspected([], { [ref]: detail });
    t.inspectEntity = async () => ({ ...inspection, raw: { file: 'users', commit: '', yaml: '', missing: 'the file was read by URL and is not kept in a clone' } });
    renderApp('/catalog/component/default/gateway?inspect=1', t);
    const dialog = within(await screen.findByRole('dialog'));
    await dialog.findAllByTestId('ancestry-step');
    await userEvent.click(dialog.getByRole('tab', { name: 'Diff' }));
    expect(dialog.getByText(/No raw document to compare: the file was read by URL/)).toBeTruthy();
  });
});
