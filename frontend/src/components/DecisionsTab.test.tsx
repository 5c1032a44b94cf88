import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { DecisionDetail, DecisionSummary, EntityDetail } from '../api/types.gen';

const svc: EntityDetail = {
  ...summary('Component', 'booking'),
  entity: { metadata: { annotations: { 'backstage.io/adr-location': 'decisions' } } },
  relations: [],
  source: { locationId: 'demo', file: 'booking/catalog-info.yaml', line: 1, commit: 'abc' },
  yaml: '',
};

const items: DecisionSummary[] = [
  { file: '0001-record.md', number: 1, title: 'Record architecture decisions', status: 'accepted', statusText: 'Accepted', date: '2024-02-05', successor: '' },
  {
    file: '0002-redis.md',
    number: 2,
    title: 'Hold seats in Redis',
    status: 'superseded',
    statusText: 'superseded by [ADR-0003](0003-postgres.md)',
    date: '2024-03-12',
    successor: '0003-postgres.md',
  },
  { file: '0003-postgres.md', number: 3, title: 'Hold seats in PostgreSQL', status: 'accepted', statusText: 'accepted', date: '2025-01-14', successor: '' },
];

function detail(d: DecisionSummary, html: string): DecisionDetail {
  return { ref: svc.ref, decision: d, path: `booking/decisions/${d.file}`, format: 'madr', supersededBy: d.successor, deciders: ['Ana'], tags: [], html };
}

function portal() {
  const t = new FakeTransport([svc], { [svc.ref]: svc });
  t.decisionLists[svc.ref] = { ref: svc.ref, annotation: 'decisions', dir: 'booking/decisions', items, problems: [{ file: '0004-broken.md', line: 3, message: 'front matter is not YAML' }] };
  t.decisionDetails[`${svc.ref}:0001-record.md`] = detail(items[0]!, '<h1>Record architecture decisions</h1><p>See <a href="0003-postgres.md">ADR-0003</a>.</p>');
  t.decisionDetails[`${svc.ref}:0002-redis.md`] = detail(items[1]!, '<h1>Hold seats in Redis</h1>');
  t.decisionDetails[`${svc.ref}:0003-postgres.md`] = detail(items[2]!, '<h1>Hold seats in PostgreSQL</h1>');
  return t;
}

describe('DecisionsTab', () => {
  it('lists the records with their status, renders the selected one and follows supersession', async () => {
    renderApp('/catalog/component/default/booking', portal());
    await userEvent.click(await screen.findByRole('tab', { name: 'Decisions' }));
    const list = await screen.findByRole('listbox', { name: 'Decision records' });
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      expect.stringContaining('ADR-0001Record architecture decisionsaccepted2024-02-05'),
      expect.stringContaining('ADR-0002Hold seats in Redissuperseded2024-03-12by ADR-0003'),
      expect.stringContaining('ADR-0003Hold seats in PostgreSQLaccepted'),
    ]);
    expect(screen.getByTestId('decision-problems').textContent).toContain('0004-broken.md:3');
    const view = await screen.findByTestId('decision-view');
    await within(view).findByRole('heading', { name: 'Record architecture decisions' });

    // A link to another record of the folder opens it in the tab.
    await userEvent.click(within(view).getByRole('link', { name: 'ADR-0003' }));
    await within(await screen.findByTestId('decision-view')).findByRole('heading', { name: 'Hold seats in PostgreSQL' });

    // Arrow keys move through the list.
    options[2]!.focus();
    await userEvent.keyboard('{ArrowUp}');
    const redis = await within(await screen.findByTestId('decision-view')).findByRole('heading', { name: 'Hold seats in Redis' });
    expect(redis).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(within(list).getAllByRole('option')[1]));
    expect(within(screen.getByTestId('decision-view')).getByTestId('decision-superseded').textContent).toContain('ADR-0003: Hold seats in PostgreSQL');

    await userEvent.click(within(list).getByTestId('decision-successor'));
    await within(await screen.findByTestId('decision-view')).findByRole('heading', { name: 'Hold seats in PostgreSQL' });
  });

  it('has no tab without the annotation', async () => {
    const t = portal();
    t.details[svc.ref] = { ...svc, entity: { metadata: {} } };
    renderApp('/catalog/component/default/booking', t);
    await screen.findByRole('tab', { name: 'Overview' });
    expect(screen.queryByRole('tab', { name: 'Decisions' })).toBeNull();
  });
});
