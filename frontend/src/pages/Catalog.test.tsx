import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';

function catalog() {
  return new FakeTransport([
    summary('API', 'payments-rest', { owner: 'group:default/payments', type: 'openapi' }),
    summary('Component', 'payments', { title: 'Payments Service', owner: 'group:default/payments', type: 'service', lifecycle: 'production', tags: ['go', 'grpc'], description: 'Takes money' }),
    summary('Component', 'ledger', { owner: 'group:default/finance', type: 'service', lifecycle: 'experimental', description: 'Books it' }),
    summary('Group', 'payments', { type: 'team' }),
  ]);
}

const rows = () => screen.queryAllByTestId('catalog-row');
const location = () => screen.getByTestId('location').textContent;

describe('Catalog page', () => {
  it('lists every entity with its columns', async () => {
    renderApp('/catalog', catalog());
    await waitFor(() => expect(rows()).toHaveLength(4));
    const payments = rows().find((r) => within(r).queryByText('Payments Service'))!;
    expect(within(payments).getByRole('link', { name: /Payments Service/ }).getAttribute('href')).toBe('/catalog/component/default/payments');
    expect(within(payments).getByRole('link', { name: 'payments' }).getAttribute('href')).toBe('/catalog/group/default/payments');
    expect(within(payments).getByText('production')).toBeTruthy();
    expect(within(payments).getByText('grpc')).toBeTruthy();
    expect(within(payments).getByText('Takes money')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Components\s*2/ })).toBeTruthy();
  });

  it('puts the text filter in the URL and the query', async () => {
    const t = catalog();
    renderApp('/catalog', t);
    await waitFor(() => expect(rows()).toHaveLength(4));
    await userEvent.type(screen.getByLabelText(/Filter by name/), 'ledg');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(location()).toBe('/catalog?q=ledg');
    expect(t.queries.at(-1)).toEqual({ text: 'ledg' });
    expect(screen.getByText('ledger')).toBeTruthy();
  });

  it('reads its filters from the URL', async () => {
    const t = catalog();
    renderApp('/catalog?kind=component&q=pay', t);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect((screen.getByLabelText(/Filter by name/) as HTMLInputElement).value).toBe('pay');
    expect(screen.getByRole('button', { name: /Components/ }).getAttribute('aria-pressed')).toBe('true');
  });

  it('filters by kind and keeps the kind in the URL', async () => {
    renderApp('/catalog', catalog());
    await waitFor(() => expect(rows()).toHaveLength(4));
    await userEvent.click(screen.getByRole('button', { name: /Components/ }));
    expect(location()).toBe('/catalog?kind=component');
    expect(rows()).toHaveLength(2);
    expect(rows().every((r) => within(r).queryByText('Component'))).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: /^All/ }));
    expect(location()).toBe('/catalog');
    expect(rows()).toHaveLength(4);
  });

  it('sorts by a column header', async () => {
    renderApp('/catalog?kind=component', catalog());
    await waitFor(() => expect(rows()).toHaveLength(2));
    const names = () => rows().map((r) => r.querySelector('td')!.textContent);
    expect(names()).toEqual(['Payments Service', 'ledger']);
    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    expect(names()).toEqual(['ledger', 'Payments Service']);
    expect(screen.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('ascending');
    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    expect(names()).toEqual(['Payments Service', 'ledger']);
    expect(screen.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('descending');
  });

  it('says when nothing matches, and clears the filters', async () => {
    renderApp('/catalog?q=nothing-like-this', catalog());
    expect(await screen.findByText('No entities match')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(location()).toBe('/catalog');
  });

  it('shows the error the portal reported', async () => {
    const t = catalog();
    t.failWith = 'store is closed';
    renderApp('/catalog', t);
    expect((await screen.findByRole('alert')).textContent).toContain('store is closed');
    t.failWith = null;
    await userEvent.click(screen.getByRole('button', { name: /Try again/ }));
    await waitFor(() => expect(rows()).toHaveLength(4));
  });

  it('reloads when the catalog changes', async () => {
    const t = catalog();
    renderApp('/catalog', t);
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(t.listenerCount('catalog:changed')).toBe(1);
    t.entities.push(summary('Component', 'new-one'));
    act(() => t.emit('catalog:changed', { locationId: 'demo' }));
    await waitFor(() => expect(rows()).toHaveLength(5));
  });
});
