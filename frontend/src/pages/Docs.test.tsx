import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail } from '../api/types.gen';

const svc: EntityDetail = {
  ...summary('Component', 'payments'),
  entity: { metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } } },
  relations: [],
  source: { locationId: 'demo', file: 'payments/catalog-info.yaml', line: 1, commit: 'abc' },
  yaml: '',
};

function portal() {
  const t = new FakeTransport([svc], { [svc.ref]: svc });
  t.docsEntries = [{ ref: svc.ref, kind: 'Component', name: 'payments', description: 'Takes money' }];
  t.sites[svc.ref] = { ref: svc.ref, name: 'Payments', nav: [{ title: 'Home', path: 'index.md' }, { title: 'Guides', children: [{ title: 'Setup', path: 'setup.md' }] }], pages: ['index.md', 'setup.md'] };
  t.docsPages[`${svc.ref}:index.md`] = {
    ref: svc.ref, path: 'index.md', title: 'Payments', next: 'setup.md', toc: [{ level: 1, id: 'payments', text: 'Payments' }, { level: 2, id: 'usage', text: 'Usage' }],
    localFile: '/home/me/src/payments/docs/index.md',
    html: '<h1 id="payments">Payments</h1><p>See <a href="#/catalog/component/default/payments?tab=docs&amp;page=setup.md">setup</a>.</p><h2 id="usage">Usage</h2>',
  };
  t.docsPages[`${svc.ref}:setup.md`] = { ref: svc.ref, path: 'setup.md', title: 'Setup', prev: 'index.md', toc: [], html: '<h1 id="setup">Setup</h1>', broken: ['gone.md'] };
  return t;
}

describe('Docs', () => {
  it('lists the entities with docs', async () => {
    renderApp('/docs', portal());
    const index = within(await screen.findByTestId('docs-index'));
    expect(index.getByRole('link', { name: /payments/ }).getAttribute('href')).toBe('/catalog/component/default/payments?tab=docs');
  });

  it('reads a site: nav, page, outline, links between pages, previous and next', async () => {
    renderApp('/catalog/component/default/payments?tab=docs', portal());
    const reader = within(await screen.findByTestId('docs-reader'));
    expect(await reader.findByRole('heading', { name: 'Payments' })).toBeTruthy();
    expect(reader.getByRole('complementary', { name: 'On this page' })).toBeTruthy();
    await userEvent.click(reader.getByRole('link', { name: 'setup' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/catalog/component/default/payments?tab=docs&page=setup.md'));
    expect(await reader.findByRole('heading', { name: 'Setup' })).toBeTruthy();
    expect(reader.getByRole('status').textContent).toContain('gone.md');
    await userEvent.click(reader.getByRole('button', { name: /Previous/ }));
    expect(await reader.findByRole('heading', { name: 'Payments' })).toBeTruthy();
  });

  it('searches within the site, then opens the page found', async () => {
    const t = portal();
    renderApp('/catalog/component/default/payments?tab=docs', t);
    const reader = within(await screen.findByTestId('docs-reader'));
    await reader.findByRole('heading', { name: 'Payments' });
    await userEvent.type(reader.getByRole('searchbox', { name: 'Search this site' }), 'setup');
    const found = within(await reader.findByRole('list', { name: 'Pages found' }));
    await userEvent.click(await found.findByRole('button', { name: /Setup/ }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toContain('page=setup.md'));
    expect(t.searches.at(-1)).toMatchObject({ types: ['docs'], refs: [svc.ref] });
    await userEvent.clear(reader.getByRole('searchbox', { name: 'Search this site' }));
    expect(reader.getByRole('navigation', { name: 'Payments pages' })).toBeTruthy();
  });

  it('opens the page in the editor when the repository is on this machine', async () => {
    const t = portal();
    renderApp('/catalog/component/default/payments?tab=docs', t);
    const reader = within(await screen.findByTestId('docs-reader'));
    await userEvent.click(await reader.findByRole('button', { name: /Open in editor/ }));
    expect(t.opened).toEqual([{ path: '/home/me/src/payments/docs/index.md', with: 'editor' }]);
  });
});
