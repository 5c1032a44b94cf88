import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ScaffoldRun, TemplateDetail } from '../api/types.gen';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import { groupTemplates, startOver } from './Create';

const templates = [
  summary('Template', 'go-service', { title: 'Go service', type: 'service', tags: ['go'], owner: 'group:default/platform' }),
  summary('Template', 'docs-site', { title: 'Docs site', type: 'documentation', tags: ['docs'], owner: 'group:default/writers' }),
  summary('Template', 'node-service', { title: 'Node service', type: 'service', tags: ['node'], owner: 'group:default/web' }),
  summary('Template', 'loose', { title: 'Loose', tags: [] }),
];

function run(i: number, extra: Partial<ScaffoldRun> = {}): ScaffoldRun {
  return { id: `run-${i}`, template: 'template:default/go-service', title: `Run ${i}`, status: 'completed', dryRun: true, started: new Date().toISOString(), steps: [], links: [], texts: [], files: [], ...extra };
}

const names = (list: HTMLElement) => within(list).getAllByRole('link').map((a) => a.querySelector('.template-title')?.textContent);

describe('The Create page', () => {
  it('groups the templates by type and filters them by type, tag, owner and text', async () => {
    const user = userEvent.setup();
    renderApp('/create', new FakeTransport(templates));
    const service = await screen.findByRole('region', { name: 'service' });
    expect(names(within(service).getByRole('list', { name: 'Templates' }))).toEqual(['Go service', 'Node service']);
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(expect.arrayContaining(['documentation', 'service', 'Other']));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'service');
    expect(screen.queryByRole('region', { name: 'documentation' })).toBeNull();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Owner' }), 'group:default/web');
    expect(names(screen.getByRole('list', { name: 'Templates' }))).toEqual(['Node service']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Owner' }), '');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Tag' }), 'go');
    expect(names(screen.getByRole('list', { name: 'Templates' }))).toEqual(['Go service']);
    await user.type(screen.getByRole('searchbox', { name: 'Search templates' }), 'node');
    expect(await screen.findByText('No template matches')).toBeTruthy();
  });

  it('lists every run a page at a time', async () => {
    const user = userEvent.setup();
    const t = new FakeTransport(templates);
    t.runs = Array.from({ length: 120 }, (_, i) => run(i));
    renderApp('/create', t);
    const runs = await screen.findByTestId('runs');
    expect(within(runs).getByRole('heading').textContent).toContain('Runs (120)');
    expect(within(runs).getAllByRole('listitem')).toHaveLength(50);
    await user.click(within(runs).getByRole('button', { name: 'Show 50 more of 70' }));
    await waitFor(() => expect(within(runs).getAllByRole('listitem')).toHaveLength(100));
    await user.click(within(runs).getByRole('button', { name: 'Show 20 more of 20' }));
    await waitFor(() => expect(within(runs).getAllByRole('listitem')).toHaveLength(120));
    expect(within(runs).queryByRole('button')).toBeNull();
  });

  it('starts a run over with its values', async () => {
    const user = userEvent.setup();
    const t = new FakeTransport(templates);
    const detail: TemplateDetail = {
      ref: 'template:default/go-service',
      title: 'Go service',
      workspace: '/home/ada/src',
      parameters: [{ title: 'About the service', properties: { name: { title: 'Name', type: 'string' } } }],
      steps: [],
      trustedHosts: [],
      fetches: [],
      buttonLabels: { createButtonText: 'Make it', reviewButtonText: 'Check it', backButtonText: 'Go back' },
    };
    t.templates[detail.ref] = detail;
    t.runs = [run(1, { values: { name: 'ferry-radar' } })];
    renderApp('/create/runs/run-1', t);
    await user.click(await screen.findByRole('link', { name: 'Start over with these values' }));
    expect((await screen.findByRole<HTMLInputElement>('textbox', { name: /Name/ })).value).toBe('ferry-radar');
    // The template names its buttons.
    await user.click(screen.getByRole('button', { name: 'Check it' }));
    expect(await screen.findByRole('button', { name: 'Make it' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Go back' })).toBeTruthy();
  });
});

describe('groupTemplates', () => {
  it('puts templates without a type last', () => {
    expect(groupTemplates(templates, { text: '', type: '', tag: '', owner: '' }).map((g) => [g.type, g.items.length])).toEqual([
      ['documentation', 1],
      ['service', 2],
      ['', 1],
    ]);
  });
});

describe('startOver', () => {
  it.each([
    ['template:default/go-service', { name: 'x' }, '/create/templates/default/go-service?formData=%7B%22name%22%3A%22x%22%7D'],
    ['template:default/go-service', undefined, undefined],
    ['template:default/go-service', ['x'], undefined],
    ['not a ref', { name: 'x' }, undefined],
  ])('%s %j → %s', (template, values, want) => {
    expect(startOver(template, values)).toBe(want);
  });
});
