import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import type { PluginBlock, PluginView as View } from '../../api/pluginViews';
import { PluginView } from './PluginView';

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
