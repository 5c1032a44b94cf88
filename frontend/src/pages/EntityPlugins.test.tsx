import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import { Events, type EntityDetail, type FrontendError, type PluginContent } from '../api/types.gen';
import { installErrorReporting } from '../errors';
import { setLanguage } from '../locale';

const payments: EntityDetail = {
  ...summary('Component', 'payments', { title: 'Payments Service', owner: 'group:default/payments-team' }),
  entity: { metadata: { name: 'payments' } },
  relations: [],
  source: { locationId: 'demo', file: 'catalog-info.yaml', line: 1, commit: '0123456789abcdef' },
  yaml: '',
};

const gitStats: PluginContent = {
  plugin: 'git-stats',
  version: '0.3.0',
  durationMs: 42,
  views: [
    {
      id: 'commits',
      title: 'Recent commits',
      placement: 'PLACEMENT_CARD',
      blocks: [
        { keyValues: { items: [{ key: 'Last commit', value: '2 hours ago', status: 'STATUS_NONE', url: '' }] } },
        { chart: { title: 'Commits per day', kind: 'CHART_BAR', unit: 'commits', series: [{ name: 'main', points: [{ label: '2026-11-02T00:00:00Z', value: 3 }, { label: '2026-11-03T00:00:00Z', value: 1 }] }] } },
      ],
    },
    {
      id: 'contributors',
      title: 'Contributors',
      placement: 'PLACEMENT_TAB',
      blocks: [{ table: { columns: ['Who', 'Commits'], rows: [{ cells: [{ text: 'Ada', status: 'STATUS_NONE', url: '' }, { text: '12', status: 'STATUS_NONE', url: '' }] }] } }],
    },
  ],
};

const ci: PluginContent = { plugin: 'ci-status', version: '1.0.0', durationMs: 3, views: [], error: 'plugin unavailable: it crashed (exit status 2)' };
const pager: PluginContent = { plugin: 'pager', version: '1.0.0', durationMs: 5000, views: [], error: 'did not answer in 5s' };

function portal(content: PluginContent[] = [gitStats, ci, pager]) {
  const t = new FakeTransport([], { [payments.ref]: payments });
  t.pluginContent[payments.ref] = content;
  return t;
}

describe('Entity page plugins', () => {
  it('shows the entity first, a placeholder while plugins answer, then their cards after the built-in ones', async () => {
    const t = portal();
    let answer = () => {};
    t.pluginGate = new Promise((resolve) => (answer = resolve));
    renderApp('/catalog/component/default/payments', t);
    expect((await screen.findByTestId('entity-title')).textContent).toBe('Payments Service');
    const placeholder = screen.getByTestId('plugin-loading');
    expect(within(placeholder).getByRole('status').textContent).toBe('Loading plugin views…');
    expect(screen.queryByTestId('plugin-card')).toBeNull();

    answer();
    const card = await screen.findByTestId('plugin-card');
    expect(screen.queryByTestId('plugin-loading')).toBeNull();
    expect(card.getAttribute('aria-label')).toBe('Recent commits');
    expect(within(card).getByText('git-stats').className).toContain('plugin-attribution');
    expect(within(card).getByText('2 hours ago')).toBeTruthy();
    expect(await within(card).findByRole('figure', { name: /Commits per day/ })).toBeTruthy();

    // After the built-in cards, in the Overview's grid.
    const grid = card.parentElement!;
    const names = [...grid.children].map((c) => c.getAttribute('aria-label'));
    expect(names.slice(0, 4)).toEqual(['About', 'Relations', 'Questions', 'Recent commits']);
  });

  it("shows a failed plugin as unavailable while the other plugin's card still shows", async () => {
    renderApp('/catalog/component/default/payments', portal());
    expect(await screen.findByTestId('plugin-card')).toBeTruthy();
    const failed = screen.getAllByTestId('plugin-unavailable');
    expect(failed.map((c) => c.getAttribute('aria-label'))).toEqual(['ci-status', 'pager']);
    // The host's message is not said twice; a bare one gets the prefix.
    expect(within(failed[0]!).getByRole('note').textContent).toBe('plugin unavailable: it crashed (exit status 2)');
    expect(within(failed[1]!).getByRole('note').textContent).toBe('plugin unavailable: did not answer in 5s');
    expect(within(failed[0]!).getByRole('note').className).toContain('banner-warn');
    expect(screen.getByTestId('entity-about')).toBeTruthy();
  });

  it("makes a tab view a tab of its own, in the URL like the others", async () => {
    renderApp('/catalog/component/default/payments', portal());
    await userEvent.click(await screen.findByRole('tab', { name: 'Contributors' }));
    expect(screen.getByTestId('location').textContent).toBe('/catalog/component/default/payments?tab=git-stats-contributors');
    const tab = screen.getByTestId('plugin-tab');
    expect(within(tab).getByRole('cell', { name: 'Ada' })).toBeTruthy();
    expect(within(tab).getByText('git-stats')).toBeTruthy();
    expect(screen.queryByTestId('plugin-card')).toBeNull();
  });

  it('opens a plugin tab from a link once the plugins answer', async () => {
    const t = portal();
    let answer = () => {};
    t.pluginGate = new Promise((resolve) => (answer = resolve));
    renderApp('/catalog/component/default/payments?tab=git-stats-contributors', t);
    expect(await screen.findByText('Loading plugin views…', { selector: '.state span' })).toBeTruthy();
    expect(screen.queryByTestId('entity-about')).toBeNull();
    answer();
    expect(within(await screen.findByTestId('plugin-tab')).getByText('Ada')).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Contributors' }).getAttribute('aria-selected')).toBe('true');
  });

  it('keeps the page when the plugins cannot be asked at all, and asks again when they change', async () => {
    const t = portal([]);
    t.entityPlugins = async () => {
      throw new Error('plugin host is not running');
    };
    renderApp('/catalog/component/default/payments', t);
    const card = await screen.findByTestId('plugin-unavailable');
    expect(card.textContent).toContain('Plugins unavailable: plugin host is not running');
    expect(screen.getByTestId('entity-about')).toBeTruthy();

    t.entityPlugins = FakeTransport.prototype.entityPlugins.bind(t);
    t.pluginContent[payments.ref] = [gitStats];
    t.emit(Events.PluginsChanged);
    await waitFor(() => expect(screen.getByTestId('plugin-card')).toBeTruthy());
    expect(screen.queryByTestId('plugin-unavailable')).toBeNull();
  });

  it('shows nothing of plugins when none has anything to show', async () => {
    renderApp('/catalog/component/default/payments', portal([]));
    await screen.findByTestId('entity-title');
    await waitFor(() => expect(screen.queryByTestId('plugin-loading')).toBeNull());
    expect(screen.queryByTestId('plugin-card')).toBeNull();
    expect(screen.queryByTestId('plugin-unavailable')).toBeNull();
  });

  describe('when a card cannot be drawn', () => {
    let uninstall: (() => void) | undefined;
    afterEach(() => {
      uninstall?.();
      vi.unstubAllGlobals();
      vi.restoreAllMocks();
      setLanguage('en');
    });

    // A chart over the points a card draws: the chart code throws while rendering.
    const badChart: PluginContent = {
      plugin: 'bad-chart',
      version: '0.0.1',
      durationMs: 1,
      views: [
        {
          id: 'chart',
          title: 'Bad chart',
          placement: 'PLACEMENT_CARD',
          blocks: [{ chart: { title: 'Too much', kind: 'CHART_LINE', unit: '', series: [{ name: 's', points: Array.from({ length: 6000 }, (_, i) => ({ label: `p${i}`, value: i })) }] } }],
        },
      ],
    };

    it('shows that card\'s error in the card, logs it, and keeps the rest of the page', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const sent: FrontendError[] = [];
      uninstall = installErrorReporting(async (e) => {
        sent.push(e);
      });
      renderApp('/catalog/component/default/payments', portal([badChart, gitStats]));
      const failed = await screen.findByTestId('error-card');
      expect(failed.textContent).toContain('This card could not be shown: Error: the chart has 6,000 points, more than the 5,000 a card draws');
      expect(failed.closest('section')?.getAttribute('aria-label')).toBe('Bad chart');
      expect(within(screen.getAllByTestId('plugin-card')[1]!).getByText('2 hours ago')).toBeTruthy();
      expect(screen.getByTestId('entity-about')).toBeTruthy();
      expect(screen.getByRole('tab', { name: 'Contributors' })).toBeTruthy();
      await waitFor(() => expect(sent.some((e) => e.kind === 'boundary')).toBe(true));
      const report = sent.find((e) => e.kind === 'boundary')!;
      expect(report.where).toBe('plugin view bad-chart/chart');
      expect(report.message).toContain('6,000 points');
      expect(sent.filter((e) => e.kind !== 'boundary')).toEqual([]);

      // Retry draws it again (and here fails again, the same way).
      await userEvent.click(within(failed).getByRole('button', { name: 'Retry' }));
      expect((await screen.findByTestId('error-card')).textContent).toContain('6,000 points');
    });

    it('draws the whole page, charts too, when the browser names its language "C" (WebKitGTK under LANG=C.UTF-8)', async () => {
      vi.stubGlobal('navigator', { ...navigator, language: 'C', languages: ['C'] });
      setLanguage('');
      renderApp('/catalog/component/default/payments', portal([gitStats]));
      const card = await screen.findByTestId('plugin-card');
      expect(await within(card).findByRole('figure', { name: /Commits per day/ })).toBeTruthy();
      expect(screen.queryByTestId('error-card')).toBeNull();
    });
  });
});
