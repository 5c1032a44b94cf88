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

  it('shows what plugins added: a web address or a route, and which plugin', async () => {
    const t = portal();
    t.search = async () => ({
      total: 3,
      facets: {},
      hits: [
        { type: 'plugin', ref: '', kind: '', name: 'pagerduty', title: 'On call this week', path: 'https://pagerduty.example/schedules/1', score: 2 },
        { type: 'plugin', ref: 'component:default/payments', kind: 'Component', name: 'pagerduty', title: 'Escalation policy', path: '/catalog/component/default/payments?tab=oncall', score: 1 },
        { type: 'plugin', ref: '', kind: '', name: 'shady', title: 'Click me', path: 'javascript:alert(1)', score: 1 },
      ],
    });
    renderApp('/search?q=call', t);
    await waitFor(() => expect(screen.getAllByTestId('search-hit')).toHaveLength(3));
    const [web, route, bad] = screen.getAllByTestId('search-hit').map((h) => within(h));
    expect(web!.getByRole('link').getAttribute('href')).toBe('https://pagerduty.example/schedules/1');
    expect(web!.getByText('From the pagerduty plugin')).toBeTruthy();
    expect(route!.getByRole('link').getAttribute('href')).toBe('/catalog/component/default/payments?tab=oncall');
    expect(bad!.queryByRole('link')).toBeNull();
  });

  it('badges Stack Overflow questions', async () => {
    const t = portal();
    t.search = async () => ({
      total: 1,
      facets: {},
      hits: [{ type: 'plugin', ref: '', kind: '', name: 'stackoverflow', title: 'How do I sync a fork?', path: 'https://stackoverflow.com/questions/7244321', score: 1, snippet: 'Accepted answer · 12 votes · git' }],
    });
    renderApp('/search?q=fork', t);
    const hit = within(await screen.findByTestId('search-hit'));
    expect(hit.getByTestId('source-badge').textContent).toBe('Stack Overflow');
    expect(hit.getByRole('link').getAttribute('href')).toBe('https://stackoverflow.com/questions/7244321');
    expect(hit.queryByText('From the stackoverflow plugin')).toBeNull();
  });

  it('says when nothing is found', async () => {
    renderApp('/search?q=zeppelin', portal());
    expect(await screen.findByText('Nothing found for “zeppelin”')).toBeTruthy();
  });
});
