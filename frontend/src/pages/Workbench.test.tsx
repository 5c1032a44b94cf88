import { describe, expect, it } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Events, type TemplateDetail, type Workbench, type WorkbenchRun, type WorkbenchRunRequest } from '../api/types.gen';
import { FakeTransport, renderApp } from '../test/fakes';

const detail = (fields: string[]): TemplateDetail => ({
  ref: 'template:default/bench',
  title: 'Bench',
  workspace: '/home/ada/src',
  parameters: [{ title: 'Fill in', properties: Object.fromEntries(fields.map((f) => [f, { title: f[0]!.toUpperCase() + f.slice(1), type: 'string' }])) }],
  steps: [{ id: 'fetch', name: 'Fetch', action: 'fetch:template' }],
  trustedHosts: [],
  fetches: [],
});

const bench = (version: number, fields: string[], patch: Partial<Workbench> = {}): Workbench => ({
  id: 'wb1',
  dir: '/home/ada/templates/bench',
  file: 'template.yaml',
  template: detail(fields),
  problems: [],
  watched: 2,
  version,
  changed: [],
  ...patch,
});

/** A portal with one workbench, which dry-runs into a README naming the form's name. */
class WorkbenchPortal extends FakeTransport {
  dryRuns: WorkbenchRunRequest[] = [];
  openedDirs: string[] = [];
  closed: string[] = [];

  async openWorkbench(dir: string): Promise<Workbench> {
    this.openedDirs.push(dir);
    return bench(1, ['name']);
  }

  async workbenchDryRun(id: string, req: WorkbenchRunRequest): Promise<WorkbenchRun> {
    this.dryRuns.push(req);
    const name = (req.values as { name?: string } | undefined)?.name ?? '';
    const first = this.dryRuns.length === 1;
    return {
      run: { id: `workbench-${id}`, template: 'template:default/bench', title: 'Bench', status: 'completed', started: '', steps: [{ id: 'fetch', name: 'Fetch', action: 'fetch:template', status: 'completed', durationMs: 3, log: ['Fetched'] }], links: [], texts: [], files: [{ path: 'README.md', size: 3, mode: 420, content: `# ${name}\n` }] },
      first,
      changes: first ? [] : [{ path: 'README.md', change: 'changed', diff: `--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-# old\n+# ${name}\n` }],
    };
  }

  async closeWorkbench(id: string): Promise<void> {
    this.closed.push(id);
  }
}

describe('Workbench', () => {
  it('asks for a folder, then opens it', async () => {
    const t = new WorkbenchPortal();
    renderApp('/create/workbench', t);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox', { name: 'Template folder' }), '/home/ada/templates/bench');
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(await screen.findByRole('textbox', { name: /Name/ })).toBeTruthy();
    expect(t.openedDirs).toEqual(['/home/ada/templates/bench']);
  });

  it('re-renders the form as the folder is saved, keeps the values typed, and dry-runs them', async () => {
    const t = new WorkbenchPortal();
    const { unmount } = renderApp(`/create/workbench?dir=${encodeURIComponent('/home/ada/templates/bench')}`, t);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox', { name: /Name/ }), 'radar');
    await waitFor(() => expect(t.dryRuns.at(-1)?.values).toEqual({ name: 'radar' }));
    expect(await screen.findByLabelText('Content of README.md')).toHaveProperty('textContent', '# radar\n');

    // Saved with a new field: it appears, and the name stays.
    act(() => t.emit(Events.WorkbenchChanged, bench(2, ['name', 'owner'], { changed: ['template.yaml'] })));
    expect(await screen.findByRole('textbox', { name: /Owner/ })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /Name/ })).toHaveProperty('value', 'radar');

    // Broken: where, and the form kept; the field gone and back keeps its value.
    act(() => t.emit(Events.WorkbenchChanged, bench(3, ['owner'], { problems: [{ file: 'template.yaml', line: 4, column: 9, message: 'did not find expected node content' }] })));
    expect((await screen.findByRole('alert', { name: 'Problems' })).textContent).toContain('template.yaml:4:9: did not find expected node content');
    act(() => t.emit(Events.WorkbenchChanged, bench(4, ['name', 'owner'])));
    await waitFor(() => expect(screen.queryByRole('alert', { name: 'Problems' })).toBeNull());
    expect(screen.getByRole('textbox', { name: /Name/ })).toHaveProperty('value', 'radar');

    // The changes since the last dry run.
    await waitFor(() => expect(t.dryRuns.length).toBeGreaterThan(1));
    await user.click(await screen.findByRole('tab', { name: /Changes since last run \(1\)/ }));
    expect((await screen.findByLabelText('Diff of README.md')).textContent).toContain('+# radar');

    unmount();
    expect(t.closed).toEqual(['wb1']);
  });

  it('says when a run made the same files, and keeps showing the last changes', async () => {
    class Same extends WorkbenchPortal {
      async workbenchDryRun(id: string, req: WorkbenchRunRequest): Promise<WorkbenchRun> {
        const r = await super.workbenchDryRun(id, req);
        return r.first ? r : { ...r, same: true };
      }
    }
    const t = new Same();
    renderApp(`/create/workbench?dir=${encodeURIComponent('/home/ada/templates/bench')}`, t);
    const user = userEvent.setup();
    const name = await screen.findByRole('textbox', { name: /Name/ });
    await user.type(name, 'r');
    await waitFor(() => expect(t.dryRuns.at(-1)?.values).toEqual({ name: 'r' }));
    await user.type(name, 'a');
    await waitFor(() => expect(t.dryRuns.at(-1)?.values).toEqual({ name: 'ra' }));
    await user.click(await screen.findByRole('tab', { name: /Changes since last run \(1\)/ }));
    expect(await screen.findByText(/made the same files as the one before/)).toBeTruthy();
    expect(screen.getByLabelText('Diff of README.md')).toBeTruthy();
  });
});
