import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import { PortalError } from '../api/transport';
import { Events, type DocsPage, type DocsPreview, type EntityDetail } from '../api/types.gen';

const DIR = '/home/me/src/payments';

/** A portal with one docs folder on disk, whose pages a test can save. */
class PreviewTransport extends FakeTransport {
  previewPages: Record<string, DocsPage> = {
    'index.md': {
      ref: '',
      path: 'index.md',
      title: 'Draft',
      toc: [],
      localFile: `${DIR}/docs/index.md`,
      sourceFile: 'docs/index.md',
      html: '<h1 id="draft" data-source-line="1">Draft</h1><p data-source-line="3">First line\nsecond line</p>',
      problems: [{ file: 'docs/index.md', line: 3, target: 'nothing.md', why: 'there is no page nothing.md in the docs folder' }],
    },
    'setup.md': { ref: '', path: 'setup.md', title: 'Setup', toc: [], html: '<h1 id="setup">Setup</h1>', redirect: { page: 'setup.md', anchor: 'install' } },
  };
  opens: string[] = [];
  closed: string[] = [];
  preview(): DocsPreview {
    return {
      id: '0123456789abcdef',
      dir: DIR,
      version: 0,
      site: {
        ref: '',
        name: 'Draft',
        nav: [{ title: 'Home', path: 'index.md' }],
        pages: ['index.md', 'setup.md'],
        repoUrl: 'https://github.com/acme/payments',
        problems: [{ file: 'mkdocs.yml', line: 5, target: 'gone.md', why: 'the nav names a page that is not in the docs folder' }],
      },
    };
  }
  async openDocsPreview(dir: string): Promise<DocsPreview> {
    this.opens.push(dir);
    return this.preview();
  }
  async docsPreview(id: string): Promise<DocsPreview> {
    if (id !== '0123456789abcdef') throw new PortalError({ code: 'not_found', message: `docs preview ${id}: not open: not found` });
    return this.preview();
  }
  async docsPreviewPage(_id: string, page: string): Promise<DocsPage> {
    const p = this.previewPages[page === 'old/' ? 'setup.md' : page || 'index.md'];
    if (!p) throw new PortalError({ code: 'not_found', message: `${page}: not found` });
    return p;
  }
  async closeDocsPreview(id: string): Promise<void> {
    this.closed.push(id);
  }
}

describe('DocsPreview', () => {
  it('shows a folder’s pages and renders again when a file is saved', async () => {
    const t = new PreviewTransport();
    const view = renderApp(`/docs/preview?dir=${encodeURIComponent(DIR)}`, t);
    const reader = within(await screen.findByTestId('docs-reader'));
    expect(await reader.findByRole('heading', { name: 'Draft' })).toBeTruthy();
    expect(t.opens).toEqual([DIR]);
    t.previewPages['index.md'] = { ...t.previewPages['index.md']!, html: '<h1 id="draft">Draft</h1><p>Saved again.</p>' };
    act(() => t.emit(Events.DocsChanged, { id: '0123456789abcdef', version: 1, files: ['docs/index.md'] }));
    expect(await reader.findByText('Saved again.')).toBeTruthy();
    view.unmount();
    expect(t.closed).toEqual(['0123456789abcdef']);
  });

  it('lists what leads nowhere beside the page, and opens it in the editor', async () => {
    const t = new PreviewTransport();
    renderApp(`/docs/preview?dir=${encodeURIComponent(DIR)}`, t);
    const problems = within(await screen.findByTestId('docs-problems'));
    expect(problems.getByText('2 problems')).toBeTruthy();
    expect(problems.getByText('nothing.md')).toBeTruthy();
    expect(problems.getByText('the nav names a page that is not in the docs folder')).toBeTruthy();
    await userEvent.click(problems.getByRole('button', { name: 'mkdocs.yml:5' }));
    await userEvent.click(problems.getByRole('button', { name: 'docs/index.md:3' }));
    expect(t.opened).toEqual([
      { path: `${DIR}/mkdocs.yml`, with: 'editor', line: 5 },
      { path: `${DIR}/docs/index.md`, with: 'editor', line: 3 },
    ]);
  });

  it('opens a preview by the id a docs-preview link names, then names its folder', async () => {
    renderApp('/docs/preview?id=0123456789abcdef', new PreviewTransport());
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/docs/preview?dir=${encodeURIComponent(DIR)}`));
  });

  it('follows a redirect to the new page', async () => {
    renderApp(`/docs/preview?dir=${encodeURIComponent(DIR)}&page=old%2F`, new PreviewTransport());
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/docs/preview?dir=${encodeURIComponent(DIR)}&page=setup.md&anchor=install`));
  });

  it('offers to edit the selected line or report an issue', async () => {
    const t = new PreviewTransport();
    renderApp(`/docs/preview?dir=${encodeURIComponent(DIR)}`, t);
    const reader = within(await screen.findByTestId('docs-reader'));
    const para = await reader.findByText(/second line/);
    const range = document.createRange();
    range.setStart(para.firstChild!, 11);
    range.setEnd(para.firstChild!, 17);
    act(() => {
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      document.dispatchEvent(new Event('selectionchange'));
    });
    const menu = within(await screen.findByRole('toolbar', { name: 'Selected text' }));
    const issue = menu.getByRole('link', { name: /Report issue/ }).getAttribute('href')!;
    expect(issue).toMatch(/^https:\/\/github\.com\/acme\/payments\/issues\/new\?title=Documentation%20feedback%3A%20second&body=/);
    await userEvent.click(menu.getByRole('button', { name: /Edit this line/ }));
    expect(t.opened.at(-1)).toEqual({ path: `${DIR}/docs/index.md`, with: 'editor', line: 4 });
  });

  it('offers the working tree of a local repository’s docs', async () => {
    const svc: EntityDetail = {
      ...summary('Component', 'payments'),
      entity: { metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } } },
      relations: [],
      source: { locationId: 'local', file: 'catalog-info.yaml', line: 1, commit: 'abc' },
      yaml: '',
    };
    const t = new PreviewTransport([svc], { [svc.ref]: svc });
    t.sites[svc.ref] = { ref: svc.ref, name: 'Payments', nav: [], pages: ['index.md'], localDir: DIR };
    t.docsPages[`${svc.ref}:index.md`] = { ref: svc.ref, path: 'index.md', title: 'Payments', toc: [], html: '<h1 id="payments">Payments</h1>' };
    renderApp('/catalog/component/default/payments?tab=docs', t);
    const reader = within(await screen.findByTestId('docs-reader'));
    await reader.findByRole('heading', { name: 'Payments' });
    await userEvent.click(reader.getByRole('button', { name: /Open working tree/ }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/docs/preview?dir=${encodeURIComponent(DIR)}&page=index.md`));
    expect(await screen.findByRole('heading', { name: 'Draft' })).toBeTruthy();
  });
});
