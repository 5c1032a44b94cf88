import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import type { Location, OutboxEntry, ReviewMode } from '../api/types.gen';
import { hostOf } from './ReviewModeSelect';

const teams: Location = { id: 'teams', url: 'https://github.com/acme/teams.git', path: 'catalog-info.yaml', status: 'ok', entities: 3, processingErrors: 0, reviewDetected: 'pr', inReview: 1 };

const closed: OutboxEntry = {
  id: 'teams/1', locationId: 'teams', commit: '0123456789', message: 'Retitle the gateway', author: 'Me <me@example.com>', paths: ['services.yaml'],
  createdAt: '2026-01-01T00:00:00Z', state: 'closed',
  review: { branch: 'callboard/edit/gateway-0123456', forge: 'github', number: 7, url: 'https://github.com/acme/teams/pull/7', state: 'closed' },
};

/** A portal with one location whose change's pull request was closed. */
class Reviewing extends FakeTransport {
  modes: [string, ReviewMode][] = [];
  settled: [string, string][] = [];
  async setReviewMode(id: string, review: ReviewMode): Promise<Location> {
    this.modes.push([id, review]);
    this.locations = this.locations.map((l) =>
      l.id === id ? { ...l, reviewMode: review.mode, reviewDetected: undefined, reviewForge: review.forge ?? l.reviewForge } : l,
    );
    return this.locations.find((l) => l.id === id) as Location;
  }
  async settleReview(entryId: string, action: string): Promise<void> {
    this.settled.push([entryId, action]);
    this.outboxEntries = this.outboxEntries.filter((e) => e.id !== entryId);
  }
}

describe('Pull requests on the Locations page', () => {
  it('shows what detection found and sets the review mode', async () => {
    const t = new Reviewing([], {}, [teams]);
    renderApp('/locations', t);
    const select = await screen.findByRole('combobox', { name: 'How edits reach teams' });
    expect((select as HTMLSelectElement).value).toBe('detect');
    expect(screen.getByText(/found: the branch is protected, pull requests/)).toBeTruthy();
    expect(screen.getByText('1 change in review')).toBeTruthy();
    await userEvent.selectOptions(select, 'pr');
    expect(t.modes).toEqual([['teams', { mode: 'pr' }]]);
    await waitFor(() => expect(screen.queryByText(/found:/)).toBeNull());
  });

  it('asks the forge of a host it does not know, and not of github.com', async () => {
    const onPrem: Location = { ...teams, id: 'infra', url: 'https://git.acme.internal/platform/infra.git', reviewDetected: undefined, inReview: 0 };
    const t = new Reviewing([], {}, [teams, onPrem]);
    renderApp('/locations', t);
    const forge = await screen.findByRole<HTMLSelectElement>('combobox', { name: 'Forge of git.acme.internal' });
    expect(forge.value).toBe('');
    expect(screen.queryByRole('combobox', { name: 'Forge of github.com' })).toBeNull();
    await userEvent.selectOptions(forge, 'gitlab');
    expect(t.modes).toEqual([['infra', { mode: 'detect', forge: 'gitlab' }]]);
    await waitFor(() => expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Forge of git.acme.internal' }).value).toBe('gitlab'));
  });

  it.each([
    ['https://git.acme.internal/a/b.git', 'git.acme.internal'],
    ['git@git.acme.internal:a/b.git', 'git.acme.internal'],
    ['ssh://git@127.0.0.1:2222/a/b.git', '127.0.0.1:2222'],
    ['/home/me/catalog', ''],
  ])('hostOf(%s) is %j', (url, host) => {
    expect(hostOf(url)).toBe(host);
  });

  it('lists a closed pull request in the outbox and discards its change', async () => {
    const t = new Reviewing([], {}, [teams]);
    t.outboxEntries = [closed];
    renderApp('/locations', t);
    const entry = within(await screen.findByTestId('outbox-entry'));
    expect(entry.getByText('closed, not merged')).toBeTruthy();
    expect(entry.getByRole('link', { name: /pull request #7/ }).getAttribute('href')).toBe('https://github.com/acme/teams/pull/7');
    expect(entry.getByText('callboard/edit/gateway-0123456')).toBeTruthy();
    await userEvent.click(entry.getByRole('button', { name: 'Discard my change' }));
    expect(t.settled).toEqual([['teams/1', 'discard']]);
    await waitFor(() => expect(screen.queryByTestId('outbox-entry')).toBeNull());
  });
});
