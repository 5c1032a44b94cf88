import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import type { PluginBlock, PluginView as View } from '../../api/pluginViews';
import type { PluginActionResult } from '../../api/types.gen';
import { PluginView } from './PluginView';
import { PluginActionScope, type ActionScope } from './PluginAction';
import { FOLLOW_GAP } from './logModel';

// A CI job's log as the ci plugin sends it: steps as sections, the failed one open.
const jobLog: PluginBlock = {
  log: {
    title: 'Log of job test',
    lines: [],
    truncated: false,
    sections: [
      { title: 'Set up job', lines: ['Current runner version'], status: 'STATUS_OK', open: false, duration: '1s' },
      { title: 'Run go test ./...', lines: ['go test ./...', '--- FAIL: TestCharge', 'Error: exit code 1'], status: 'STATUS_ERROR', open: true, duration: '13m 35s' },
      { title: 'Complete job', lines: ['Cleaning up', 'TestCharge leftovers removed'], status: 'STATUS_OK', open: false, duration: '2s' },
    ],
  },
};

function show(blocks: PluginBlock[]) {
  const v: View = { id: 'ci', title: 'CI', placement: 'PLACEMENT_TAB', blocks };
  return render(
    <MemoryRouter>
      <PluginView view={v} />
    </MemoryRouter>,
  );
}

describe('a folded log', () => {
  it('shows the failed step open and the others folded, each unfoldable', async () => {
    show([jobLog]);
    const setup = screen.getByRole('button', { name: /Set up job/ });
    const failed = screen.getByRole('button', { name: /Run go test/ });
    expect(setup.getAttribute('aria-expanded')).toBe('false');
    expect(failed.getAttribute('aria-expanded')).toBe('true');
    expect(failed.textContent).toContain('error');
    expect(failed.textContent).toContain('13m 35s');
    expect(screen.getByLabelText('Run go test ./...').textContent).toContain('--- FAIL: TestCharge');
    expect(screen.queryByLabelText('Set up job')).toBeNull();
    await userEvent.setup().click(setup);
    expect(setup.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByLabelText('Set up job').textContent).toBe('Current runner version');
  });

  it('searches: only matching lines, marked, in the sections that hold them, opened', async () => {
    show([jobLog]);
    const user = userEvent.setup();
    await user.type(screen.getByRole('searchbox', { name: 'Search in Log of job test' }), 'testcharge');
    expect(screen.getByRole('status').textContent).toBe('2 matching lines');
    const failed = screen.getByLabelText('Run go test ./...');
    expect(failed.textContent).toBe('--- FAIL: TestCharge\n');
    expect(within(failed).getByText('TestCharge').tagName).toBe('MARK');
    expect(screen.getByRole('button', { name: /Complete job/ }).getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByLabelText('Complete job').textContent).toBe('TestCharge leftovers removed\n');
    expect(screen.getByRole('button', { name: /Set up job/ }).getAttribute('aria-expanded')).toBe('false');
    await user.clear(screen.getByRole('searchbox'));
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByLabelText('Complete job')).toBeNull();
  });

  it('keeps a log without sections as it was', () => {
    show([{ log: { title: 'web-1/app', lines: ['started'], truncated: false } }]);
    expect(screen.getByLabelText('web-1/app').textContent).toBe('started');
    expect(screen.queryByRole('searchbox')).toBeNull();
  });
});

const followAt = (since: string) => ({ id: 'logs', label: 'Follow', parameters: { pod: 'web-1', since }, confirm: '', style: 'VIEW_ACTION_STYLE_DEFAULT' as const });
const answer = (lines: string[], since: string): PluginActionResult => ({ blocks: [{ log: { title: 'web-1/app', lines, truncated: false, follow: followAt(since) } }], durationMs: 3 });

function follow(run: ActionScope['run'], follows = true) {
  const v: View = { id: 'k', title: 'Kubernetes', placement: 'PLACEMENT_TAB', blocks: [{ log: { title: 'web-1/app', lines: ['a'], truncated: false, follow: follows ? followAt('1') : null } }] };
  return render(
    <MemoryRouter>
      <PluginActionScope scope={{ run }}>
        <PluginView view={v} />
      </PluginActionScope>
    </MemoryRouter>,
  );
}

const tick = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
const log = () => screen.getByLabelText('web-1/app').textContent;
const toggle = () => screen.getByRole('button', { name: 'Follow' });

describe('following a log', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('appends the lines of each call, one call at a time, and stops on a notice saying why', async () => {
    let later: (r: PluginActionResult) => void = () => {};
    const run = vi
      .fn<ActionScope['run']>()
      .mockResolvedValueOnce(answer(['b'], '2'))
      .mockImplementationOnce(() => new Promise((r) => (later = r)));
    follow(run);
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle());
    expect(toggle().getAttribute('aria-pressed')).toBe('true');
    await tick(0);
    expect(run).toHaveBeenLastCalledWith(expect.objectContaining({ parameters: { pod: 'web-1', since: '1' } }));
    expect(log()).toBe('a\nb');
    await tick(2000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(run).toHaveBeenLastCalledWith(expect.objectContaining({ parameters: { pod: 'web-1', since: '2' } }));
    await tick(10_000);
    expect(run).toHaveBeenCalledTimes(2);
    await act(async () => later({ blocks: [{ notice: { text: 'Cluster kind-prod: timed out.', status: 'STATUS_WARNING' } }], durationMs: 3 }));
    expect(screen.getByRole('status').textContent).toBe('Stopped following: Cluster kind-prod: timed out.');
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
    expect(log()).toBe('a\nb');
    await tick(10_000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('stops when toggled off, on an error, and when unmounted', async () => {
    const run = vi.fn<ActionScope['run']>().mockResolvedValue(answer([], '1'));
    const { unmount } = follow(run);
    fireEvent.click(toggle());
    await tick(0);
    fireEvent.click(toggle());
    await tick(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    run.mockRejectedValueOnce(new Error('the portal went away'));
    fireEvent.click(toggle());
    await tick(0);
    expect(screen.getByRole('status').textContent).toBe('Stopped following: Error: the portal went away');
    fireEvent.click(toggle());
    await tick(0);
    expect(run).toHaveBeenCalledTimes(3);
    unmount();
    await tick(10_000);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('keeps the last 5,000 lines, saying so, and stops after 30 minutes', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => `line ${i}`);
    const run = vi.fn<ActionScope['run']>().mockResolvedValueOnce(answer(many, '2')).mockResolvedValue(answer([], '2'));
    follow(run);
    fireEvent.click(toggle());
    await tick(0);
    const lines = log()?.split('\n') ?? [];
    expect(lines.length).toBe(5000);
    expect(lines[4999]).toBe('line 5999');
    expect(screen.getByText(/Earlier lines dropped/)).toBeTruthy();
    await tick(30 * 60 * 1000);
    expect(screen.getByRole('status').textContent).toBe('Stopped following after 30 minutes.');
    expect(run.mock.calls.length).toBeLessThanOrEqual(30 * 30 + 1);
  });

  it('marks where a call brought only the last of the lines since the one before', async () => {
    const cut: PluginActionResult = { blocks: [{ log: { title: 'web-1/app', lines: ['x', 'y'], truncated: true, follow: followAt('3') } }], durationMs: 3 };
    const run = vi.fn<ActionScope['run']>().mockResolvedValueOnce(cut).mockResolvedValueOnce(answer(['z'], '4')).mockResolvedValue(answer([], '4'));
    follow(run);
    fireEvent.click(toggle());
    await tick(0);
    await tick(2000);
    expect(log()).toBe(`a\n${FOLLOW_GAP}\nx\ny\nz`);
  });

  it('stops after the lines of an answer without a next call, saying its notice', async () => {
    const last: PluginActionResult = {
      blocks: [
        { log: { title: 'Live events', lines: ['12:00:01 Warning BackOff pod/web-1: Back-off'], truncated: false, follow: null } },
        { notice: { text: 'Cluster kind-prod: the watch of events in prod sent line 2 that is not a watch event: following stopped.', status: 'STATUS_WARNING' } },
      ],
      durationMs: 3,
    };
    const run = vi.fn<ActionScope['run']>().mockResolvedValueOnce(last);
    follow(run);
    fireEvent.click(toggle());
    await tick(0);
    expect(log()).toBe('a\n12:00:01 Warning BackOff pod/web-1: Back-off');
    expect(screen.getByRole('status').textContent).toBe('Stopped following: Cluster kind-prod: the watch of events in prod sent line 2 that is not a watch event: following stopped.');
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
    await tick(10_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('offers no toggle for a log without follow', () => {
    follow(vi.fn(), false);
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
  });
});
