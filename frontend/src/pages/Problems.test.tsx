import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import type { Location, Problem } from '../api/types.gen';

const broken: Problem = {
  kind: 'file-refused',
  locationId: 'demo',
  locationUrl: '/home/me/src/catalog',
  file: 'services/broken.yaml',
  line: 4,
  column: 9,
  message: 'did not find expected node content',
  commit: '0123456789abcdef',
  author: 'Ada Lovelace',
  committedAt: '2026-01-01T00:00:00Z',
  since: '2026-01-01T00:00:00Z',
  localFile: '/home/me/src/catalog/services/broken.yaml',
};
const kept: Problem = {
  kind: 'entity-kept',
  locationId: 'demo',
  locationUrl: '/home/me/src/catalog',
  file: 'services/payments.yaml',
  line: 12,
  column: 3,
  field: 'spec.lifecycle',
  message: 'must be a string',
  entity: 'component:default/payments',
  entityKind: 'Component',
  owner: 'group:default/team-a',
};
const failed: Problem = { kind: 'sync-failed', locationId: 'platform', locationUrl: 'https://git.example/platform.git', message: 'no answer from git.example' };

const location = (id: string, processingErrors = 0): Location => ({ id, url: `/src/${id}`, path: 'catalog-info.yaml', status: 'ok', entities: 3, processingErrors });

function portal(problems = [broken, kept, failed]) {
  const t = new FakeTransport([], {}, [location('demo', 2), location('platform')]);
  t.problemList = problems;
  return t;
}

describe('Problems', () => {
  it('lists each problem with where it is, what, and who last changed its file', async () => {
    renderApp('/problems', portal());
    const rows = await screen.findAllByTestId('problem-row');
    expect(rows).toHaveLength(3);
    const first = within(rows[0]!);
    expect(first.getByText('File refused')).toBeTruthy();
    expect(first.getByText('services/broken.yaml:4:9')).toBeTruthy();
    expect(first.getByText('did not find expected node content')).toBeTruthy();
    expect(first.getByText('0123456')).toBeTruthy();
    expect(first.getByText(/Ada Lovelace/)).toBeTruthy();
    const second = within(rows[1]!);
    expect(second.getByText('spec.lifecycle')).toBeTruthy();
    expect(second.getByRole('link', { name: 'payments' }).getAttribute('href')).toBe('/catalog/component/default/payments');
    expect(screen.getByText('3 problems')).toBeTruthy();
  });

  it('filters by location, owner, kind and text, in the URL', async () => {
    const t = portal();
    renderApp('/problems', t);
    await screen.findAllByTestId('problem-row');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Location' }), 'platform');
    await waitFor(() => expect(screen.getAllByTestId('problem-row')).toHaveLength(1));
    expect(screen.getByTestId('location').textContent).toBe('/problems?location=platform');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Location' }), '');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Owned by me' }));
    await waitFor(() => expect(screen.getAllByTestId('problem-row')).toHaveLength(1));
    expect(t.problemQueries.at(-1)).toMatchObject({ owner: 'me' });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Owned by me' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Kind of problem' }), 'sync-failed');
    await waitFor(() => expect(screen.getAllByTestId('problem-row')).toHaveLength(1));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Kind of problem' }), '');
    await userEvent.type(screen.getByRole('searchbox', { name: /Filter by message/ }), 'nothing like it');
    expect(await screen.findByText('No problems match')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(screen.getAllByTestId('problem-row')).toHaveLength(3));
  });

  it('opens the file in the editor at the line, and edits the entity on its page', async () => {
    const t = portal();
    renderApp('/problems', t);
    const rows = await screen.findAllByTestId('problem-row');
    await userEvent.click(within(rows[0]!).getByRole('button', { name: /Open in editor/ }));
    expect(t.opened).toEqual([{ path: '/home/me/src/catalog/services/broken.yaml', with: 'editor', line: 4, column: 9 }]);
    expect(within(rows[1]!).getByRole('link', { name: /Edit/ }).getAttribute('href')).toBe('/catalog/component/default/payments?edit=1');
    expect(within(rows[2]!).queryByRole('button', { name: /Edit/ })).toBeNull();
  });

  it('says when there are none', async () => {
    renderApp('/problems', portal([]));
    expect(await screen.findByText('No problems')).toBeTruthy();
  });

  it('is linked from Home and Locations with the count', async () => {
    renderApp('/locations', portal());
    expect((await screen.findByTestId('problems-link')).textContent).toContain('3 problems');
    expect(screen.getByRole('link', { name: /2 processing errors/ }).getAttribute('href')).toBe('/problems?location=demo');
    await userEvent.click(screen.getByTestId('problems-link'));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/problems'));
  });
});
