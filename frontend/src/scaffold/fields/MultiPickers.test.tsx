import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entity, FakeSource, renderField } from '../testing';
import { isValidTag } from './EntityTagsPicker';

const catalog = [
  entity('Component', 'payments', { title: 'Payments API' }),
  entity('Component', 'ledger'),
  entity('Component', 'search', { namespace: 'platform' }),
  entity('API', 'payments-api'),
];

const input = () => screen.getByRole('combobox');
const chips = () => [...document.querySelectorAll('.scaffold-chip')].map((c) => c.textContent);
const options = () => within(screen.getByRole('listbox')).queryAllByRole('option').map((o) => o.textContent);

describe('MultiEntityPicker', () => {
  it('adds picked and typed entities as full refs, and removes them again', async () => {
    const source = new FakeSource(catalog);
    const user = userEvent.setup();
    const { value } = renderField(
      { type: 'array', title: 'Dependencies', items: { type: 'string' }, 'ui:field': 'MultiEntityPicker', 'ui:options': { catalogFilter: { kind: 'Component' }, defaultKind: 'Component' } },
      source,
    );
    expect(screen.getByLabelText('Dependencies')).toBe(input());
    await user.click(input());
    await waitFor(() => expect(options()).toEqual(['Payments APIpayments', 'ledger', 'platform/search']));
    await user.click(screen.getByRole('option', { name: /Payments API/ }));
    await waitFor(() => expect(value()).toEqual(['component:default/payments']));
    // The picked entity leaves the list.
    await user.click(input());
    await waitFor(() => expect(options()).toEqual(['ledger', 'platform/search']));

    await user.type(input(), 'platform/billing{Enter}');
    await waitFor(() => expect(value()).toEqual(['component:default/payments', 'component:platform/billing']));
    expect(chips()).toEqual(['Payments API', 'platform/billing']);
    expect((input() as HTMLInputElement).value).toBe('');

    await user.click(screen.getByRole('button', { name: 'Remove Payments API' }));
    await waitFor(() => expect(value()).toEqual(['component:platform/billing']));
    expect(document.activeElement).toBe(input());
    await user.keyboard('{Backspace}');
    await waitFor(() => expect(value()).toEqual([]));
  });

  it('stops at maxItems', async () => {
    const user = userEvent.setup();
    const { value } = renderField(
      { type: 'array', maxItems: 1, items: { type: 'string' }, 'ui:field': 'MultiEntityPicker' },
      new FakeSource(catalog),
      { initial: ['api:default/payments-api'] },
    );
    expect(chips()).toEqual(['api:payments-api']);
    expect((input() as HTMLInputElement).disabled).toBe(true);
    expect((input() as HTMLInputElement).placeholder).toBe('At most 1');
    await user.click(screen.getByRole('button', { name: 'Remove api:payments-api' }));
    await waitFor(() => expect(value()).toEqual([]));
    expect((input() as HTMLInputElement).disabled).toBe(false);
  });

  it('takes only listed entities when arbitrary values are not allowed', async () => {
    const user = userEvent.setup();
    const { value } = renderField(
      { type: 'array', items: { type: 'string' }, 'ui:field': 'MultiEntityPicker', 'ui:options': { allowArbitraryValues: false } },
      new FakeSource(catalog),
    );
    await user.type(input(), 'ghost{Enter}');
    expect(await screen.findByText('“ghost” is not one of the listed entities.')).toBeTruthy();
    expect(value()).toBeUndefined();
    await user.type(input(), 'ledger{Enter}');
    await waitFor(() => expect(value()).toEqual(['component:default/ledger']));
  });
});

describe('EntityTagsPicker', () => {
  const tags = [
    { tag: 'java', count: 2 },
    { tag: 'go', count: 7 },
    { tag: 'grpc', count: 1 },
  ];

  it('starts as an empty list and suggests the catalog’s tags', async () => {
    const user = userEvent.setup();
    const { value } = renderField({ type: 'array', items: { type: 'string' }, 'ui:field': 'EntityTagsPicker' }, new FakeSource([], undefined, tags));
    await waitFor(() => expect(value()).toEqual([]));
    expect(screen.getByLabelText('Tags')).toBe(input());
    await user.click(input());
    await waitFor(() => expect(options()).toEqual(['go', 'grpc', 'java']));
    await user.type(input(), 'g');
    await waitFor(() => expect(options()).toEqual(['go', 'grpc']));
    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(value()).toEqual(['go']));
  });

  it('orders by use with showCounts', async () => {
    const user = userEvent.setup();
    renderField({ type: 'array', items: { type: 'string' }, 'ui:field': 'EntityTagsPicker', 'ui:options': { showCounts: true } }, new FakeSource([], undefined, tags));
    await user.click(input());
    await waitFor(() => expect(options()).toEqual(['go7 entities', 'java2 entities', 'grpc1 entity']));
  });

  it('adds new tags lower-cased, refusing invalid ones', async () => {
    const user = userEvent.setup();
    const { value } = renderField({ type: 'array', items: { type: 'string' }, 'ui:field': 'EntityTagsPicker' }, new FakeSource([], undefined, tags));
    await user.type(input(), 'Team-Payments{Enter}');
    await waitFor(() => expect(value()).toEqual(['team-payments']));
    await user.type(input(), 'no spaces{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/“no spaces” is not a valid tag/);
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(value()).toEqual(['team-payments']);
    // The same tag twice is one tag.
    await user.clear(input());
    await user.type(input(), 'team-payments{Enter}');
    expect(value()).toEqual(['team-payments']);
  });

  it('checks tags as the catalog does', () => {
    expect(['java', 'c++', 'c#', 'a-b-c', 'k8s:prod'].every(isValidTag)).toBe(true);
    expect(['', 'a--b', '-a', 'A', 'a b', 'x'.repeat(64)].some(isValidTag)).toBe(false);
  });
});
