import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import type { PluginBlock, PluginView as View } from '../../api/pluginViews';
import { PluginView } from './PluginView';
import { linkTarget } from './PluginLink';

function view(blocks: unknown[]): View {
  return { id: 'v', title: 'Build health', placement: 'PLACEMENT_CARD', blocks: blocks as PluginBlock[] };
}

function show(blocks: unknown[]) {
  return render(
    <MemoryRouter>
      <PluginView view={view(blocks)} />
    </MemoryRouter>,
  );
}

describe('PluginView', () => {
  it('draws headings, key/values, tables with status badges, badges, links and notices', () => {
    show([
      { heading: { text: 'Last build' } },
      {
        keyValues: {
          items: [
            { key: 'Branch', value: 'main', status: 'STATUS_NONE', url: '' },
            { key: 'Result', value: 'passed', status: 'STATUS_OK', url: '' },
            { key: 'Owner', value: 'payments-team', status: 'STATUS_NONE', url: '/catalog/group/default/payments-team' },
          ],
        },
      },
      {
        table: {
          columns: ['Job', 'State', 'Log'],
          rows: [
            { cells: [{ text: 'test', status: 'STATUS_NONE', url: '' }, { text: 'failed', status: 'STATUS_ERROR', url: '' }, { text: 'open', status: 'STATUS_NONE', url: 'https://ci.example/1' }] },
            { cells: [{ text: 'lint', status: 'STATUS_NONE', url: '' }, { text: 'queued', status: 'STATUS_PENDING', url: '' }, { text: 'x', status: 7, url: 'javascript:alert(1)' }] },
          ],
        },
      },
      { badges: { items: [{ text: 'flaky', status: 'STATUS_WARNING' }, { text: 'go 1.25', status: 'STATUS_NONE' }] } },
      { links: { items: [{ title: 'Pipeline', url: 'https://ci.example/payments' }, { title: 'Mail the team', url: 'mailto:pay@example.com' }, { title: 'Sneaky', url: 'data:text/html,<b>x</b>' }] } },
      { notice: { text: 'offline: runs cached 3 h ago', status: 'STATUS_WARNING' } },
    ]);
    expect(screen.getByRole('heading', { name: 'Last build' })).toBeTruthy();
    expect(screen.getByText('Branch').nextElementSibling?.textContent).toBe('main');
    expect(screen.getByText('passed').closest('.badge')?.className).toContain('badge-good');
    expect(screen.getByRole('link', { name: 'payments-team' }).getAttribute('href')).toBe('/catalog/group/default/payments-team');

    const table = within(screen.getByRole('table'));
    expect(table.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Job', 'State', 'Log']);
    expect(table.getByText('failed').closest('.badge')?.className).toContain('badge-bad');
    expect(table.getByText('queued').closest('.badge')?.className).toContain('badge-neutral');
    expect(table.getByRole('link', { name: /open/ }).getAttribute('href')).toBe('https://ci.example/1');
    // An unknown status is none; a javascript: URL is no link.
    expect(table.getByText('x').closest('.badge')).toBeNull();
    expect(table.queryByRole('link', { name: 'x' })).toBeNull();

    expect(screen.getByText('flaky').className).toContain('badge-warn');
    expect(screen.getByText('go 1.25').className).toContain('badge-neutral');
    expect(screen.getByRole('link', { name: /Pipeline/ }).getAttribute('href')).toBe('https://ci.example/payments');
    expect(screen.getByRole('link', { name: /Mail the team/ }).getAttribute('href')).toBe('mailto:pay@example.com');
    expect(screen.getByText('Sneaky').closest('a')).toBeNull();
    expect(screen.getByRole('note').className).toContain('banner-warn');
  });

  it('opens web links in the system browser in the window', async () => {
    const open = vi.fn();
    window.runtime = { EventsOn: vi.fn(() => () => {}), BrowserOpenURL: open, WindowSetTitle: vi.fn() };
    try {
      show([{ links: { items: [{ title: 'Pipeline', url: 'https://ci.example/payments' }] } }]);
      await userEvent.click(screen.getByRole('link', { name: /Pipeline/ }));
      expect(open).toHaveBeenCalledWith('https://ci.example/payments');
    } finally {
      delete window.runtime;
    }
  });

  it('renders Markdown without raw HTML, scripts, images or unsafe links', () => {
    const { container } = show([
      {
        markdown:
          '## Runbook\n\nRestart with **care**.\n\n<script>alert(1)</script>\n\n<img src="https://evil.example/a.png" onerror="alert(2)">\n\n' +
          '[bad](javascript:alert(1)) [good](https://example.com/runbook) [entity](/catalog/component/default/ledger) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n![logo](https://evil.example/logo.png)',
      },
    ]);
    expect(screen.getByRole('heading', { name: 'Runbook' })).toBeTruthy();
    expect(screen.getByText('care').tagName).toBe('STRONG');
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(screen.getByText('bad').closest('a')).toBeNull();
    expect(screen.getByText('data').closest('a')).toBeNull();
    expect(container.innerHTML).not.toMatch(/javascript:|data:text/);
    expect(screen.getByRole('link', { name: /good/ }).getAttribute('href')).toBe('https://example.com/runbook');
    expect(screen.getByRole('link', { name: 'entity' }).getAttribute('href')).toBe('/catalog/component/default/ledger');
    expect(screen.getByText('logo')).toBeTruthy();
  });

  it('draws a chart with its title as accessible name and every value in a table', async () => {
    show([
      {
        chart: {
          title: 'Commits per day',
          kind: 'CHART_LINE',
          unit: 'commits',
          series: [
            {
              name: 'main',
              points: [
                { label: '2026-11-03T00:00:00Z', value: 5 },
                { label: '2026-11-02T00:00:00Z', value: 3 },
                { label: '2026-11-04T00:00:00Z', value: 0 },
              ],
            },
          ],
        },
      },
      { chart: { title: 'Builds by result', kind: 'CHART_BAR', unit: '', series: [{ name: 'builds', points: [{ label: 'passed', value: 12 }, { label: 'failed', value: 2 }] }] } },
    ]);
    const line = await screen.findByRole('figure', { name: /Commits per day/ });
    const img = within(line).getByRole('img');
    expect(img.getAttribute('aria-label')).toMatch(/^Commits per day: Line chart of main, 3 dates from Nov 2, 2026 to Nov 4, 2026; values 0 commits to 5 commits\.$/);
    expect(line.querySelector('path.plugin-line')).toBeTruthy();
    // Dates on the axis, not RFC 3339 strings.
    expect(line.textContent).not.toContain('2026-11-02T');
    expect(within(line).getAllByText('Nov 2').length).toBeGreaterThan(0);
    const data = within(within(line).getByRole('table', { name: 'Commits per day' }));
    expect(data.getAllByRole('row').map((r) => r.textContent)).toEqual(['Datemain', 'Nov 2, 20263 commits', 'Nov 3, 20265 commits', 'Nov 4, 20260 commits']);

    const bar = screen.getByRole('figure', { name: 'Builds by result' });
    expect(bar.querySelectorAll('rect')).toHaveLength(2);
    expect(within(bar).getAllByText('passed').length).toBeGreaterThan(0);
    expect(within(bar).getByRole('img').getAttribute('aria-label')).toContain('Bar chart of builds, 2 categories passed to failed');
  });

  it('skips blocks of kinds it does not know, and survives missing lists', () => {
    show([{ hologram: { text: 'from the future' } }, null, { table: {} }, { keyValues: {} }, { heading: { text: 'still here' } }]);
    expect(screen.getByRole('heading', { name: 'still here' })).toBeTruthy();
    expect(screen.queryByText('from the future')).toBeNull();
  });
});

describe('linkTarget', () => {
  it('keeps app routes and web and mail addresses, nothing else', () => {
    expect(linkTarget('/catalog/component/default/x')).toEqual({ route: '/catalog/component/default/x' });
    expect(linkTarget('#/docs')).toEqual({ route: '/docs' });
    expect(linkTarget('https://example.com')).toEqual({ href: 'https://example.com' });
    expect(linkTarget('mailto:a@example.com')).toEqual({ href: 'mailto:a@example.com' });
    for (const bad of ['', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'relative/path', 'vbscript:x']) {
      expect(linkTarget(bad)).toBeNull();
    }
  });
});
