import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail, EntityReview } from '../api/types.gen';

const ref = 'component:default/gateway';

function detail(review?: EntityReview): EntityDetail {
  return {
    ...summary('Component', 'gateway', { title: 'Gateway (mine)', pending: true, review }),
    entity: { metadata: { name: 'gateway' } },
    relations: [],
    source: { locationId: 'teams', file: 'services.yaml', line: 1, commit: '0123456789abcdef' },
    yaml: 'kind: Component\n',
  };
}

/** A portal whose gateway has a change in a pull request. */
class InReview extends FakeTransport {
  settled: [string, string][] = [];
  async settleReview(entryId: string, action: string): Promise<void> {
    this.settled.push([entryId, action]);
    const review = this.details[ref]?.review;
    this.details[ref] = detail(action === 'reopen' && review ? { ...review, state: 'open' } : undefined);
  }
}

describe('ReviewBadge', () => {
  it.each([
    ['open', /^In review/],
    ['changesRequested', /In review: changes requested/],
    ['merged', /In review: merged, waiting for the next sync/],
  ])('shows a pull request %s with its link and "yours, not merged"', async (state, label) => {
    const t = new InReview([], { [ref]: detail({ entryId: 'teams/1', number: 7, url: 'https://git.example/teams/pull/7', state }) });
    renderApp('/catalog/component/default/gateway', t);
    const badge = within(await screen.findByTestId('review-badge'));
    expect(badge.getByText(label)).toBeTruthy();
    expect(badge.getByRole('link', { name: /pull request #7/ }).getAttribute('href')).toBe('https://git.example/teams/pull/7');
    expect(badge.getByText('yours, not merged')).toBeTruthy();
    expect(badge.queryByRole('button', { name: 'Discard my change' })).toBeNull();
    expect(screen.queryByText('not pushed yet')).toBeNull();
  });

  it('says the pull request is being opened before it has a number', async () => {
    const t = new InReview([], { [ref]: detail({ entryId: 'teams/1' }) });
    renderApp('/catalog/component/default/gateway', t);
    const badge = within(await screen.findByTestId('review-badge'));
    expect(badge.getByText('pull request being opened')).toBeTruthy();
    expect(badge.queryByRole('link')).toBeNull();
  });

  it.each([
    ['Discard my change', 'discard'],
    ['Reopen', 'reopen'],
  ])('offers %s on a closed pull request', async (button, action) => {
    const t = new InReview([], { [ref]: detail({ entryId: 'teams/1', number: 7, url: 'https://git.example/teams/pull/7', state: 'closed' }) });
    renderApp('/catalog/component/default/gateway', t);
    const badge = within(await screen.findByTestId('review-badge'));
    expect(badge.getByText(/closed, not merged/)).toBeTruthy();
    await userEvent.click(badge.getByRole('button', { name: button }));
    expect(t.settled).toEqual([['teams/1', action]]);
    if (action === 'discard') {
      await waitFor(() => expect(screen.queryByTestId('review-badge')).toBeNull());
    } else {
      await waitFor(() => expect(screen.queryByRole('button', { name: 'Reopen' })).toBeNull());
    }
  });
});
