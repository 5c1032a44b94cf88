import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entity, FakeSource, renderField } from '../testing';

const catalog = [
  entity('Component', 'payments', { title: 'Payments API', owner: 'group:default/team-a' }),
  entity('Component', 'ledger', { owner: 'group:default/team-b' }),
  entity('System', 'billing', { title: 'Billing' }),
  entity('System', 'search', { namespace: 'platform' }),
  entity('Group', 'team-a', { title: 'Team A' }),
  entity('Group', 'team-b'),
  entity('User', 'ada', { title: 'Ada Lovelace' }),
];

const input = () => screen.getByRole('combobox');
const options = () => within(screen.getByRole('listbox')).queryAllByRole('option').map((o) => o.textContent);

async function open(user: ReturnType<typeof userEvent.setup>) {
  await user.click(input());
  await waitFor(() => expect(screen.getByRole('listbox').closest('[hidden]')).toBeNull());
}

describe('EntityPicker', () => {
  it('lists the allowed kinds, title over ref, and stores the full ref of the one picked', async () => {
    const source = new FakeSource(catalog);
    const user = userEvent.setup();
    const { value } = renderField({ type: 'string', title: 'System', 'ui:field': 'EntityPicker', 'ui:options': { allowedKinds: ['System'] } }, source);
    expect(screen.getByLabelText('System')).toBe(input());
    await open(user);
    await waitFor(() => expect(options()).toEqual(['Billingsystem:billing', 'system:platform/search']));
    expect(source.lookups[0]!.filter).toEqual({ kind: ['System'] });

    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    await waitFor(() => expect(value()).toBe('system:platform/search'));
    expect((input() as HTMLInputElement).value).toBe('system:platform/search');
    expect(input().getAttribute('aria-expanded')).toBe('false');
  });

  it('filters as the user types, asking the catalog for the name part', async () => {
    const source = new FakeSource(catalog);
    const user = userEvent.setup();
    renderField({ type: 'string', 'ui:field': 'EntityPicker', 'ui:options': { catalogFilter: { kind: 'Component' } } }, source);
    await open(user);
    await waitFor(() => expect(options()).toHaveLength(2));
    await user.type(input(), 'component:default/pay');
    await waitFor(() => expect(options()).toEqual(['Payments APIcomponent:payments']));
    expect(source.lookups.at(-1)).toMatchObject({ filter: { kind: 'Component' }, text: 'pay' });
  });

  it('writes refs without the default kind and namespace, and completes typed ones with them', async () => {
    const source = new FakeSource(catalog);
    const user = userEvent.setup();
    const { value } = renderField(
      { type: 'string', 'ui:field': 'EntityPicker', 'ui:options': { allowedKinds: ['System'], defaultKind: 'System', defaultNamespace: 'platform' } },
      source,
    );
    await open(user);
    await waitFor(() => expect(options()).toEqual(['Billingdefault/billing', 'search']));

    await user.type(input(), 'new-system{Enter}');
    await waitFor(() => expect(value()).toBe('system:platform/new-system'));
    expect((input() as HTMLInputElement).value).toBe('new-system');

    await user.clear(input());
    await user.type(input(), 'group:ops/team{Enter}');
    await waitFor(() => expect(value()).toBe('group:ops/team'));
  });

  it('keeps typed text that is no ref as it is, and clears the value when emptied', async () => {
    const user = userEvent.setup();
    const { value } = renderField({ type: 'string', 'ui:field': 'EntityPicker' }, new FakeSource(catalog));
    await user.type(input(), 'not a ref');
    await user.tab();
    await waitFor(() => expect(value()).toBe('not a ref'));
    await user.clear(input());
    await user.tab();
    await waitFor(() => expect(value()).toBeUndefined());
  });

  it('takes only listed entities when arbitrary values are not allowed', async () => {
    const user = userEvent.setup();
    const { value } = renderField(
      { type: 'string', 'ui:field': 'EntityPicker', 'ui:options': { allowedKinds: ['Component'], allowArbitraryValues: false } },
      new FakeSource(catalog),
      { initial: 'component:default/ledger' },
    );
    expect((input() as HTMLInputElement).value).toBe('component:ledger');
    await user.clear(input());
    await user.type(input(), 'nothing-like-it{Enter}');
    expect(await screen.findByText('“nothing-like-it” is not one of the listed entities.')).toBeTruthy();
    expect(value()).toBe('component:default/ledger');
    expect((input() as HTMLInputElement).value).toBe('component:ledger');

    // A name typed out in full is as good as picking it.
    await user.clear(input());
    await user.type(input(), 'Payments API');
    await user.tab();
    await waitFor(() => expect(value()).toBe('component:default/payments'));
  });

  it('chooses the only entity of a required field that takes nothing else', async () => {
    const { value } = renderField(
      { type: 'string', 'ui:field': 'EntityPicker', 'ui:options': { allowedKinds: ['User'], allowArbitraryValues: false } },
      new FakeSource(catalog),
      { required: true },
    );
    await waitFor(() => expect(value()).toBe('user:default/ada'));
    expect((input() as HTMLInputElement).disabled).toBe(true);
    expect((input() as HTMLInputElement).value).toBe('user:ada');
  });

  it('shows why the catalog could not be listed and still takes typed values', async () => {
    const source = new FakeSource(catalog);
    source.entities = async () => {
      throw new Error('portal is not running');
    };
    const user = userEvent.setup();
    const { value } = renderField({ type: 'string', 'ui:field': 'EntityPicker' }, source);
    await open(user);
    expect((await screen.findByRole('status')).textContent).toBe('Could not list entities: portal is not running');
    await user.type(input(), 'component:x{Enter}');
    await waitFor(() => expect(value()).toBe('component:default/x'));
  });
});

describe('OwnerPicker', () => {
  it('lists groups and users, groups written without their kind', async () => {
    const source = new FakeSource(catalog);
    const user = userEvent.setup();
    const { value } = renderField({ type: 'string', 'ui:field': 'OwnerPicker' }, source);
    expect(screen.getByLabelText('Owner')).toBe(input());
    expect(screen.getByText('The owner of the component')).toBeTruthy();
    await open(user);
    await waitFor(() => expect(options()).toEqual(['Team Ateam-a', 'team-b', 'Ada Lovelaceuser:ada']));
    expect(source.lookups[0]!.filter).toEqual({ kind: ['Group', 'User'] });
    await user.type(input(), 'platform{Enter}');
    await waitFor(() => expect(value()).toBe('group:default/platform'));
  });

  it('narrows to allowedKinds', async () => {
    const source = new FakeSource(catalog);
    renderField({ type: 'string', 'ui:field': 'OwnerPicker', 'ui:options': { allowedKinds: ['Group'] } }, source);
    await waitFor(() => expect(source.lookups[0]?.filter).toEqual({ kind: ['Group'] }));
  });
});

describe('OwnedEntityPicker', () => {
  it('lists what the user or their groups own', async () => {
    const source = new FakeSource(catalog, { userRef: 'user:default/ada', groups: ['group:default/team-a'] });
    const user = userEvent.setup();
    renderField({ type: 'string', 'ui:field': 'OwnedEntityPicker', 'ui:options': { allowedKinds: ['Component'] } }, source);
    await open(user);
    await waitFor(() => expect(options()).toEqual(['Payments APIcomponent:payments']));
    expect(source.lookups[0]).toMatchObject({ filter: [{ kind: ['Component'] }], mine: true });
  });
});

describe('MyGroupsPicker', () => {
  it('offers the user’s groups only, by title', async () => {
    const source = new FakeSource(catalog, { userRef: 'user:default/ada', groups: ['group:default/team-a', 'group:default/gone'] });
    const user = userEvent.setup();
    const { value } = renderField({ type: 'string', title: 'Team', 'ui:field': 'MyGroupsPicker' }, source);
    await open(user);
    await waitFor(() => expect(options()).toEqual(['Team Ateam-a', 'gone']));
    await user.click(screen.getByRole('option', { name: /Team A/ }));
    await waitFor(() => expect(value()).toBe('group:default/team-a'));
  });

  it('says so when the user belongs to no group', async () => {
    const user = userEvent.setup();
    renderField({ type: 'string', 'ui:field': 'MyGroupsPicker' }, new FakeSource(catalog));
    await open(user);
    expect((await screen.findByRole('status')).textContent).toMatch(/belong to no group/);
  });
});
