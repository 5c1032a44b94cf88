import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import type { Location, OrgRepo } from '../api/types.gen';

const demo: Location = { id: 'demo', url: '/data/demo-org', path: 'catalog-info.yaml', status: 'ok', entities: 40, processingErrors: 0 };
const acme: Location = {
  id: 'acme',
  url: 'https://github.com/acme',
  path: '',
  status: 'ok',
  entities: 3,
  processingErrors: 0,
  lastSyncAt: '2026-01-01T00:00:00Z',
  org: { forge: 'github', host: 'github.com', owner: 'acme', discovery: { forge: 'github', teams: true }, listedAt: '2026-01-01T00:00:00Z', repos: 3, catalogued: 1, requests: 1 },
};
const api: Location = { id: 'api', url: 'https://github.com/acme/api.git', path: '', status: 'stale', entities: 2, processingErrors: 0, listedBy: ['acme'], derived: true, repoId: 'github.com/R_1' };
const repos: OrgRepo[] = [
  { id: 'github.com/R_1', fullName: 'acme/api', url: api.url, files: ['catalog-info.yaml'], lastSeen: '2026-01-01T00:00:00Z', locationId: 'api', status: 'stale' },
  { id: 'github.com/R_2', fullName: 'acme/notes', url: 'https://github.com/acme/notes.git', files: [], skipped: 'noFile', lastSeen: '2026-01-01T00:00:00Z' },
  { id: 'github.com/R_3', fullName: 'acme/legacy', url: 'https://github.com/acme/legacy.git', files: [], skipped: 'archived', archived: true, lastSeen: '2026-01-01T00:00:00Z' },
];

describe('Discovered organisations', () => {
  it('shows an organisation with its repositories under it, and why some have no catalog', async () => {
    const t = new FakeTransport([], {}, [acme, api, demo]);
    t.orgRepoList = { acme: repos };
    renderApp('/locations', t);
    await userEvent.click(await screen.findByText(/3 repositories, 1 with catalog files/));
    const rows = await screen.findAllByTestId('org-repo');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('acme/api · catalog-info.yaml'),
      expect.stringContaining('acme/notes · no catalog file'),
      expect.stringContaining('acme/legacy · archived'),
    ]);
    expect(within(rows[0]!).getByText(/offline|stale/i)).toBeTruthy();
  });

  it('edits the filters in place', async () => {
    const t = new FakeTransport([], {}, [acme, demo]);
    renderApp('/locations', t);
    await userEvent.click(await screen.findByText(/3 repositories/));
    await userEvent.click(await screen.findByRole('button', { name: 'Edit filters' }));
    const form = screen.getByRole('form', { name: 'Filters of acme' });
    await userEvent.type(within(form).getByLabelText('Name pattern (regex)'), 'svc-.*');
    await userEvent.click(within(form).getByLabelText('Archived repositories'));
    await userEvent.click(within(form).getByRole('button', { name: /Save filters/ }));
    await waitFor(() => expect(t.orgUpdates).toEqual([['acme', { forge: 'github', teams: true, repository: 'svc-.*', includeArchived: true }]]));
  });

  it('adds an organisation from the Locations page and syncs it', async () => {
    const t = new FakeTransport([], {}, [demo]);
    renderApp('/locations', t);
    const form = await screen.findByRole('form', { name: 'Add your organisation' });
    await userEvent.type(within(form).getByLabelText('Organisation'), 'https://github.com/acme');
    await userEvent.type(within(form).getByLabelText('Leave out topics'), 'experimental, sandbox');
    await userEvent.click(within(form).getByRole('button', { name: /Add organisation/ }));
    await waitFor(() => expect(t.added).toEqual([{ url: 'https://github.com/acme', discover: { teams: true, topicsExclude: ['experimental', 'sandbox'] } }]));
    await waitFor(() => expect(t.synced).toEqual(['added']));
  });

  it('offers to add an organisation in the welcome when only the demo is registered', async () => {
    renderApp('/', new FakeTransport([], {}, [demo]));
    expect(await screen.findByTestId('home-welcome')).toBeTruthy();
  });

  it('leaves Home as it is once the user has a location of their own', async () => {
    renderApp('/', new FakeTransport([], {}, [demo, acme]));
    await screen.findByTestId('home-starred');
    expect(screen.queryByTestId('home-welcome')).toBeNull();
  });
});
