import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Events, type ScaffoldRun, type TemplateDetail } from '../api/types.gen';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import { followStep, keepEvent, suggestTarget } from './Create';
import type { ScaffoldEvent } from '../api/types.gen';

const ref = 'template:default/go-service';
const detail: TemplateDetail = {
  ref,
  title: 'Go service',
  description: 'A Go HTTP service with CI',
  workspace: '/home/ada/src',
  parameters: [{ title: 'About the service', required: ['name'], properties: { name: { title: 'Name', type: 'string' } } }],
  steps: [
    { id: 'fetch', name: 'Fetch the skeleton', action: 'fetch:template' },
    { id: 'publish', name: 'Publish', action: 'publish:github' },
  ],
  trustedHosts: ['github.com'],
  fetches: [],
};

function portal() {
  const t = new FakeTransport([summary('Template', 'go-service', { title: 'Go service', description: 'A Go HTTP service with CI', tags: ['go'] })], {});
  t.templates[ref] = detail;
  return t;
}

/** Fills the one page, reaches the review and presses a button there. */
async function fillAndPress(button: 'Create' | 'Dry run') {
  const user = userEvent.setup();
  await user.type(await screen.findByRole('textbox', { name: /Name/ }), 'ferry-radar');
  await user.click(screen.getByRole('button', { name: 'Review' }));
  await user.click(await screen.findByRole('button', { name: button }));
}

function finish(t: FakeTransport, id: string, patch: Partial<ScaffoldRun>) {
  t.runs = t.runs.map((r) => (r.id === id ? { ...r, ...patch } : r));
  act(() => t.emit(Events.ScaffoldDone, t.runs.find((r) => r.id === id)));
}

describe('Create', () => {
  it('lists the templates and the recent runs', async () => {
    const t = portal();
    t.runs = [{ id: 'old', template: ref, title: 'Go service', target: '/home/ada/src/tide', status: 'failed', error: 'boom', started: new Date().toISOString(), steps: [], links: [], texts: [], files: [] }];
    renderApp('/create', t);
    const grid = within(await screen.findByRole('list', { name: 'Templates' }));
    expect(grid.getByRole('link', { name: /Go service/ }).getAttribute('href')).toBe('/create/templates/default/go-service');
    const runs = within(await screen.findByTestId('runs'));
    expect(runs.getByRole('link', { name: 'Go service' }).getAttribute('href')).toBe('/create/runs/old');
    expect(runs.getByText('/home/ada/src/tide')).toBeTruthy();
  });

  it('focuses the template search on "/", as the catalog does', async () => {
    renderApp('/create', portal());
    await screen.findByRole('list', { name: 'Templates' });
    await userEvent.keyboard('/');
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search templates' }));
    await userEvent.keyboard('go');
    expect((document.activeElement as HTMLInputElement).value).toBe('go');
  });

  it('says what to do when the catalog has no templates', async () => {
    renderApp('/create', new FakeTransport([], {}));
    expect(await screen.findByText('No templates yet')).toBeTruthy();
  });

  it('runs a template into the workspace, follows its steps live, and opens the project', async () => {
    const t = portal();
    renderApp('/create/templates/default/go-service', t);
    expect(await screen.findByText('fetch:template')).toBeTruthy();
    await fillAndPress('Create');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/create/runs/run-1'));
    expect(t.scaffolds[0]).toMatchObject({ template: ref, values: { name: 'ferry-radar' }, dryRun: false, overwrite: false, target: '/home/ada/src/ferry-radar' });

    const steps = within(await screen.findByTestId('run-steps'));
    expect(steps.getByText('Fetch the skeleton')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');
    act(() => {
      t.emit(Events.ScaffoldProgress, { runId: 'run-1', step: 'fetch', index: 0, kind: 'start' });
      t.emit(Events.ScaffoldProgress, { runId: 'run-1', step: 'fetch', index: 0, kind: 'log', line: 'wrote 12 files' });
      t.emit(Events.ScaffoldProgress, { runId: 'run-1', step: 'fetch', index: 0, kind: 'end', status: 'completed', durationMs: 12 });
      t.emit(Events.ScaffoldProgress, { runId: 'other', step: 'publish', index: 1, kind: 'start' });
    });
    expect(await steps.findByText('wrote 12 files')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByText(/1 step done/)).toBeTruthy();

    finish(t, 'run-1', {
      status: 'completed',
      steps: detail.steps.map((s) => ({ ...s, status: 'completed', durationMs: 3, log: [] })),
      links: [{ title: 'Open in catalog', entityRef: 'component:default/ferry-radar' }],
      publish: [{ remote: 'https://github.com/ada/ferry-radar', branch: 'main', status: 'pending', error: 'offline' }],
    });
    expect(await screen.findByText('Your project is ready.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    const result = within(screen.getByTestId('run-output'));
    expect(result.getByRole('link', { name: 'Open in catalog' }).getAttribute('href')).toBe('/catalog/component/default/ferry-radar');
    expect(result.getByText(/Not pushed to https:\/\/github.com\/ada\/ferry-radar yet \(offline\)/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: /Open in editor/ }));
    expect(t.opened).toEqual([{ path: '/home/ada/src/ferry-radar', with: 'editor' }]);
  });

  it('writes into the folder the user chose, and only over files when allowed', async () => {
    const t = portal();
    renderApp('/create/templates/default/go-service', t);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox', { name: 'Project folder' }), '/tmp/here');
    await user.click(screen.getByRole('checkbox', { name: /Write into a folder that has files/ }));
    await fillAndPress('Create');
    await waitFor(() => expect(t.scaffolds).toHaveLength(1));
    expect(t.scaffolds[0]).toMatchObject({ target: '/tmp/here', overwrite: true });
  });

  it('shows what a dry run would write, file by file', async () => {
    const t = portal();
    renderApp('/create/templates/default/go-service', t);
    await fillAndPress('Dry run');
    await waitFor(() => expect(t.scaffolds).toHaveLength(1));
    expect(t.scaffolds[0]).toMatchObject({ dryRun: true, target: undefined });
    finish(t, 'run-1', {
      status: 'completed',
      files: [
        { path: 'src', dir: true, size: 0, mode: 0o755 },
        { path: 'README.md', size: 12, mode: 0o644, content: '# ferry-radar' },
        { path: 'src/main.go', size: 14, mode: 0o644, content: 'package main\n' },
      ],
    });
    expect(await screen.findByText('The dry run went through.')).toBeTruthy();
    const files = within(screen.getByTestId('dry-run-files'));
    expect(files.getByLabelText('Content of README.md').textContent).toBe('# ferry-radar');
    await userEvent.click(files.getByRole('button', { name: 'src/main.go' }));
    expect(files.getByLabelText('Content of src/main.go').textContent).toBe('package main\n');
    expect(screen.queryByRole('button', { name: /Open in editor/ })).toBeNull();
  });

  it('cancels a run', async () => {
    const t = portal();
    renderApp('/create/templates/default/go-service', t);
    await fillAndPress('Create');
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(t.cancelled).toEqual(['run-1']);
    finish(t, 'run-1', { status: 'cancelled' });
    expect(await screen.findByText('Cancelled: nothing was written.')).toBeTruthy();
  });

  it('says why a template cannot start, and keeps the answers', async () => {
    const t = portal();
    t.scaffold = async () => {
      throw new Error('target "/home/ada/src/ferry-radar" is not empty');
    };
    renderApp('/create/templates/default/go-service', t);
    await fillAndPress('Create');
    expect((await screen.findByRole('alert')).textContent).toContain('is not empty');
    expect(screen.getByTestId('location').textContent).toBe('/create/templates/default/go-service');
    expect(screen.getByRole('button', { name: 'Create' })).toBeTruthy();
  });

  it('says on the review where each publish step pushes, and which host is not trusted', async () => {
    const t = portal();
    t.templates[ref] = {
      ...detail,
      parameters: [{ title: 'Where', properties: { repoUrl: { title: 'Repository', type: 'string' } } }],
      steps: [
        { id: 'publish', name: 'Publish', action: 'publish:github', repoUrl: '${{ parameters.repoUrl }}' },
        { id: 'mirror', name: 'Mirror', action: 'publish:gitlab', repoUrl: 'github.com?owner=ada&repo=mirror' },
      ],
    };
    renderApp('/create/templates/default/go-service', t);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox', { name: /Repository/ }), 'evil.example?owner=a&repo=b');
    await user.click(screen.getByRole('button', { name: 'Review' }));
    const review = within(await screen.findByLabelText('Where the project is pushed'));
    expect(review.getByRole('alert').textContent).toContain('would push to evil.example (a/b), which is not a trusted git host: Callboard will refuse this step. Add evil.example under Trusted git hosts in Settings');
    expect(review.getByText(/a host you use/).textContent).toContain('pushes to github.com (ada/mirror), a host you use');
  });

  it('shows why a template cannot run here', async () => {
    const t = portal();
    t.templates[ref] = { ...detail, problem: 'step publish: action "acme:deploy" is not known here' };
    renderApp('/create/templates/default/go-service', t);
    expect((await screen.findByRole('alert')).textContent).toContain('acme:deploy');
  });

  it('says which fetches by URL need the network, lists the kept ones, and still opens the form', async () => {
    const t = portal();
    const readAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    t.templates[ref] = {
      ...detail,
      fetches: [
        { step: 'Fetch the skeleton', url: 'https://github.com/org/skeletons/tree/main/go', cached: false },
        { step: 'License', url: 'https://github.com/org/legal/blob/main/LICENSE', cached: true, readAt },
      ],
    };
    renderApp('/create/templates/default/go-service', t);
    const notice = (await screen.findByText(/by URL that no run has fetched yet/)).closest('.fetch-notice')!;
    expect(notice.textContent).toContain('This template fetches a part by URL that no run has fetched yet');
    expect(notice.textContent).toContain('Fetch the skeleton: https://github.com/org/skeletons/tree/main/go');
    expect(notice.textContent).not.toContain('LICENSE');
    const kept = within(screen.getByRole('list', { name: 'Kept copies' }));
    expect(kept.getByText(/License fetches/).textContent).toContain('a copy read 3 hours ago is kept');
    expect(await screen.findByRole('textbox', { name: /Name/ })).toBeTruthy();
  });

  it('says so when the browser is offline', async () => {
    const t = portal();
    t.templates[ref] = { ...detail, fetches: [{ step: 'Fetch the skeleton', url: 'https://github.com/org/skeletons/tree/main/go', cached: false }] };
    const online = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine');
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      renderApp('/create/templates/default/go-service', t);
      expect((await screen.findByText(/by URL that no run has fetched yet/)).closest('.fetch-notice')!.textContent).toContain('You are offline, and this template fetches a part by URL that no run has fetched yet: those steps fail until you are back online.');
    } finally {
      if (online) Object.defineProperty(navigator, 'onLine', online);
      else delete (navigator as { onLine?: boolean }).onLine;
    }
  });
});

describe('suggestTarget', () => {
  it.each([
    [{ name: 'radar' }, '/home/ada/src/radar'],
    [{ repoUrl: 'github.com?owner=ada&repo=tide' }, '/home/ada/src/tide'],
    [{ repoUrl: 'local?repo=tide&path=/work/projects/' }, '/work/projects/tide'],
    [{ component_id: 'legacy' }, '/home/ada/src/legacy'],
    [{}, '/home/ada/src/new-project'],
  ])('%j → %s', (values, want) => {
    expect(suggestTarget('/home/ada/src/', values)).toBe(want);
  });
});

describe('followStep', () => {
  it('applies start, log and end to the step named', () => {
    const steps = [{ id: 'a', name: 'A', action: 'debug:log', status: 'pending' as const, durationMs: 0, log: [] }];
    const started = followStep(steps, { runId: 'r', step: 'a', index: 0, kind: 'start' });
    const logged = followStep(started, { runId: 'r', step: 'a', index: 0, kind: 'log', line: 'hi' });
    const ended = followStep(logged, { runId: 'r', step: 'a', index: 0, kind: 'end', status: 'completed', durationMs: 4 });
    expect(ended[0]).toMatchObject({ status: 'completed', log: ['hi'], durationMs: 4 });
    expect(followStep(steps, { runId: 'r', step: 'b', index: 1, kind: 'start' })).toEqual(steps);
  });
  it('tells apart steps that share an id by their place', () => {
    const step = { id: 'publish', name: 'Publish', action: 'debug:log', status: 'completed' as const, durationMs: 0, log: [] };
    const steps = [step, { ...step, status: 'pending' as const }];
    const started = followStep(steps, { runId: 'r', step: 'publish', index: 1, kind: 'start' });
    expect(started.map((s) => s.status)).toEqual(['completed', 'running']);
  });
});

describe('keepEvent', () => {
  it('keeps the newest 2,000 log lines of a flood, and every start and end', () => {
    let events: ScaffoldEvent[] = [{ runId: 'r', step: 'a', index: 0, kind: 'start' }];
    for (let i = 0; i < 5000; i++) events = keepEvent(events, { runId: 'r', step: 'a', index: 0, kind: 'log', line: `line ${i}` });
    events = keepEvent(events, { runId: 'r', step: 'a', index: 0, kind: 'end', status: 'completed', durationMs: 1 });
    const logs = events.filter((e) => e.kind === 'log');
    expect(logs).toHaveLength(2000);
    expect(logs[0]!.line).toBe('line 3000');
    expect(events[0]!.kind).toBe('start');
    expect(events.at(-1)!.kind).toBe('end');
  });
});
