import { Suspense, lazy, useEffect, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ArrowLeft, FileCode, FileSearch, Info, Network, Pencil, RefreshCw, SearchX, SquarePen, Star, Trash2 } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import { PortalError } from '../api/client';
import type { EntityDetail, ProcessingError, Relation, RemoteParts } from '../api/types.gen';
import { OpenInCallboard } from '../components/Links';
import { CopyButton } from '../components/CopyButton';
import { linkOf } from '../links';
import { Card } from '../components/Card';
import { EntityQuestions } from '../components/EntityQuestions';
import { DEMO_LOCATION_ID, DemoBadge, Lifecycle, Tags } from '../components/Chips';
import { EntityLink } from '../components/EntityLink';
import { ExternalLink } from '../components/ExternalLink';
import { FileEditor } from '../components/FileEditor';
import { BackstageEditNote, BackstageReadAge } from '../components/BackstageOrigin';
import { SourceCloneProgress } from '../components/SourceCloneProgress';
import { DocsReader } from '../components/DocsReader';
import { HistoryView } from '../components/HistoryView';
import { PluginCards, PluginTabPanel, usePluginViews } from './EntityPlugins';
import { DecisionsTab } from '../components/DecisionsTab';
import { EntityActionsMenu } from '../components/plugins/EntityActionsMenu';
import { EntityScorecards, type CheckFix } from '../scorecards/EntityScorecards';
import { GroupScorecards } from '../scorecards/GroupScorecards';
import '../styles/scorecards.css';

// The graph (React Flow, dagre) and the API renderers (graphql-js, yaml)
// are most of the bundle: loaded when their tab opens, so the first screen
// does not wait for them.
const GraphView = lazy(() => import('../components/GraphView').then((m) => ({ default: m.GraphView })));
const Inspector = lazy(() => import('../components/Inspector').then((m) => ({ default: m.Inspector })));
const UnregisterDialog = lazy(() => import('../components/UnregisterDialog').then((m) => ({ default: m.UnregisterDialog })));
const ApiDefinition = lazy(() => import('../components/ApiDefinition').then((m) => ({ default: m.ApiDefinition })));
import { KindIcon } from '../components/KindIcon';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { shortCommit } from '../format';
import { kindLabel } from '../kinds';
import { compareText, relativeTime } from '../locale';
import { Boundary } from '../components/Boundary';
import { EntityTemplateUpdate } from '../components/TemplateUpdateBanner';
import { ReviewBadge } from '../components/ReviewBadge';

interface EntityLinkSpec {
  url: string;
  title?: string;
}

/** metadata.links as the entity declares them, keeping only well-formed ones. */
function metadataLinks(entity: Record<string, unknown>): EntityLinkSpec[] {
  const metadata = entity.metadata as { links?: unknown } | undefined;
  if (!Array.isArray(metadata?.links)) return [];
  return metadata.links.flatMap((l: unknown) => {
    const { url, title } = (l ?? {}) as { url?: unknown; title?: unknown };
    return typeof url === 'string' && url ? [{ url, title: typeof title === 'string' ? title : undefined }] : [];
  });
}

/** "ownedBy" → "owned by", "dependsOn" → "depends on". */
function relationLabel(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Headings for relation types as people ask about them, in the order a kind's page lists them. */
const SECTIONS: Record<string, [string, string][]> = {
  component: [
    ['providesApi', 'Provided APIs'],
    ['consumesApi', 'Consumed APIs'],
    ['dependsOn', 'Depends on'],
    ['dependencyOf', 'Dependents'],
    ['hasPart', 'Subcomponents'],
    ['partOf', 'Part of'],
  ],
  api: [
    ['apiProvidedBy', 'Providers'],
    ['apiConsumedBy', 'Consumers'],
    ['partOf', 'Part of'],
  ],
  group: [
    ['hasMember', 'Members'],
    ['parentOf', 'Sub-groups'],
    ['childOf', 'Parent'],
    ['ownerOf', 'Owns'],
  ],
  user: [
    ['memberOf', 'Groups'],
    ['ownerOf', 'Owns'],
  ],
  system: [
    ['hasPart', 'Parts'],
    ['partOf', 'Domain'],
  ],
  domain: [
    ['hasPart', 'Systems'],
    ['partOf', 'Part of'],
  ],
  resource: [
    ['dependencyOf', 'Used by'],
    ['dependsOn', 'Depends on'],
    ['partOf', 'Part of'],
  ],
};

/** The entity's relations in its kind's sections first, then any other type. */
function groupRelations(kind: string, relations: Relation[]): [string, Relation[]][] {
  const groups = new Map<string, Relation[]>();
  for (const r of relations) groups.set(r.type, [...(groups.get(r.type) ?? []), r]);
  const sections = SECTIONS[kind.toLowerCase()] ?? [];
  const out: [string, Relation[]][] = [];
  for (const [type, title] of sections) {
    const rels = groups.get(type);
    if (rels) out.push([title, rels]);
    groups.delete(type);
  }
  for (const [type, rels] of [...groups].sort(([a], [b]) => compareText(a, b))) out.push([relationLabel(type), rels]);
  return out.map(([t, rels]) => [t, [...rels].sort((x, y) => compareText(x.targetRef, y.targetRef))]);
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children || <span className="muted">—</span>}</dd>
    </div>
  );
}

function About({ e }: { e: EntityDetail }) {
  const links = metadataLinks(e.entity);
  return (
    <Card title="About" icon={Info} testId="entity-about" className="about">
      <p className={e.description ? 'about-description' : 'about-description muted'}>{e.description || 'No description.'}</p>
      <dl className="fields">
        <Field label="Owner">{e.owner && <EntityLink entityRef={e.owner} />}</Field>
        <Field label="System">{e.system && <EntityLink entityRef={e.system} />}</Field>
        <Field label="Type">{e.type}</Field>
        <Field label="Lifecycle">{e.lifecycle && <Lifecycle value={e.lifecycle} />}</Field>
        <Field label="Namespace">{e.namespace}</Field>
        <Field label="Tags">{e.tags.length > 0 && <Tags tags={e.tags} />}</Field>
      </dl>
      {links.length > 0 && (
        <div className="about-section">
          <h3>Links</h3>
          <ul className="link-list">
            {links.map((l) => (
              <li key={l.url}>
                <ExternalLink href={l.url}>{l.title || l.url}</ExternalLink>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="about-section">
        <h3>Source</h3>
        <p className="source">
          <code>
            {e.source.file}:{e.source.line}
          </code>
          <span className="muted">
            {' '}
            in location <code>{e.source.locationId}</code> at <code>{shortCommit(e.source.commit)}</code>
          </span>
        </p>
        <SourceLinks e={e} />
      </div>
    </Card>
  );
}

/**
 * "View source" and "Edit" where the entity says (backstage.io/view-url,
 * backstage.io/edit-url), else derived from backstage.io/source-location
 * or the managed-by location when it is a GitHub or GitLab URL; "View in
 * Backstage" for an entity read from an organisation's Backstage
 * (callboard.dev/backstage names it).
 */
/** The Backstage an entity was read from (callboard.dev/backstage), '' for any other. */
function fromBackstage(e: EntityDetail): string {
  const annotations = (e.entity.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations ?? {};
  const v = annotations['callboard.dev/backstage'];
  return typeof v === 'string' ? v : '';
}

function SourceLinks({ e }: { e: EntityDetail }) {
  const annotations = (e.entity.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations ?? {};
  const text = (k: string) => (typeof annotations[k] === 'string' ? annotations[k] : '');
  const fromLocation = (v: string) => (v.startsWith('url:') ? v.slice(4) : '');
  const view = text('backstage.io/view-url') || fromLocation(text('backstage.io/source-location')) || fromLocation(text('backstage.io/managed-by-location'));
  let edit = text('backstage.io/edit-url');
  if (!edit && /^https:\/\/(github\.com|gitlab\.com)\//.test(view) && view.includes('/blob/')) edit = view.replace('/blob/', '/edit/');
  const backstage = fromBackstage(e);
  const md = e.entity.metadata as { name?: unknown; namespace?: unknown } | undefined;
  const inBackstage =
    backstage && typeof md?.name === 'string'
      ? `${backstage.replace(/\/+$/, '')}/catalog/${encodeURIComponent((typeof md.namespace === 'string' ? md.namespace : 'default').toLowerCase())}/${encodeURIComponent(e.kind.toLowerCase())}/${encodeURIComponent(md.name)}`
      : '';
  const links = [
    { href: view, label: 'View source' },
    { href: edit, label: 'Edit on the forge' },
    { href: inBackstage, label: 'View in Backstage' },
  ].filter((l) => /^https?:\/\//.test(l.href));
  if (links.length === 0) return null;
  return (
    <p className="source-links">
      {backstage && (
        <span className="muted">
          Read from {backstage}: {e.backstage?.repo ? 'Edit commits to its source repository' : 'edit it in its source repository'}, never through Backstage.
        </span>
      )}
      {links.map((l) => (
        <ExternalLink key={l.label} href={l.href}>
          {l.label}
        </ExternalLink>
      ))}
    </p>
  );
}

function Relations({ kind, relations }: { kind: string; relations: Relation[] }) {
  const groups = groupRelations(kind, relations);
  return (
    <Card title="Relations" icon={Network} className="relations">
      {groups.length === 0 ? (
        <p className="muted">This entity has no relations.</p>
      ) : (
        <dl className="relation-groups">
          {groups.map(([title, refs]) => (
            <div key={title} className="relation-group">
              <dt>{title}</dt>
              <dd>
                <ul>
                  {refs.map(({ targetRef: ref, missing }) => (
                    <li key={ref} className={missing ? 'relation-missing' : undefined}>
                      <KindIcon kind={ref.split(':')[0] ?? ''} size={13} />
                      {missing ? (
                        <>
                          <span title="No location provides this entity">{ref}</span>
                          <span className="badge badge-neutral">missing</span>
                        </>
                      ) : (
                        <EntityLink entityRef={ref}>{ref}</EntityLink>
                      )}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Card>
  );
}

/** Says how old the parts read by URL are, and when they are copies kept because a server could not be asked. */
function RemoteAge({ remote }: { remote: RemoteParts }) {
  if (remote.stale) {
    return (
      <div className="banner banner-warn remote-age" role="status">
        <p>
          <strong>Definition from cache of {relativeTime(remote.readAt)}</strong>: the last sync could not read it again. {remote.stale}
        </p>
      </div>
    );
  }
  return (
    <p className="muted remote-age">
      Parts of this entity were read from {remote.urls.join(', ')} {relativeTime(remote.readAt)}.
    </p>
  );
}

/** Says the entity shown is its last good version, and why the newest was refused. */
function RefusedVersion({ errors }: { errors: ProcessingError[] }) {
  return (
    <div className="banner banner-error refused-version" role="alert">
      <p>
        <strong>The newest version of this entity was refused</strong>; this is its last good version.
      </p>
      <ul>
        {errors.map((err, i) => (
          <li key={i}>
            <code>
              {err.file}
              {err.line ? `:${err.line}` : ''}
              {err.column ? `:${err.column}` : ''}
            </code>{' '}
            {err.field && <code>{err.field}</code>} {err.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** This page's address as served over HTTP, without the access token a shared link must not carry. */
function servedURL(): string {
  const u = new URL(window.location.href);
  u.searchParams.delete('token');
  return u.toString();
}

export function EntityPage() {
  const { kind = '', namespace = '', name = '' } = useParams();
  const ref = `${kind}:${namespace}/${name}`.toLowerCase();
  const { data, error, stale, reload } = useLoad(`entity\0${ref}`, (c) => c.getEntity(ref));
  const e = stale ? undefined : data;
  const [params, setParams] = useSearchParams();
  // ?edit=1 (the Problems page's Edit) opens the editor at once.
  const [editing, setEditing] = useState(() => params.get('edit') === '1');
  // A failed scorecard check's file, opened at its line or to be created.
  const [fixing, setFixing] = useState<CheckFix>();
  // ?inspect=1 (the command palette's "Inspect this entity") opens the inspector.
  const inspecting = params.get('inspect') === '1';
  const setInspecting = (on: boolean) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (on) next.set('inspect', '1');
      else next.delete('inspect');
      return next;
    });
  const [action, setAction] = useState<{ busy?: string; message?: string }>({});
  const [unregistering, setUnregistering] = useState(false);
  const client = useClient();
  const [starred, setStarred] = useState<boolean>();
  useEffect(() => setStarred(undefined), [ref]);
  const found = e?.ref;
  useEffect(() => {
    if (found) client.visit(found).catch(() => {}); // "recently visited" is a convenience: never an error page
  }, [client, found]);
  // Asked at once, beside the entity: plugins answer in parallel with it.
  const plugins = usePluginViews(ref);
  const isStarred = starred ?? e?.starred ?? false;
  const toggleStar = async () => {
    if (!e) return;
    setStarred(!isStarred);
    try {
      await client.setStar(e.ref, !isStarred);
    } catch {
      setStarred(isStarred);
    }
  };

  const refresh = async () => {
    if (!e) return;
    setAction({ busy: 'refresh' });
    try {
      const locs = await client.sync(e.source.locationId);
      const failed = locs.find((l) => l.id === e.source.locationId)?.lastError;
      setAction({ message: failed ? `The sync failed: ${failed}` : undefined });
      reload();
    } catch (err) {
      setAction({ message: err instanceof Error ? err.message : String(err) });
    }
  };
  const openFile = (path: string, line?: number) =>
    client.open({ path, with: 'editor', ...(line ? { line } : {}) }).catch((err: unknown) => setAction({ message: err instanceof Error ? err.message : String(err) }));
  const openInEditor = async () => {
    if (!e) return;
    setAction({ busy: 'open' });
    try {
      const own = (await client.inspectEntity(e.ref)).ancestry.at(-1);
      if (own?.localFile) {
        setAction({});
        await openFile(own.localFile, e.source.line);
      } else {
        setAction({ message: `${e.source.file} is in a clone Callboard keeps, not in a folder of yours: use View source, or Edit to change it here.` });
      }
    } catch (err) {
      setAction({ message: err instanceof Error ? err.message : String(err) });
    }
  };
  const route = `/catalog/${encodeURIComponent(kind.toLowerCase())}/${encodeURIComponent(namespace.toLowerCase())}/${encodeURIComponent(name.toLowerCase())}`;
  const appLink = linkOf(route);
  const pageURL = client.inWindow ? '' : servedURL();

  const definition = typeof (e?.entity.spec as { definition?: unknown } | undefined)?.definition === 'string' ? String((e?.entity.spec as { definition: string }).definition) : '';
  const hasDocs = typeof ((e?.entity.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations ?? {})['backstage.io/techdocs-ref'] === 'string';
  const hasDecisions = typeof ((e?.entity.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations ?? {})['backstage.io/adr-location'] === 'string';
  const tabs: [string, string][] = [
    ['overview', 'Overview'],
    ...(hasDocs ? ([['docs', 'Docs']] as [string, string][]) : []),
    ...(hasDecisions ? ([['decisions', 'Decisions']] as [string, string][]) : []),
    ...(definition ? ([['definition', 'Definition']] as [string, string][]) : []),
    ['graph', 'Graph'],
    ['history', 'History'],
    ['yaml', 'YAML'],
    ...plugins.tabs.map((t): [string, string] => [t.id, t.label]),
  ];
  const asked = params.get('tab') ?? 'overview';
  const known = tabs.some(([id]) => id === asked);
  // A plugin's tab in the URL is known once the plugins answer: wait for them rather than show the Overview.
  const waiting = !known && plugins.loading;
  const tab = known ? asked : waiting ? '' : 'overview';
  const pluginTab = plugins.tabs.find((t) => t.id === tab);

  if (error instanceof PortalError && error.code === 'not_found') {
    return (
      <div className="page">
        <EmptyState icon={SearchX} title="Entity not found">
          <p>
            There is no <code>{ref}</code> in the catalog. It may have been removed or renamed at the last sync.
          </p>
          <Link to="/catalog" className="button">
            <ArrowLeft size={14} aria-hidden="true" /> Back to the catalog
          </Link>
        </EmptyState>
      </div>
    );
  }
  if (error && !e) {
    return (
      <div className="page">
        <ErrorState title={`Could not load ${ref}`} error={error} onRetry={reload} />
      </div>
    );
  }
  if (!e) {
    return (
      <div className="page">
        <Loading label={`Loading ${ref}…`} />
      </div>
    );
  }

  return (
    <div className="page page-wide">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/catalog">Catalog</Link>
        <span aria-hidden="true">/</span>
        <Link to={`/catalog?kind=${encodeURIComponent(e.kind.toLowerCase())}`}>{kindLabel(e.kind.toLowerCase())}</Link>
      </nav>
      <header className="entity-header">
        <div className="entity-icon">
          <KindIcon kind={e.kind} size={22} />
        </div>
        <div>
          <h1 className="page-title" data-testid="entity-title">
            {e.title || e.name}
          </h1>
          <p className="entity-ref">
            <code>{e.ref}</code>
            <span className="badge badge-neutral">{e.kind}</span>
            {e.type && <span className="badge badge-neutral">{e.type}</span>}
            <Lifecycle value={e.lifecycle} />
            {e.source.locationId === DEMO_LOCATION_ID && <DemoBadge />}
            {e.backstage && <BackstageReadAge backstage={e.backstage} />}
            {e.review ? (
              <ReviewBadge review={e.review} onChanged={reload} />
            ) : (
              e.pending && (
                <span className="badge badge-warn" title="Changed in Callboard; the next sync that reaches the remote pushes it">
                  not pushed yet
                </span>
              )
            )}
          </p>
        </div>
        <div className="entity-actions">
          <OpenInCallboard />
          <button
            type="button"
            className="button button-small"
            aria-pressed={isStarred}
            onClick={toggleStar}
            title={isStarred ? 'Remove from starred' : 'Star: keep it on Home and in the Starred filter'}
          >
            <Star size={13} aria-hidden="true" className={isStarred ? 'star-on' : undefined} /> {isStarred ? 'Starred' : 'Star'}
          </button>
          <button type="button" className="button button-small" onClick={() => setInspecting(true)} title="How this entity came to be in the catalog">
            <FileSearch size={13} aria-hidden="true" /> Inspect
          </button>
          <button type="button" className="button button-small" onClick={refresh} disabled={action.busy === 'refresh'} title={`Sync location ${e.source.locationId} now`}>
            <RefreshCw size={13} aria-hidden="true" /> {action.busy === 'refresh' ? 'Refreshing…' : 'Refresh'}
          </button>
          {appLink && <CopyButton text={appLink} label="Copy link" />}
          {pageURL && <CopyButton text={pageURL} label="Copy page URL" />}
          {!fromBackstage(e) && (
            <button type="button" className="button button-small" onClick={openInEditor} disabled={action.busy === 'open'} title={`Open ${e.source.file} in your editor`}>
              <SquarePen size={13} aria-hidden="true" /> Open in editor
            </button>
          )}
          <EntityActionsMenu entityRef={e.ref} />
          <button type="button" className="button button-small button-quiet" onClick={() => setUnregistering(true)} title="Take this entity out of the catalog as it came in, or see how it got here">
            <Trash2 size={13} aria-hidden="true" /> Unregister
          </button>
          {/* A file read by URL (a Location target on a web server) is not in any repository to commit to; an entity read from a Backstage is edited in its source repository. */}
          {!/^https?:\/\//.test(e.source.file) && (!fromBackstage(e) || e.backstage?.repo) && (
            <button type="button" className="button button-small" onClick={() => setEditing(true)} title={`Edit ${e.backstage?.file || e.source.file}`}>
              <Pencil size={13} aria-hidden="true" /> Edit
            </button>
          )}
        </div>
      </header>
      {action.message && (
        <p className="banner banner-warn" role="status">
          {action.message}
        </p>
      )}
      <EntityTemplateUpdate entityRef={e.ref} />
      {e.backstage && <SourceCloneProgress backstage={e.source.locationId} />}
      {inspecting && (
        <Suspense fallback={<Loading label="Opening the inspector…" />}>
          <Inspector entityRef={e.ref} onClose={() => setInspecting(false)} onOpen={(path, line) => void openFile(path, line)} />
        </Suspense>
      )}
      {unregistering && (
        <Suspense fallback={<Loading label="Opening…" />}>
          <UnregisterDialog entityRef={e.ref} onClose={() => setUnregistering(false)} onOpen={(path, line) => void openFile(path, line)} />
        </Suspense>
      )}
      {editing && (
        <FileEditor
          locationId={e.source.locationId}
          path={e.source.file}
          message={`Update ${e.name}`}
          note={e.backstage?.repo ? <BackstageEditNote backstage={e.backstage} /> : undefined}
          loading={e.backstage?.repo ? `Fetching ${e.backstage.repo} (cloned once, the first time)…` : undefined}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            reload();
          }}
        />
      )}
      {fixing && (
        <FileEditor
          locationId={e.source.locationId}
          path={fixing.path}
          line={fixing.line}
          create={fixing.create ? '' : undefined}
          title={`Create ${fixing.path}`}
          message={fixing.create ? `Add ${fixing.path}` : `Update ${fixing.path === e.source.file ? e.name : fixing.path}`}
          onClose={() => setFixing(undefined)}
          onSaved={() => {
            setFixing(undefined);
            reload();
          }}
        />
      )}
      {e.errors && e.errors.length > 0 && <RefusedVersion errors={e.errors} />}
      {e.remote && <RemoteAge remote={e.remote} />}
      <div className="tabs" role="tablist" aria-label="Entity">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === id}
            onClick={() => setParams(id === 'overview' ? {} : { tab: id })}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'overview' && (
        <div className="entity-grid">
          <About e={e} />
          <Relations kind={e.kind} relations={e.relations} />
          <EntityQuestions entityRef={e.ref} />
          <EntityScorecards entityRef={e.ref} onFix={/^https?:\/\//.test(e.source.file) ? undefined : setFixing} />
          {e.kind.toLowerCase() === 'group' && <GroupScorecards groupRef={e.ref} />}
          <PluginCards views={plugins} />
        </div>
      )}
      {waiting && <Loading label="Loading plugin views…" />}
      {tab !== 'overview' && (
        <Boundary label="This tab" where={`tab ${tab}`} resetKeys={[tab, e.ref]}>
          {pluginTab && <PluginTabPanel tab={pluginTab} />}
          <Suspense fallback={<Loading />}>
            {tab === 'definition' && <ApiDefinition type={e.type ?? ''} definition={definition} />}
            {tab === 'graph' && <GraphView entityRef={e.ref} />}
          </Suspense>
          {tab === 'history' && <HistoryView entityRef={e.ref} />}
          {tab === 'docs' && <DocsReader entityRef={e.ref} />}
          {tab === 'decisions' && <DecisionsTab entityRef={e.ref} />}
          {tab === 'yaml' && (
            <Card title={`${e.source.file}:${e.source.line}`} icon={FileCode} className="yaml">
              <pre className="code">
                <code>{e.yaml}</code>
              </pre>
            </Card>
          )}
        </Boundary>
      )}
    </div>
  );
}
