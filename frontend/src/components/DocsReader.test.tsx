import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { DocsPage, EntityDetail } from '../api/types.gen';
import { showRemoteImages } from './DocsReader';

const svc: EntityDetail = {
  ...summary('Component', 'payments'),
  entity: { metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } } },
  relations: [],
  source: { locationId: 'demo', file: 'payments/catalog-info.yaml', line: 1, commit: 'abc' },
  yaml: '',
};

// As the renderer writes a page with a tracking pixel and a logo from a CDN.
const page: DocsPage = {
  ref: svc.ref,
  path: 'index.md',
  title: 'Payments',
  toc: [{ level: 1, id: 'doc-payments', text: 'Payments' }],
  html:
    '<h1 id="doc-payments">Payments</h1><p><img data-remote-src="https://tracker.example/p.gif?reader=ada" alt="pixel"></p>' +
    '<p><img data-remote-src="//cdn.example/logo.png" alt="logo"></p><p><img src="data:image/png;base64,iVBORw0KGgo=" alt="inline"></p>',
  remoteImages: 2,
  remoteHosts: ['tracker.example', 'cdn.example'],
};

function portal(hosts?: string[]) {
  const t = new FakeTransport([svc], { [svc.ref]: svc });
  t.sites[svc.ref] = { ref: svc.ref, name: 'Payments', nav: [{ title: 'Home', path: 'index.md' }], pages: ['index.md'] };
  t.docsPages[`${svc.ref}:index.md`] = page;
  t.settingsValue = { syncIntervalMinutes: 5, toolkit: [], trustedGitHosts: [], welcomeDismissed: false, demoRemoved: false, updateCheck: true, docsImageHosts: hosts };
  return t;
}

/** The addresses the page's images are fetched from, as the reader renders them. */
function fetched(reader: HTMLElement): string[] {
  return [...reader.querySelectorAll('[src]')].map((el) => el.getAttribute('src') ?? '').filter((src) => !src.startsWith('data:'));
}

async function open(t: FakeTransport) {
  renderApp('/catalog/component/default/payments?tab=docs', t);
  const reader = await screen.findByTestId('docs-reader');
  await within(reader).findByRole('heading', { name: 'Payments' });
  return reader;
}

describe('DocsReader remote images', () => {
  it('fetches nothing from another host until the user shows the images', async () => {
    const t = portal();
    const reader = await open(t);
    const banner = within(await within(reader).findByRole('group', { name: 'Remote images' }));
    expect(banner.getByText(/This page has 2 remote images/)).toBeTruthy();
    expect(fetched(reader)).toEqual([]);
    expect(within(reader).getByAltText('inline').getAttribute('src')).toMatch(/^data:image\/png/);

    await userEvent.click(banner.getByRole('button', { name: 'Show them' }));
    await waitFor(() => expect(fetched(reader)).toEqual(['https://tracker.example/p.gif?reader=ada', 'https://cdn.example/logo.png']));
    expect(within(reader).queryByRole('group', { name: 'Remote images' })).toBeNull();
    expect(t.settingsValue.docsImageHosts).toBeUndefined();
  });

  it('shows a host always once asked to, and keeps the choice in the settings', async () => {
    const t = portal(['other.example']);
    const reader = await open(t);
    const banner = within(await within(reader).findByRole('group', { name: 'Remote images' }));
    await userEvent.click(banner.getByRole('button', { name: 'always for cdn.example' }));
    await waitFor(() => expect(fetched(reader)).toEqual(['https://cdn.example/logo.png']));
    expect(t.settingsValue.docsImageHosts).toEqual(['other.example', 'cdn.example']);
    expect(within(reader).getByRole('group', { name: 'Remote images' }).textContent).toContain('This page has 1 remote image');
  });

  it('shows the images of hosts allowed before on opening', async () => {
    const reader = await open(portal(['tracker.example', 'cdn.example']));
    await waitFor(() => expect(fetched(reader)).toHaveLength(2));
    expect(within(reader).queryByRole('group', { name: 'Remote images' })).toBeNull();
  });
});

describe('showRemoteImages', () => {
  it.each([
    ['nothing allowed', () => false, 0, 2],
    ['one host', (h: string) => h === 'cdn.example', 1, 1],
    ['every host', () => true, 2, 0],
  ])('%s', (_, allowed, shown, hidden) => {
    const out = showRemoteImages(page.html, allowed);
    const doc = new DOMParser().parseFromString(out.html, 'text/html');
    expect(doc.querySelectorAll('img[src^="http"]')).toHaveLength(shown);
    expect(out.hidden).toBe(hidden);
  });

  it('leaves addresses that are not http(s) held back', () => {
    const out = showRemoteImages('<img data-remote-src="javascript:alert(1)"><img data-remote-src="mailto:a@b.example">', () => true);
    expect(out.hidden).toBe(2);
    expect(out.html).not.toContain(' src=');
  });
});

describe('the docs reader contains the page', () => {
  it('keeps the page from drawing over the app', () => {
    // jsdom applies no stylesheets: the rule is read as written. Node's fs
    // comes through getBuiltinModule, as the app's types have no Node in them.
    const fs = (globalThis as unknown as { process: { getBuiltinModule(id: 'node:fs'): { readFileSync(path: string, encoding: 'utf8'): string } } }).process.getBuiltinModule('node:fs');
    const here = import.meta.url; // (through a variable: Vite rewrites new URL(…, import.meta.url))
    const entityCSS = fs.readFileSync(new URL('../styles/entity.css', here).pathname, 'utf8');
    const rule = /\.docs-content\s*\{([^}]*)\}/.exec(entityCSS)?.[1] ?? '';
    expect(rule).toMatch(/contain:\s*layout paint/);
    expect(rule).toMatch(/isolation:\s*isolate/);
  });
});
