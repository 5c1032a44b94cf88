import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail, PluginContent } from '../api/types.gen';

const web: EntityDetail = {
  ...summary('Component', 'web', { title: 'Web' }),
  entity: { metadata: { name: 'web' } },
  relations: [],
  source: { locationId: 'demo', file: 'catalog-info.yaml', line: 1, commit: '0123456789abcdef' },
  yaml: '',
};

const logs = { id: 'logs', label: 'Logs (previous)', parameters: { pod: 'web-1', container: 'app', previous: 'true' }, confirm: '', style: 'VIEW_ACTION_STYLE_DEFAULT' };
const kubernetes: PluginContent = {
  plugin: 'kubernetes',
  version: '1.0.0',
  durationMs: 30,
  views: [
    {
      id: 'kubernetes-errors',
      title: 'Kubernetes: detected errors',
      placement: 'PLACEMENT_CARD',
      blocks: [{ table: { columns: ['Resource', 'Error', ''], rows: [{ cells: [{ text: 'pod prod/web-1' }, { text: 'CrashLoopBackOff', status: 'STATUS_ERROR' }, { text: '', action: logs }] }] } }],
    },
  ],
};

describe('Entity page plugin actions', () => {
  it("runs a card's button for the entity and plugin of the view and shows the answer in the card", async () => {
    const t = new FakeTransport([], { [web.ref]: web });
    t.pluginContent[web.ref] = [kubernetes];
    t.viewActionAnswer = () => ({ blocks: [{ log: { title: 'web-1/app (previous)', lines: ['panic: nil map'], truncated: false } }], durationMs: 4 });
    renderApp('/catalog/component/default/web', t);
    const card = await screen.findByTestId('plugin-card');
    await userEvent.click(within(card).getByRole('button', { name: 'Logs (previous)' }));
    expect((await within(card).findByLabelText('web-1/app (previous)')).textContent).toBe('panic: nil map');
    expect(t.viewActions).toEqual([{ ref: web.ref, call: { plugin: 'kubernetes', action: 'logs', parameters: { pod: 'web-1', container: 'app', previous: 'true' } } }]);
  });
});
