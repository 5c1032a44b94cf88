import { describe, expect, it } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { CheckOutcome, Detail, EntityDetail, EntityScore, GroupRollup, Summary } from '../api/types.gen';

const levels = ['Bronze', 'Silver', 'Gold'];
const counts = (bronze: number, silver: number, gold: number, none: number) => [
  { level: 'Bronze', count: bronze },
  { level: 'Silver', count: silver },
  { level: 'Gold', count: gold },
  { level: '', count: none },
];
const checks = [
  { id: 'owner', title: 'Owned by a group', level: 'Bronze' },
  { id: 'docs', title: 'Has TechDocs', level: 'Silver', field: 'metadata.annotations.backstage.io/techdocs-ref' },
  { id: 'runbook', title: 'README has a Runbook', level: 'Gold', howToFix: 'https://example.invalid/runbooks' },
];
const readiness: Summary = { ref: 'scorecard:default/readiness', title: 'Readiness', levels, checks, counts: counts(1, 0, 1, 1), total: 3 };
const detail: Detail = {
  ...readiness,
  byOwner: [
    { owner: 'group:default/team-a', counts: counts(0, 0, 1, 0), total: 1 },
    { owner: 'group:ops/sre', counts: counts(1, 0, 0, 1), total: 2 },
  ],
  entities: [
    { entity: 'component:default/payments', owner: 'group:default/team-a', level: 'Gold', passed: 3, total: 3 },
    { entity: 'component:ops/gateway', owner: 'group:ops/sre', level: 'Bronze', passed: 1, total: 3 },
    { entity: 'component:ops/legacy', owner: 'group:ops/sre', level: '', passed: 0, total: 3 },
  ],
};

function outcome(i: number, passed: boolean, message = ''): CheckOutcome {
  return { ...checks[i]!, passed, message };
}

const gatewayScore: EntityScore = {
  scorecard: readiness.ref,
  title: 'Readiness',
  levels,
  entity: 'component:ops/gateway',
  owner: 'group:ops/sre',
  level: 'Bronze',
  passed: 1,
  total: 3,
  checks: [
    outcome(0, true),
    { ...outcome(1, false, 'metadata.annotations.backstage.io/techdocs-ref is not set'), path: 'gateway/catalog-info.yaml', line: 3 },
    { ...outcome(2, false, 'gateway/README.md does not exist'), file: 'README.md', path: 'gateway/README.md', missing: true },
  ],
  factsAt: '2026-01-01T00:00:00Z',
};

const gateway: EntityDetail = {
  ...summary('Component', 'gateway', { ref: 'component:ops/gateway', namespace: 'ops', type: 'service' }),
  entity: { metadata: { name: 'gateway' } },
  relations: [],
  source: { locationId: 'demo', file: 'gateway/catalog-info.yaml', line: 1, commit: '0123456789abcdef' },
  yaml: 'apiVersion: backstage.io/v1alpha1\n',
};

const sre: EntityDetail = {
  ...summary('Group', 'sre', { ref: 'group:ops/sre', namespace: 'ops' }),
  entity: { metadata: { name: 'sre' } },
  relations: [],
  source: { locationId: 'demo', file: 'org.yaml', line: 1, commit: '0123456789abcdef' },
  yaml: 'apiVersion: backstage.io/v1alpha1\n',
};

const rollup: GroupRollup = {
  group: 'group:ops/sre',
  scorecards: [{ ...readiness, counts: counts(1, 0, 0, 1), total: 2, entities: detail.entities.slice(1) }],
};

function portal() {
  const t = new FakeTransport([], { [gateway.ref]: gateway, [sre.ref]: sre });
  t.scorecardList = [readiness];
  t.scorecardPages = { [readiness.ref]: detail };
  t.scores = { [gateway.ref]: [gatewayScore] };
  t.files = { 'demo:gateway/catalog-info.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: gateway\n' };
  t.scoreHistories = {
    [gateway.ref]: [
      {
        scorecard: readiness.ref,
        title: 'Readiness',
        levels,
        leftOut: ['owner'],
        points: [
          { commit: 'a1', when: '2026-01-01T00:00:00Z', level: '', passed: 0, total: 2 },
          { commit: 'b2', when: '2026-02-01T00:00:00Z', level: 'Silver', passed: 1, total: 2 },
        ],
      },
    ],
  };
  t.rollups = { [sre.ref]: rollup };
  return t;
}

describe('Scorecards', () => {
  it('lists each scorecard with its entities per level, best first', async () => {
    renderApp('/scorecards', portal());
    const row = await screen.findByTestId('scorecard-row');
    expect(within(row).getByRole('link', { name: 'Readiness' }).getAttribute('href')).toBe('/scorecards/default/readiness');
    expect(within(row).getAllByTestId('level-badge').map((b) => b.textContent)).toEqual(['Gold', 'Silver', 'Bronze', 'None']);
  });

  it('says how to add one when there is none', async () => {
    const t = portal();
    t.scorecardList = [];
    renderApp('/scorecards', t);
    expect(await screen.findByText('No scorecards yet')).toBeTruthy();
  });

  it('shows a scorecard per owner as a chart and its entities at each level', async () => {
    const t = portal();
    renderApp('/scorecards/default/readiness', t);
    expect(await screen.findByRole('figure', { name: /Levels per owner/ })).toBeTruthy();
    const sections = within(screen.getByTestId('scorecard-levels')).getAllByTestId('scorecard-level');
    expect(sections.map((s) => s.querySelector('h3')?.textContent)).toEqual(['Gold 1', 'Silver 0', 'Bronze 1', 'None 1']);
    expect(within(sections[0]!).getByRole('link', { name: 'payments' })).toBeTruthy();
    await userEvent.click(within(sections[2]!).getByRole('link', { name: 'ops/sre' }));
    expect(await screen.findByRole('button', { name: 'All owners' })).toBeTruthy();
    expect(t.scorecardQueries.at(-1)).toEqual([readiness.ref, 'group:ops/sre']);
  });

  it('shows on an entity page its level and each failed check with how to fix it or an edit', async () => {
    renderApp('/catalog/component/ops/gateway', portal());
    const card = await screen.findByTestId('entity-scorecard');
    expect(within(card).getByTestId('level-badge').textContent).toBe('Bronze');
    expect(within(card).getByText(/1 of 3 checks pass/)).toBeTruthy();
    const failed = within(card)
      .getAllByTestId('scorecard-check')
      .filter((c) => c.classList.contains('failed'));
    expect(failed.map((c) => c.querySelector('.scorecard-check-title')?.textContent)).toEqual(['Has TechDocs', 'README has a Runbook']);
    expect(within(failed[1]!).getByRole('link', { name: /How to fix/ }).getAttribute('href')).toBe('https://example.invalid/runbooks');
    await userEvent.click(within(failed[0]!).getByRole('button', { name: /Edit metadata.annotations/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit gateway/catalog-info.yaml' });
    // The cursor is at the field's line: where metadata's fields are.
    const text = await within(dialog).findByRole<HTMLTextAreaElement>('textbox', { name: 'File contents' });
    expect(text.selectionStart).toBe(text.value.indexOf('metadata:'));
  });

  it('offers to create a missing file a check reads, beside its how to fix link', async () => {
    const t = portal();
    renderApp('/catalog/component/ops/gateway', t);
    const card = await screen.findByTestId('entity-scorecard');
    const readme = within(card)
      .getAllByTestId('scorecard-check')
      .find((c) => c.textContent?.includes('README has a Runbook'))!;
    expect(within(readme).getByRole('link', { name: /How to fix/ })).toBeTruthy();
    await userEvent.click(within(readme).getByRole('button', { name: 'Create gateway/README.md' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create gateway/README.md' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'File contents' }), '# Runbook');
    await userEvent.click(within(dialog).getByRole('button', { name: /Commit/ }));
    expect(t.writes.map((w) => [w.locationId, w.path, w.content])).toEqual([['demo', 'gateway/README.md', '# Runbook']]);
  });

  it('charts the score over time, saying which checks have no history', async () => {
    renderApp('/catalog/component/ops/gateway', portal());
    const card = await screen.findByTestId('entity-scorecards');
    await userEvent.click(within(card).getByRole('button', { name: /Score over time/ }));
    const history = await within(card).findByTestId('scorecard-history');
    expect(within(history).getByRole('figure', { name: /Readiness over time/ })).toBeTruthy();
    expect(within(history).getByText(/owner is left out of the past scores/)).toBeTruthy();
  });

  it("says where a check's facts come from and how old they are, and which wait for a plugin", async () => {
    const t = portal();
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600 * 1000).toISOString();
    t.scores = {
      [gateway.ref]: [
        {
          ...gatewayScore,
          checks: [
            { id: 'fresh', title: 'Changed lately', level: 'Gold', facts: ['git-insights.lastCommitAt'], passed: true, factsAt: hoursAgo(3) },
            { id: 'ci', title: 'CI passes', level: 'Silver', facts: ['ci.defaultBranchLastRunPassed'], passed: false, message: 'ci.defaultBranchLastRunPassed is false, must be == true', factsAt: hoursAgo(72) },
            { id: 'replicas', title: 'Two replicas', level: 'Silver', facts: ['kubernetes.replicas'], passed: false, pending: true, message: 'no fact kubernetes.replicas yet (kubernetes has not reported it)' },
          ],
        },
      ],
    };
    renderApp('/catalog/component/ops/gateway', t);
    const card = await screen.findByTestId('entity-scorecard');
    const rows = within(card).getAllByTestId('scorecard-check');
    const byTitle = (title: string) => rows.find((r) => r.querySelector('.scorecard-check-title')?.textContent === title)!;
    expect(within(byTitle('Changed lately')).getByTestId('facts-age').textContent).toBe('Facts from git-insights, 3 hours ago');
    const stale = within(byTitle('CI passes')).getByTestId('facts-age');
    expect(stale.textContent).toMatch(/^Facts from ci, 3 days ago \(stale/);
    expect(stale.classList.contains('stale')).toBe(true);
    const pending = byTitle('Two replicas');
    expect(pending.classList.contains('pending')).toBe(true);
    expect(within(pending).getByLabelText('not evaluated')).toBeTruthy();
    expect(within(pending).getByText(/kubernetes has not reported it/)).toBeTruthy();
    expect(within(pending).queryByTestId('facts-age')).toBeNull();
  });

  it('loads the card again when plugins report facts', async () => {
    const t = portal();
    renderApp('/catalog/component/ops/gateway', t);
    await screen.findByTestId('entity-scorecard');
    t.scores = { [gateway.ref]: [{ ...gatewayScore, level: 'Gold', passed: 3, checks: [outcome(0, true), outcome(1, true), outcome(2, true)] }] };
    act(() => t.emit('facts:changed', { refs: [gateway.ref] }));
    expect(await screen.findByText(/3 of 3 checks pass/)).toBeTruthy();
  });

  it('rolls up a group page', async () => {
    renderApp('/catalog/group/ops/sre', portal());
    const card = await screen.findByTestId('group-scorecard');
    expect(within(card).getByRole('link', { name: 'Readiness' }).getAttribute('href')).toBe('/scorecards/default/readiness?owner=group%3Aops%2Fsre');
    expect(within(card).getAllByTestId('level-badge').map((b) => b.textContent)).toEqual(['Bronze', 'None']);
  });
});
