import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail, EntityInspection, OpenRequest, Unregistration } from '../api/types.gen';

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
    { kind: 'locationEntity', locationId: 'teams', file: 'catalog-info.yaml', line: 1, entityRef: 'location:default/root', target: './teams/*.yaml' },
    { kind: 'file', locationId: 'teams', file: 'teams/payments.yaml', line: 8, localFile: '/src/teams/teams/payments.yaml' },
  ],
  colocated: { file: [], location: [], locationTotal: 0 },
  processed: { entity: {}, relations: [], annotations: {}, errors: [], fileErrors: [], commit: '', syncedAt: '' },
  raw: { file: 'teams/payments.yaml', commit: '', yaml: '' },
};

class Unregistering extends FakeTransport {
  plan: Unregistration = { ref, action: 'delete-file', locationId: 'teams', file: 'teams/payments.yaml', reason: 'commit abc1234 ("Register gateway"), made in Callboard, added it', leaving: [], leavingTotal: 0 };
  calls: boolean[] = [];
  opened: OpenRequest[] = [];
  async unregisterEntity(r: string, dryRun: boolean): Promise<Unregistration> {
    expect(r).toBe(ref);
    this.calls.push(dryRun);
    return dryRun ? this.plan : { ...this.plan, done: true, commit: 'feedbeef' };
  }
  async inspectEntity(): Promise<EntityInspection> {
    return inspection;
  }
  async open(req: OpenRequest): Promise<void> {
    this.opened.push(req);
  }
}

describe('Unregister', () => {
  it('commits the removal of a file registered from the app, then leaves the page', async () => {
    const t = new Unregistering([], { [ref]: detail });
    renderApp('/catalog/component/default/gateway', t);
    await userEvent.click(await screen.findByRole('button', { name: /Unregister/ }));
    const dialog = within(await screen.findByRole('dialog', { name: `Unregister ${ref}` }));
    expect((await dialog.findByTestId('unregister-plan')).textContent).toContain('Commits the removal of teams/payments.yaml through the outbox');
    await userEvent.click(dialog.getByRole('button', { name: /Commit the removal/ }));
    await waitFor(() => expect(t.calls).toEqual([true, false]));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/catalog'));
  });

  it('says what leaves with a location', async () => {
    const t = new Unregistering([], { [ref]: detail });
    t.plan = { ...t.plan, action: 'remove-location', file: 'catalog-info.yaml', reason: 'its file is the root of location teams', leaving: ['location:default/root'], leavingTotal: 1 };
    renderApp('/catalog/component/default/gateway', t);
    await userEvent.click(await screen.findByRole('button', { name: /Unregister/ }));
    const dialog = within(await screen.findByRole('dialog', { name: `Unregister ${ref}` }));
    expect((await dialog.findByTestId('unregister-plan')).textContent).toContain('Removes location teams');
    expect(dialog.getByText(/1 other entity goes with it: location:default\/root/)).toBeTruthy();
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(t.calls).toEqual([true]);
  });

  it('explains how an entity not registered here got here, and opens its file', async () => {
    const t = new Unregistering([], { [ref]: detail });
    t.plan = { ...t.plan, action: 'none', reason: "a Location entity's target reaches its file" };
    renderApp('/catalog/component/default/gateway', t);
    await userEvent.click(await screen.findByRole('button', { name: /Unregister/ }));
    const dialog = within(await screen.findByRole('dialog', { name: `Unregister ${ref}` }));
    expect((await dialog.findByTestId('unregister-plan')).textContent).toContain('Not registered from Callboard');
    expect(await dialog.findAllByTestId('ancestry-step')).toHaveLength(3);
    expect(dialog.queryByRole('button', { name: /Commit the removal|Remove the location/ })).toBeNull();
    await userEvent.click(dialog.getByRole('button', { name: /^Open in editor/ }));
    await waitFor(() => expect(t.opened).toEqual([{ path: '/src/teams/teams/payments.yaml', with: 'editor', line: 8 }]));
    expect(t.calls).toEqual([true]);
  });
});
