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
    const kinds = within(screen.getByTestId('facet-kind'));
    expect(kinds.getByRole('checkbox', { name: /Components\s*2/ })).toBeTruthy();
    expect(kinds.getByRole('checkbox', { name: /APIs\s*1/ })).toBeTruthy();
  });

  it('shows the scorecard levels of each row, and filters by a level', async () => {
    const t = catalog();
    const levels = ['Bronze', 'Silver', 'Gold'];
    t.entities[1] = { ...t.entities[1]!, levels: [{ scorecard: 'scorecard:default/readiness', title: 'Readiness', level: 'Gold', levels }] };
    t.entities[2] = { ...t.entities[2]!, levels: [{ scorecard: 'scorecard:default/readiness', title: 'Readiness', level: '', levels }] };
    renderApp('/catalog?kind=component', t);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.getByRole('columnheader', { name: 'Level' })).toBeTruthy();
    const payments = rows().find((r) => within(r).queryByText('Payments Service'))!;
    expect(within(payments).getByTestId('level-badge').textContent).toBe('Gold');
    const facet = within(screen.getByTestId('facet-level'));
    await userEvent.click(facet.getByRole('checkbox', { name: /readiness · Gold\s*1/ }));
    expect(location()).toBe('/catalog?kind=component&level=readiness%3AGold');
    expect(t.queries.at(-1)?.facets).toEqual({ kind: ['component'], level: ['readiness:Gold'] });
    expect(facet.getByRole('checkbox', { name: /readiness · None\s*1/ })).toBeTruthy();
  });

  it('puts the text filter in the URL and the query', async () => {
    const t = catalog();
    renderApp('/catalog', t);
    await waitFor(() => expect(rows()).toHaveLength(4));
    await userEvent.type(screen.getByLabelText(/Filter by name/), 'ledg');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(location()).toBe('/catalog?q=ledg');
    expect(t.queries.at(-1)).toEqual({ text: 'ledg', offset: 0, limit: 100 });
    expect(screen.getByText('ledger')).toBeTruthy();
  });

  it('reads its filters from the URL', async () => {
    const t = catalog();
    renderApp('/catalog?kind=component&q=pay', t);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByLabelText<HTMLInputElement>(/Filter by name/).value).toBe('pay');
    expect(within(screen.getByTestId('facet-kind')).getByRole<HTMLInputElement>('checkbox', { name: /Components/ }).checked).toBe(true);
  });

  it('filters by facets, keeps them in the URL, and goes back', async () => {
    const t = catalog();
    renderApp('/catalog', t);
    await waitFor(() => expect(rows()).toHaveLength(4));
    await userEvent.click(within(screen.getByTestId('facet-kind')).getByRole('checkbox', { name: /Components/ }));
    expect(location()).toBe('/catalog?kind=component');
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().every((r) => within(r).queryByText('Component') === null)).toBe(true); // one kind: no kind column
    await userEvent.click(within(screen.getByTestId('facet-type')).getByRole('checkbox', { name: /service/ }));
    expect(location()).toBe('/catalog?kind=component&type=service');
    expect(t.queries.at(-1)).toMatchObject({ facets: { kind: ['component'], type: ['service'] } });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Starred' }));
    expect(location()).toBe('/catalog?kind=component&type=service&starred=1');
    await waitFor(() => expect(screen.getByText('No entities match')).toBeTruthy());
  });

  it('sorts on the portal by a column header, and moves with the keyboard', async () => {
    const t = catalog();
    renderApp('/catalog?kind=component', t);
    await waitFor(() => expect(rows()).toHaveLength(2));
    const names = () => rows().map((r) => r.querySelector('td')!.textContent);
    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    expect(location()).toBe('/catalog?kind=component&sort=name');
    await waitFor(() => expect(names()).toEqual(['ledger', 'Payments Service']));
    expect(screen.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('ascending');
    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    await waitFor(() => expect(names()).toEqual(['Payments Service', 'ledger']));
    expect(screen.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('descending');
    screen.getByTestId('catalog-scroller').focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(location()).toBe('/catalog/component/default/ledger');
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

  // The browser e2e once read the first component row ("Booking service"),
  // clicked it, and landed on "Marigold agent kit": after a navigation the
  // last query's rows stay up until the new answer, and rows were keyed by
  // position, so that answer turned the very link under the pointer into
  // another entity's. A row's elements now belong to one entity, and the
  // table is aria-busy while its rows are not yet the URL's.
  it('never turns a row on screen into another entity', async () => {
    const t = catalog();
    renderApp('/catalog?kind=component&sort=name', t);
    await waitFor(() => expect(rows().map((r) => r.querySelector('td')!.textContent)).toEqual(['ledger', 'Payments Service']));
    const nameLink = (row: HTMLElement) => row.querySelector<HTMLAnchorElement>('td.col-name a')!;
    const link = nameLink(rows()[0]!);
    expect(link.textContent).toBe('ledger');
    const list = t.listEntities.bind(t);
    let answer = () => {};
    t.listEntities = (q) => new Promise((resolve) => (answer = () => resolve(list(q))));

    await userEvent.click(screen.getByTestId('nav-catalog'));
    expect(location()).toBe('/catalog');
    await waitFor(() => expect(screen.getByTestId('catalog-table').getAttribute('aria-busy')).toBe('true'));
    answer();
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(screen.getByTestId('catalog-table').getAttribute('aria-busy')).toBe('false');
    expect(nameLink(rows()[0]!).textContent).toBe('payments-rest');
    expect(link.isConnected ? link.textContent : 'gone').not.toBe('payments-rest');
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
