import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import type { PluginBlock, PluginView as View } from '../../api/pluginViews';
import type { PluginActionResult } from '../../api/types.gen';
import { PluginView } from './PluginView';
import { PluginActionScope, type ActionScope } from './PluginAction';

const logs = { id: 'logs', label: 'Logs', parameters: { pod: 'web-1', container: 'app' }, confirm: '', style: 'VIEW_ACTION_STYLE_DEFAULT' };
const restart = { id: 'restart', label: 'Restart rollout', parameters: { name: 'web' }, confirm: 'Restart every pod of web?', style: 'VIEW_ACTION_STYLE_DANGER' };

function show(blocks: unknown[], run?: ActionScope['run']) {
  const v: View = { id: 'k', title: 'Kubernetes', placement: 'PLACEMENT_TAB', blocks: blocks as PluginBlock[] };
  const view = <PluginView view={v} />;
  return render(<MemoryRouter>{run ? <PluginActionScope scope={{ run }}>{view}</PluginActionScope> : view}</MemoryRouter>);
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('plugin view actions', () => {
  it('runs a cell button from the keyboard, shows loading, then the log in place', async () => {
    const answer = deferred<PluginActionResult>();
    const run = vi.fn(() => answer.promise);
    show(
      [{ table: { columns: ['Pod', ''], rows: [{ cells: [{ text: 'web-1', status: 'STATUS_NONE', url: '' }, { text: '', status: 'STATUS_NONE', url: '', action: logs }] }] } }],
      run,
    );
    const user = userEvent.setup();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Logs' }));
    await user.keyboard('{Enter}');
    expect(run).toHaveBeenCalledWith(expect.objectContaining({ id: 'logs', parameters: { pod: 'web-1', container: 'app' } }));
    expect(screen.getByRole('status').textContent).toContain('Running Logs');
    answer.resolve({ blocks: [{ log: { title: 'web-1/app', lines: ['started', 'listening on :8080'], truncated: true } }], durationMs: 12 });
    const result = await screen.findByTestId('plugin-action-result');
    expect(within(result).getByLabelText('web-1/app').textContent).toBe('started\nlistening on :8080');
    expect(within(result).getByText('Earlier lines left out.')).toBeTruthy();
  });

  it('asks before a dangerous action, and runs nothing when cancelled', async () => {
    const run = vi.fn(() => Promise.resolve<PluginActionResult>({ blocks: [{ notice: { text: 'Restarted web.', status: 'STATUS_OK' } }], durationMs: 3 }));
    show([{ actions: { items: [restart] } }], run);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Restart rollout' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('Restart every pod of web?');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(run).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Restart rollout' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Restart rollout' }));
    expect(run).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('Restarted web.')).toBeTruthy();
  });

  it('shows a failure as such, and a refused call', async () => {
    const run = vi
      .fn<ActionScope['run']>()
      .mockResolvedValueOnce({ blocks: [], error: 'plugin unavailable: it did not answer within 15s', durationMs: 15000 })
      .mockRejectedValueOnce(new Error('invalid request: the plugin did not offer this action here'));
    show([{ links: { items: [{ title: 'Events', url: '', action: { ...logs, id: 'events', label: 'Events' } }] } }], run);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Events' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Events failed: plugin unavailable: it did not answer within 15s');
    await user.click(screen.getByRole('button', { name: 'Events' }));
    expect((await screen.findByRole('alert')).textContent).toContain('did not offer this action here');
  });

  it('leaves buttons disabled where no entity is in scope, and drops what is no action', () => {
    show([{ actions: { items: [logs, { id: '', label: 'nameless' }, 'junk'] } }]);
    const buttons = screen.getAllByTestId('plugin-action');
    expect(buttons.map((b) => b.textContent)).toEqual(['Logs']);
    expect((buttons[0] as HTMLButtonElement).disabled).toBe(true);
  });
});
