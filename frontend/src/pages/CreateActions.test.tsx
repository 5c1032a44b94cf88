import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ScaffoldAction } from '../api/types.gen';
import { FakeTransport, renderApp } from '../test/fakes';
import { schemaProperties } from '../scaffold/SchemaTable';

const actions: ScaffoldAction[] = [
  {
    id: 'fetch:template',
    description: 'Copies a folder of skeleton files into the workspace',
    source: 'builtin',
    inputSchema: { type: 'object', required: ['url'], properties: { url: { type: 'string', title: 'Fetch URL' }, values: { type: 'object' }, copyWithoutTemplating: { type: 'array', items: { type: 'string' } } } },
    examples: ['- id: fetch\n  action: fetch:template\n  input:\n    url: ./skeleton'],
  },
  {
    id: 'acme:greet',
    description: 'writes hello.txt',
    source: 'plugin',
    plugin: 'acme',
    inputSchema: { type: 'object', properties: { name: { type: 'string' } } },
    outputSchema: { type: 'object', properties: { file: { type: 'object', title: 'The file written' } } },
    examples: ['- id: greet\n  action: acme:greet'],
  },
  { id: 'kube:apply', description: '', source: 'unavailable', why: 'Callboard cannot run it: it applies manifests to a Kubernetes cluster. A plugin can add it.', examples: ['- id: apply\n  action: kube:apply'] },
];

function portal() {
  const t = new FakeTransport();
  t.actions = actions;
  return t;
}

describe('Installed actions', () => {
  it('lists each action with where it comes from, its input and output, and an example', async () => {
    renderApp('/create/actions', portal());
    const cards = await screen.findAllByTestId('action');
    expect(cards).toHaveLength(3);
    const plugin = within(cards[1]!);
    expect(plugin.getByRole('heading', { name: 'acme:greet' })).toBeTruthy();
    expect(plugin.getByText('plugin acme')).toBeTruthy();
    expect(plugin.getByRole('table', { name: 'acme:greet output' }).textContent).toContain('The file written');
    const fetch = within(cards[0]!);
    const input = within(fetch.getByRole('table', { name: 'fetch:template input' }));
    const rows = input.getAllByRole('row').slice(1);
    expect(rows[0]!.textContent).toContain('url required');
    expect(rows[2]!.textContent).toContain('string[]');
    expect(fetch.getByLabelText('fetch:template example').textContent).toContain('url: ./skeleton');
    expect(within(cards[2]!).getByText(/applies manifests to a Kubernetes cluster/)).toBeTruthy();
  });

  it('narrows the list by text and by where the actions come from', async () => {
    const user = userEvent.setup();
    renderApp('/create/actions', portal());
    await screen.findAllByTestId('action');
    await user.click(screen.getByRole('button', { name: /From plugins/ }));
    expect(screen.getAllByTestId('action').map((c) => within(c).getAllByRole('heading')[0]!.textContent)).toEqual(['acme:greet']);
    await user.click(screen.getByRole('button', { name: /^All/ }));
    await user.type(screen.getByRole('searchbox', { name: 'Search actions' }), 'skeleton');
    expect(screen.getAllByTestId('action').map((c) => within(c).getAllByRole('heading')[0]!.textContent)).toEqual(['fetch:template']);
    await user.type(screen.getByRole('searchbox', { name: 'Search actions' }), 'nothing like it');
    expect(await screen.findByText('No action matches')).toBeTruthy();
  });

  it('is reached from the Create page', async () => {
    const user = userEvent.setup();
    renderApp('/create', portal());
    await user.click(await screen.findByRole('link', { name: /Installed actions/ }));
    expect(await screen.findByRole('heading', { name: 'Installed actions' })).toBeTruthy();
  });
});

describe('schemaProperties', () => {
  it('lists required properties first, each with its type', () => {
    expect(
      schemaProperties({ required: ['b'], properties: { a: { type: ['string', 'boolean'] }, b: { enum: ['x', 'y'] }, c: {} } }).map((p) => [p.name, p.type, p.required]),
    ).toEqual([
      ['b', '"x" | "y"', true],
      ['a', 'string | boolean', false],
      ['c', 'any', false],
    ]);
    expect(schemaProperties('not a schema')).toEqual([]);
  });
});
