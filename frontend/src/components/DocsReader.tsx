import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ChevronLeft, ChevronRight, Code2, FolderOpen, ImageOff, Pencil, Search, TriangleAlert, X } from 'lucide-react';
import type { PortalClient } from '../api/client';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import { Events, type DocsPage, type DocsSite, type EventName, type NavItem, type SearchHit } from '../api/types.gen';
import { DocsProblems } from './DocsProblems';
import { SelectionMenu } from './DocsSelection';
import { ExternalLink } from './ExternalLink';
import { Highlight, queryWords } from './Highlight';
import { EmptyState, ErrorState, Loading } from './States';

function Nav({ items, current, go }: { items: NavItem[]; current: string; go: (page: string) => void }) {
  return (
    <ul className="docs-nav-list">
      {items.map((it, i) => (
        <li key={`${it.title}-${i}`}>
          {it.path ? (
            <button type="button" className={`docs-nav-link${it.path === current ? ' active' : ''}`} aria-current={it.path === current ? 'page' : undefined} onClick={() => go(it.path!)}>
              {it.title}
            </button>
          ) : it.url ? (
            <ExternalLink href={it.url}>{it.title}</ExternalLink>
          ) : (
            <>
              <span className="docs-nav-section">{it.title}</span>
              {it.children && <Nav items={it.children} current={current} go={go} />}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * Searches this site's pages only (the portal's index, filtered to the
 * entity); while there is text, the results take the nav's place.
 */
function SiteSearch({ entityRef, text, setText, go }: { entityRef: string; text: string; setText: (t: string) => void; go: (page: string) => void }) {
  const client = useClient();
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const q = text.trim();
  useEffect(() => {
    if (!q) {
      setHits(null);
      return;
    }
    let live = true;
    // A short pause, so typing a word asks once, not per letter.
    const timer = setTimeout(() => {
      client.search({ text: q, types: ['docs'], refs: [entityRef], limit: 20, noFacets: true }).then(
        (r) => live && setHits(r.hits),
        () => live && setHits([]),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, entityRef, q]);
  const words = queryWords(q);
  return (
    <>
      <div className="docs-search">
        <Search size={13} aria-hidden="true" />
        <input
          type="search"
          aria-label="Search this site"
          placeholder="Search this site"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setText('');
            if (e.key === 'Enter' && hits?.[0]?.path) go(hits[0].path);
          }}
        />
        {text && (
          <button type="button" className="icon-button" aria-label="Clear the search" onClick={() => setText('')}>
            <X size={12} aria-hidden="true" />
          </button>
        )}
      </div>
      {q && (
        <ul className="docs-search-results" aria-label="Pages found" aria-busy={hits === null}>
          {hits?.length === 0 && <li className="muted">No page of this site mentions “{q}”.</li>}
          {hits?.map((h) => (
            <li key={h.path}>
              <button type="button" onClick={() => h.path && go(h.path)}>
                <span className="docs-search-title">
                  <Highlight text={h.title || h.path || ''} words={words} />
                </span>
                {h.snippet && (
                  <span className="docs-search-snippet">
                    <Highlight text={h.snippet} words={words} />
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Where the renderer moves a remote image's address, so opening a page fetches nothing (techdocs.RemoteSrc). */
const REMOTE_SRC = 'data-remote-src';

/** A held-back image's address, if it is an http(s) URL (scheme-relative ones as https). */
function remoteURL(src: string): URL | null {
  if (!/^(https?:)?\/\//i.test(src)) return null;
  try {
    const u = new URL(src, 'https://invalid.invalid');
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : null;
  } catch {
    return null;
  }
}

/**
 * The page's HTML with the held-back images of the hosts allowed given
 * their src again, and the hosts of the ones still held back. It works on a
 * DOMParser document, which loads nothing, so an image is fetched only
 * once it is allowed.
 */
export function showRemoteImages(html: string, allowed: (host: string) => boolean): { html: string; hidden: number; hiddenHosts: string[] } {
  if (!html.includes(REMOTE_SRC)) return { html, hidden: 0, hiddenHosts: [] };
  const doc = new DOMParser().parseFromString(html, 'text/html');
  let shown = 0;
  let hidden = 0;
  const hiddenHosts: string[] = [];
  for (const img of doc.querySelectorAll<HTMLImageElement>(`img[${REMOTE_SRC}]`)) {
    const url = remoteURL(img.getAttribute(REMOTE_SRC) ?? '');
    if (url && allowed(url.host.toLowerCase())) {
      img.setAttribute('src', url.href);
      img.removeAttribute(REMOTE_SRC);
      shown++;
      continue;
    }
    hidden++;
    if (url && !hiddenHosts.includes(url.host.toLowerCase())) hiddenHosts.push(url.host.toLowerCase());
  }
  return { html: shown > 0 ? doc.body.innerHTML : html, hidden, hiddenHosts };
}

/** Says how many remote images a page holds back and offers to show them, once or always for a host. */
function RemoteImages({ count, hosts, onShow, onAlways }: { count: number; hosts: string[]; onShow: () => void; onAlways: (host: string) => void }) {
  return (
    <div className="banner banner-info docs-remote" role="group" aria-label="Remote images">
      <ImageOff size={13} aria-hidden="true" /> This page has {count} remote {count === 1 ? 'image' : 'images'} ·{' '}
      <button type="button" className="link-button" onClick={onShow}>
        Show them
      </button>
      {hosts.map((h) => (
        <span key={h}>
          {' '}
          (
          <button type="button" className="link-button" onClick={() => onAlways(h)}>
            always for {h}
          </button>
          )
        </span>
      ))}
    </div>
  );
}

/** Draws the page's mermaid diagrams, loading mermaid only when a page has one. */
function useMermaid(container: React.RefObject<HTMLDivElement | null>, html: string | undefined) {
  useEffect(() => {
    const el = container.current;
    if (!el || !html?.includes('class="mermaid"')) return;
    let live = true;
    void import('mermaid').then(async ({ default: mermaid }) => {
      if (!live) return;
      const dark = document.documentElement.dataset.theme === 'dark';
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
      const blocks = [...el.querySelectorAll<HTMLElement>('pre.mermaid')];
      for (const [i, pre] of blocks.entries()) {
        try {
          const { svg } = await mermaid.render(`mermaid-${Date.now()}-${i}`, pre.textContent ?? '');
          if (!live) return;
          const figure = document.createElement('div');
          figure.className = 'mermaid-diagram';
          figure.innerHTML = svg; // mermaid's own output, drawn with securityLevel strict
          pre.replaceWith(figure);
        } catch {
          pre.classList.add('mermaid-error');
        }
      }
    });
    return () => {
      live = false;
    };
  }, [container, html]);
}

/** Where a reader's site and pages come from: an entity's synced docs, or a folder previewed from disk. */
export interface DocsSource {
  /** Names the loads: a source's site and pages are loaded again when it changes. */
  key: string;
  site: (c: PortalClient) => Promise<DocsSite>;
  page: (c: PortalClient, page: string) => Promise<DocsPage>;
  /** The entity whose pages the search box searches; none for a preview. */
  searchRef?: string;
  /** The events after which the site and page are read again. */
  refreshOn?: EventName[];
  /** The entity page's tab the reader is on (kept in the URL); none for a page of its own. */
  tab?: string;
  /** The folder the site's files are in, for problems in mkdocs.yml to open in the editor. */
  localRoot?: string;
}

/** An entity's TechDocs, as synced. */
export function DocsReader({ entityRef }: { entityRef: string }) {
  const source = useMemo<DocsSource>(
    () => ({
      key: entityRef,
      site: (c) => c.docs(entityRef),
      page: (c, p) => c.docsPage(entityRef, p),
      searchRef: entityRef,
      tab: 'docs',
    }),
    [entityRef],
  );
  return <DocsView source={source} />;
}

const SYNCED: EventName[] = [Events.CatalogChanged, Events.SyncDone];

/**
 * A TechDocs site: its nav, the page, an outline that follows scrolling,
 * previous / next, where to edit it, and what leads nowhere. The page and
 * its anchor are in the URL (?page=…&anchor=…), so links to docs can be
 * shared. Selecting text offers to edit that line or report an issue.
 */
export function DocsView({ source }: { source: DocsSource }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const page = params.get('page') ?? '';
  const anchor = params.get('anchor') ?? '';
  const refreshOn = source.refreshOn ?? SYNCED;
  const site = useLoad(`docs-site\0${source.key}`, (c) => source.site(c), refreshOn);
  const doc = useLoad(`docs-page\0${source.key}\0${page}`, (c) => source.page(c, page), refreshOn);
  const entityRef = source.key;
  const content = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState('');
  const [find, setFind] = useState('');
  const [openError, setOpenError] = useState<string | null>(null);
  const client = useClient();
  const openAt = (file: string, line = 0) => {
    setOpenError(null);
    client.open({ path: file, with: 'editor', ...(line > 0 ? { line } : {}) }).catch((e: unknown) => setOpenError(e instanceof Error ? e.message : String(e)));
  };
  const openInEditor = (file: string) => openAt(file);
  const data = doc.stale ? undefined : doc.data;
  // Remote images show for the hosts the user allows in their settings,
  // or all of them on this page once asked ("Show them").
  const settings = useLoad('settings-docs-images', (c) => c.settings(), []);
  const [shownOn, setShownOn] = useState('');
  const [imagesError, setImagesError] = useState<string | null>(null);
  const showAll = !!data && shownOn === `${entityRef}\0${data.path}`;
  const allowedHosts = settings.data?.docsImageHosts;
  const view = useMemo(() => {
    if (!data) return undefined;
    const hosts = new Set(allowedHosts ?? []);
    return showRemoteImages(data.html, (h) => showAll || hosts.has(h));
  }, [data, allowedHosts, showAll]);
  const alwaysFor = async (host: string) => {
    setImagesError(null);
    try {
      const current = await client.settings();
      await client.patchSettings({ docsImageHosts: [...new Set([...(current.docsImageHosts ?? []), host])] });
      settings.reload();
    } catch (e: unknown) {
      setImagesError(e instanceof Error ? e.message : String(e));
    }
  };
  useMermaid(content, view?.html);

  const go = (p: string, a = '', replace = false) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (source.tab) next.set('tab', source.tab);
        next.set('page', p);
        if (a) next.set('anchor', a);
        else next.delete('anchor');
        return next;
      },
      { replace },
    );

  // redirect_maps moved the page asked for: the URL follows it.
  useEffect(() => {
    if (data?.redirect?.page && data.path !== page) go(data.path, data.redirect.anchor || anchor, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per page loaded
  }, [data]);

  // Scroll to the anchor asked for, or to the top of a page reached from
  // another one (not on first opening, which keeps the entity's header).
  const shown = useRef('');
  useEffect(() => {
    if (!data) return;
    // Only the page's own ids: an anchor must not find the app's elements.
    const target = anchor ? [...(content.current?.querySelectorAll<HTMLElement>('[id]') ?? [])].find((el) => el.id === anchor) : null;
    // (jsdom, in tests, has no scrollIntoView)
    if (target) target.scrollIntoView?.();
    else if (shown.current && shown.current !== data.path) content.current?.scrollIntoView?.({ block: 'start' });
    shown.current = data.path;
  }, [data, anchor]);

  // The outline follows the heading nearest the top of the view.
  useEffect(() => {
    const el = content.current;
    if (!el || !data) return;
    const headings = [...el.querySelectorAll<HTMLElement>('h1[id], h2[id], h3[id], h4[id]')];
    if (typeof IntersectionObserver === 'undefined' || headings.length === 0) return;
    const observer = new IntersectionObserver(
      (entries) => {
        const visible = entries.filter((e) => e.isIntersecting).sort((a, b) => a.boundingClientRect.top - b.boundingClientRect.top);
        if (visible[0]) setActive(visible[0].target.id);
      },
      { rootMargin: '0px 0px -70% 0px' },
    );
    headings.forEach((h) => observer.observe(h));
    return () => observer.disconnect();
  }, [data]);

  // Links inside the page: other pages and entities are app routes; "#id"
  // is an anchor of this page (in a hash-routed app it must not navigate).
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const a = (e.target as HTMLElement).closest('a');
    const href = a?.getAttribute('href');
    if (!a || !href) return;
    if (href.startsWith('#/')) {
      e.preventDefault();
      void navigate(href.slice(1));
    } else if (href.startsWith('#')) {
      e.preventDefault();
      go(data?.path ?? page, decodeURIComponent(href.slice(1)));
    }
  };

  const hasProblems = (data?.problems?.length ?? 0) > 0 || (site.data?.problems?.length ?? 0) > 0;
  if (site.error && !site.data) {
    return <ErrorState title="Could not read the docs" error={site.error} onRetry={site.reload} />;
  }
  if (!site.data) return <Loading label="Reading the docs…" />;
  if (site.data.pages.length === 0) return <EmptyState title="No pages">The docs folder holds no Markdown pages.</EmptyState>;
  return (
    <div className="docs-reader" data-testid="docs-reader">
      <nav className="docs-nav" aria-label={`${site.data.name} pages`}>
        <p className="docs-site-name">{site.data.name}</p>
        {source.searchRef && <SiteSearch entityRef={site.data.ref} text={find} setText={setFind} go={(p) => go(p)} />}
        {!find.trim() && <Nav items={site.data.nav} current={data?.path ?? page} go={(p) => go(p)} />}
      </nav>
      <article className="docs-main">
        {site.data.localDir && source.tab && (
          <p className="docs-working-tree">
            <button
              type="button"
              className="button button-small button-quiet"
              title={site.data.localDir}
              onClick={() => void navigate(`/docs/preview?${new URLSearchParams({ dir: site.data!.localDir!, ...(data ? { page: data.path } : {}) }).toString()}`)}
            >
              <FolderOpen size={13} aria-hidden="true" /> Open working tree
            </button>
          </p>
        )}
        {doc.error && !data ? (
          <ErrorState title="Could not render the page" error={doc.error} onRetry={doc.reload} />
        ) : !data ? (
          <Loading />
        ) : data.redirect?.url ? (
          <p className="banner banner-info" role="status">
            This page moved to <ExternalLink href={data.redirect.url}>{data.redirect.url}</ExternalLink>.
          </p>
        ) : (
          <>
            {data.broken && data.broken.length > 0 && !data.problems?.length && (
              <p className="banner banner-warn" role="status">
                <TriangleAlert size={13} aria-hidden="true" /> Links to pages that do not exist: {data.broken.join(', ')}
              </p>
            )}
            {view && view.hidden > 0 && (
              <RemoteImages count={view.hidden} hosts={view.hiddenHosts} onShow={() => setShownOn(`${entityRef}\0${data.path}`)} onAlways={alwaysFor} />
            )}
            {imagesError && (
              <p className="banner banner-error" role="alert">
                {imagesError}
              </p>
            )}
            <div className="docs-content" ref={content} onClick={onClick} dangerouslySetInnerHTML={{ __html: view?.html ?? '' }} />
            <SelectionMenu
              container={content}
              file={data.sourceFile ?? data.path}
              repoUrl={site.data.repoUrl}
              editUrl={data.editUrl}
              onEdit={data.localFile ? (line) => openAt(data.localFile!, line) : undefined}
            />
            {openError && (
              <p className="banner banner-error" role="alert">
                {openError}
              </p>
            )}
            <footer className="docs-pager">
              {data.prev ? (
                <button type="button" className="button button-small" onClick={() => go(data.prev!)}>
                  <ChevronLeft size={13} aria-hidden="true" /> Previous
                </button>
              ) : (
                <span />
              )}
              <span className="docs-edit">
                {data.localFile && (
                  <button type="button" className="button button-small button-quiet" title={data.localFile} onClick={() => openInEditor(data.localFile!)}>
                    <Code2 size={13} aria-hidden="true" /> Open in editor
                  </button>
                )}
                {data.editUrl && (
                  <ExternalLink href={data.editUrl}>
                    <Pencil size={12} aria-hidden="true" /> Edit this page
                  </ExternalLink>
                )}
              </span>
              {data.next && (
                <button type="button" className="button button-small" onClick={() => go(data.next!)}>
                  Next <ChevronRight size={13} aria-hidden="true" />
                </button>
              )}
            </footer>
          </>
        )}
      </article>
      {data && (hasProblems || data.toc.length > 1) && (
        <div className="docs-side">
          {hasProblems && (
            <DocsProblems page={data.problems ?? []} site={site.data.problems ?? []} pageFile={data.localFile} localRoot={source.localRoot} open={openAt} />
          )}
          {data.toc.length > 1 && (
            <aside className="docs-toc" aria-label="On this page">
              <p className="docs-toc-title">On this page</p>
              <ul>
                {data.toc
                  .filter((h) => h.level > 1 && h.level <= 4)
                  .map((h) => (
                    <li key={h.id} className={`toc-level-${h.level}${active === h.id ? ' active' : ''}`}>
                      <button type="button" onClick={() => go(data.path, h.id)}>
                        {h.text}
                      </button>
                    </li>
                  ))}
              </ul>
            </aside>
          )}
        </div>
      )}
    </div>
  );
}
