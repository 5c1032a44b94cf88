import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';

function portal() {
  return new FakeTransport([
    summary('Component', 'payments', { title: 'Payments Service', description: 'Takes money from travellers' }),
    summary('API', 'payments-api', { description: 'REST API for payments' }),
    summary('Component', 'ledger', { description: 'Keeps the books' }),
  ]);
}

describe('Search page', () => {
  it('searches as you type, keeps the query in the URL and marks the words', async () => {
    const t = portal();
    renderApp('/search', t);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'payments');
    await waitFor(() => expect(screen.getAllByTestId('search-hit')).toHaveLength(2));
    expect(screen.getByTestId('location').textContent).toBe('/search?q=payments');
    const first = within(screen.getAllByTestId('search-hit')[0]!);
    expect(first.getByRole('link').getAttribute('href')).toBe('/catalog/component/default/payments');
    expect(first.getAllByText('Payments')[0]?.tagName).toBe('MARK');
  });

  it('filters by a facet from the URL', async () => {
    const t = portal();
    renderApp('/search?q=payments&kind=api', t);
    await waitFor(() => expect(screen.getAllByTestId('search-hit')).toHaveLength(1));
    expect(t.searches.at(-1)).toMatchObject({ text: 'payments', kinds: ['api'] });
  });

  it('says when nothing is found', async () => {
    renderApp('/search?q=zeppelin', portal());
    expect(await screen.findByText('Nothing found for “zeppelin”')).toBeTruthy();
  });
});
