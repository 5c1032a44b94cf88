import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { AppWindow, Ban, CheckCircle2, ChevronRight, Circle, CircleDashed, Code2, FolderOpen, History, Loader2, PowerOff, RotateCcw, Sparkles, SquareTerminal, XCircle } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import { Events, type EntitySummary, type Status as RunStatus, type ScaffoldEvent, type ScaffoldFile, type StepResult, type TemplateFetch } from '../api/types.gen';
import { OpenInCallboard } from '../components/Links';
import { Card } from '../components/Card';
import { EntityLink } from '../components/EntityLink';
import { ExternalLink } from '../components/ExternalLink';
import { KindIcon } from '../components/KindIcon';
import { PageHeader } from '../components/PageHeader';
import { useSlashFocus } from '../useSlashFocus';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { Tags } from '../components/Chips';
import { TemplateUpdates } from '../components/TemplateUpdateBanner';
import { relativeTime } from '../locale';
import { PublishReview } from '../scaffold/PublishReview';
import { UnavailableSteps } from '../scaffold/Review';
import { catalogSourceFromClient } from '../scaffold/source';
import type { JsonObject } from '../scaffold/schema';
import { TemplateForm, type TemplateSubmission } from '../scaffold/TemplateForm';
import { CreateNav } from './CreateNav';
import '../styles/create.css';
import '../styles/createdocs.css';

// Keyed by string: a run recorded by a newer version may have a status this one does not know.
const statusIcon: Record<string, typeof Circle | undefined> = {
  pending: Circle,
  running: Loader2,
  completed: CheckCircle2,
  failed: XCircle,
  cancelled: Ban,
  skipped: CircleDashed,
  interrupted: PowerOff,
} satisfies Record<RunStatus, typeof Circle>;

// The live log a page keeps of a running run: the portal keeps the whole
// (bounded) log in the run's record, shown when the run ends.
const MAX_LIVE_LOG_LINES = 2000;

/** Adds a progress event, dropping the oldest log line past MAX_LIVE_LOG_LINES (step starts and ends are kept). */
export function keepEvent(all: ScaffoldEvent[], e: ScaffoldEvent): ScaffoldEvent[] {
  const next = [...all, e];
  if (e.kind !== 'log' || next.filter((x) => x.kind === 'log').length <= MAX_LIVE_LOG_LINES) return next;
  next.splice(next.findIndex((x) => x.kind === 'log'), 1);
  return next;
}

function StatusIcon({ status }: { status: string }) {
  const Icon = statusIcon[status] ?? Circle;
  return <Icon size={14} className={`run-status run-status-${status}`} aria-label={status} />;
}

/** What the template list is narrowed to: text, and a type, tag and owner ("" for any). */
export interface TemplateFilter {
  text: string;
  type: string;
  tag: string;
  owner: string;
}

/** The templates that pass the filter, grouped by type (Backstage's template groups), groups by name with untyped ones last. */
export function groupTemplates(templates: EntitySummary[], f: TemplateFilter): { type: string; items: EntitySummary[] }[] {
  const text = f.text.trim().toLowerCase();
  const groups = new Map<string, EntitySummary[]>();
  for (const t of templates) {
    if (f.type && t.type !== f.type) continue;
    if (f.tag && !t.tags.includes(f.tag)) continue;
    if (f.owner && t.owner !== f.owner) continue;
    if (text && !`${t.name} ${t.title ?? ''} ${t.description ?? ''} ${t.tags.join(' ')}`.toLowerCase().includes(text)) continue;
    const type = t.type ?? '';
    groups.set(type, [...(groups.get(type) ?? []), t]);
  }
  return [...groups].map(([type, items]) => ({ type, items })).sort((a, b) => (a.type === '' ? 1 : b.type === '' ? -1 : a.type.localeCompare(b.type)));
}

/** The values a filter can take: each distinct one, sorted. */
function choices(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort();
}

function FilterSelect({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange(v: string): void }) {
  if (options.length === 0) return null;
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{`Any ${label.toLowerCase()}`}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

function TemplateCard({ t }: { t: EntitySummary }) {
  return (
    <li>
      <Link to={`/create/templates/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.name)}`} className="template-card">
        <span className="template-title">
          <KindIcon kind="template" size={16} />
          {t.title || t.name}
        </span>
        {t.description && <span className="template-description">{t.description}</span>}
        <Tags tags={t.tags} />
        <span className="template-choose">
          Choose <ChevronRight size={13} aria-hidden="true" />
        </span>
      </Link>
    </li>
  );
}

/** How many runs the history lists at a time. */
const RUN_PAGE = 50;

/** Every run in the history, newest first, a page at a time; a run's end reloads it. */
function RunHistory() {
  const client = useClient();
  const [pages, setPages] = useState(1);
  const { data, error, reload } = useLoad(`run-history\0${pages}`, (c) => c.runHistory({ limit: RUN_PAGE * pages }), []);
  useEffect(() => client.subscribe(Events.ScaffoldDone, () => reload()), [client, reload]);
  if (error && !data) return <ErrorState title="Could not list the runs" error={error} onRetry={reload} />;
  if (!data || data.total === 0) return null;
  return (
    <Card title={`Runs (${data.total})`} icon={History} testId="runs">
      <ul className="run-history">
        {data.items.map((r) => (
          <li key={r.id}>
            <StatusIcon status={r.status} />
            <Link to={`/create/runs/${encodeURIComponent(r.id)}`}>{r.title}</Link>
            <span className="muted">{r.dryRun ? 'dry run' : r.target}</span>
            <span className="muted">{relativeTime(r.started)}</span>
          </li>
        ))}
      </ul>
      {data.items.length < data.total && (
        <button type="button" className="button button-small run-history-more" onClick={() => setPages((p) => p + 1)}>
          Show {Math.min(RUN_PAGE, data.total - data.items.length)} more of {data.total - data.items.length}
        </button>
      )}
    </Card>
  );
}

/** The templates of the catalog, grouped and filtered, and the runs made here. */
export function CreatePage() {
  const { data, error, reload } = useLoad('templates', (c) => c.listEntities({ kind: 'template', sort: 'name', limit: 500 }));
  const [filter, setFilter] = useState<TemplateFilter>({ text: '', type: '', tag: '', owner: '' });
  const templates = useMemo(() => data?.items ?? [], [data]);
  const groups = useMemo(() => groupTemplates(templates, filter), [templates, filter]);
  const set = (patch: Partial<TemplateFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const search = useSlashFocus<HTMLInputElement>();
  return (
    <div className="page">
      <PageHeader
        title="Create"
        subtitle="Start a new project from one of your organisation's software templates"
        actions={
          <>
            <CreateNav />
            <Link to="/create/workbench" className="button button-small button-quiet">
              <FolderOpen size={13} aria-hidden="true" /> Open template folder…
            </Link>
          </>
        }
      />
      <TemplateUpdates />
      {error && !data ? (
        <ErrorState title="Could not list the templates" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading label="Listing templates…" />
      ) : templates.length === 0 ? (
        <EmptyState icon={Sparkles} title="No templates yet">
          Templates are entities of kind Template in your catalog repositories; add a location that has some.
        </EmptyState>
      ) : (
        <>
          <div className="ref-filters template-filters" role="search" aria-label="Filter templates">
            <input ref={search} type="search" aria-label="Search templates" title="Search templates (/)" placeholder="Search templates" value={filter.text} onChange={(e) => set({ text: e.target.value })} />
            <FilterSelect label="Type" value={filter.type} options={choices(templates.map((t) => t.type))} onChange={(type) => set({ type })} />
            <FilterSelect label="Tag" value={filter.tag} options={choices(templates.flatMap((t) => t.tags))} onChange={(tag) => set({ tag })} />
            <FilterSelect label="Owner" value={filter.owner} options={choices(templates.map((t) => t.owner))} onChange={(owner) => set({ owner })} />
          </div>
          {groups.length === 0 ? (
            <EmptyState icon={Sparkles} title="No template matches" />
          ) : (
            groups.map((g) => (
              <section key={g.type} className="template-group" aria-label={g.type || 'Other templates'}>
                {(groups.length > 1 || g.type) && <h2 className="template-group-title">{g.type || 'Other'}</h2>}
                <ul className="template-grid" aria-label="Templates">
                  {g.items.map((t) => (
                    <TemplateCard key={t.ref} t={t} />
                  ))}
                </ul>
              </section>
            ))
          )}
        </>
      )}
      <RunHistory />
    </div>
  );
}

/** Where a project goes: the form's local folder, else the workspace and the repository or component name. */
export function suggestTarget(workspace: string, values: Record<string, unknown>): string {
  const repoUrl = typeof values.repoUrl === 'string' ? values.repoUrl : '';
  const q = new URLSearchParams(repoUrl.split('?')[1] ?? '');
  const name = q.get('repo') || (typeof values.name === 'string' ? values.name : '') || (typeof values.component_id === 'string' ? values.component_id : '') || 'new-project';
  const base = repoUrl.startsWith('local?') && q.get('path') ? q.get('path')! : workspace;
  return `${base.replace(/\/+$/, '')}/${name}`;
}

/**
 * The values a template's route prefills its form with (?formData=, a
 * JSON object, as Backstage's scaffolder takes them; a callboard://create
 * link's values arrive so): undefined when there are none or they are not
 * an object.
 */
export function formData(param: string | null): JsonObject | undefined {
  if (!param) return undefined;
  try {
    const v: unknown = JSON.parse(param);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** A template's form; Create or Dry run starts a run and shows it. */
export function TemplatePage() {
  const { namespace = 'default', name = '' } = useParams();
  const [params] = useSearchParams();
  const initialValues = useMemo(() => formData(params.get('formData')), [params]);
  const ref = `template:${namespace}/${name}`;
  const client = useClient();
  const navigate = useNavigate();
  const { data, error, reload } = useLoad(`template\0${ref}`, (c) => c.template(ref));
  const source = useMemo(() => {
    const pick = client.pickFolder;
    return catalogSourceFromClient(client, pick ? { pickFolder: () => pick('Where to create the repository') } : {});
  }, [client]);
  const [target, setTarget] = useState<string | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async ({ values, secrets }: TemplateSubmission, dryRun: boolean) => {
    if (!data) return;
    setBusy(true);
    setStartError(null);
    try {
      const run = await client.scaffold({ template: data.ref, values, secrets, dryRun, overwrite, target: dryRun ? undefined : (target ?? suggestTarget(data.workspace, values)) });
      void navigate(`/create/runs/${encodeURIComponent(run.id)}`);
    } catch (e) {
      setStartError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  if (error && !data) return <ErrorState title="Could not read the template" error={error} onRetry={reload} />;
  if (!data) return <Loading label="Reading the template…" />;
  return (
    <div className="page">
      <PageHeader
        title={data.title}
        subtitle={data.description}
        actions={
          <>
            <OpenInCallboard />
            <Link to="/create" className="button button-small button-quiet">
              All templates
            </Link>
          </>
        }
      />
      {data.problem && (
        <p className="banner banner-error" role="alert">
          {data.problem}
        </p>
      )}
      <FetchNotice fetches={data.fetches} />
      <div className="create-layout">
        <TemplateForm
          parameters={data.parameters}
          initialValues={initialValues}
          source={source}
          busy={busy}
          submitLabel={data.buttonLabels?.createButtonText}
          backLabel={data.buttonLabels?.backButtonText}
          reviewLabel={data.buttonLabels?.reviewButtonText}
          onSubmit={(s) => start(s, false)}
          onDryRun={(s) => start(s, true)}
          review={(values) => (
            <>
              <UnavailableSteps steps={data.steps} />
              <PublishReview steps={data.steps} values={values} trustedHosts={data.trustedHosts} />
            </>
          )}
        />
        <aside className="create-aside">
          <Card title="Project folder" icon={FolderOpen}>
            <label className="create-target">
              <span className="muted">The new project goes into this folder; empty unless you allow writing into it.</span>
              <input aria-label="Project folder" placeholder={`${data.workspace}/…  (from the form)`} value={target ?? ''} onChange={(e) => setTarget(e.target.value || null)} />
            </label>
            <label className="create-overwrite">
              <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Write into a folder that has files
            </label>
          </Card>
          <Card title="Steps" icon={AppWindow}>
            <ol className="create-steps">
              {data.steps.map((s, i) => (
                <li key={`${i}\0${s.id}`}>
                  {s.name} <code className="muted">{s.action}</code>
                </li>
              ))}
            </ol>
            <KeptFetches fetches={data.fetches} />
          </Card>
          {startError && (
            <p className="banner banner-error" role="alert">
              {startError}
            </p>
          )}
        </aside>
      </div>
    </div>
  );
}

/**
 * Says which fetches by URL a run cannot make without the network: no copy
 * is kept yet. The form still opens; offline, those steps fail.
 */
function FetchNotice({ fetches }: { fetches: TemplateFetch[] }) {
  const needed = fetches.filter((f) => !f.cached);
  if (needed.length === 0) return null;
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  return (
    <div className="banner banner-warn fetch-notice" role="status">
      <p>
        <strong>
          {offline ? 'You are offline, and this template' : 'This template'} fetches {needed.length === 1 ? 'a part' : `${needed.length} parts`} by URL that no run has fetched yet
        </strong>
        {offline
          ? ': those steps fail until you are back online.'
          : ': they need the network when the template runs; once fetched, a copy is kept and used when the server cannot be reached.'}
      </p>
      <ul>
        {needed.map((f) => (
          <li key={`${f.step}\0${f.url}`}>
            {f.step}: <code>{f.url}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Lists the fetches by URL whose copies are kept, and how old they are. */
function KeptFetches({ fetches }: { fetches: TemplateFetch[] }) {
  const kept = fetches.filter((f) => f.cached);
  if (kept.length === 0) return null;
  return (
    <ul className="muted kept-fetches" aria-label="Kept copies">
      {kept.map((f) => (
        <li key={`${f.step}\0${f.url}`}>
          {f.step} fetches <code>{f.url}</code>: a copy read {relativeTime(f.readAt)} is kept, used when the server cannot be reached.
        </li>
      ))}
    </ul>
  );
}

/** Applies a scaffold:progress event to a run's steps, by the step's place: ids may repeat. */
export function followStep(steps: StepResult[], e: ScaffoldEvent): StepResult[] {
  return steps.map((s, i) => {
    if (i !== e.index || s.id !== e.step) return s;
    if (e.kind === 'start') return { ...s, status: 'running' };
    if (e.kind === 'log' && e.line !== undefined) return { ...s, log: [...s.log, e.line].slice(-MAX_LIVE_LOG_LINES) };
    if (e.kind === 'end') return { ...s, status: e.status ?? s.status, durationMs: e.durationMs ?? 0 };
    return s;
  });
}

/** Follows a run: the steps so far from the portal, then scaffold:progress events, the record when it ends. */
function useRun(id: string) {
  const client = useClient();
  const { data, error, reload } = useLoad(`scaffold-run\0${id}`, (c) => c.scaffoldRun(id));
  const [events, setEvents] = useState<ScaffoldEvent[]>([]);
  useEffect(() => {
    setEvents([]);
    const offs = [
      client.subscribe(Events.ScaffoldProgress, (e) => {
        if (e.runId === id && e.step) setEvents((all) => keepEvent(all, e));
      }),
      client.subscribe(Events.ScaffoldDone, (run) => {
        if (run.id === id) reload();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, id, reload]);
  // Events that arrived before the portal's answer are replayed over it;
  // replaying one already counted only repeats a state or a log line.
  const steps = useMemo(() => (data && data.status === 'running' ? events.reduce(followStep, data.steps) : (data?.steps ?? [])), [data, events]);
  return { run: data, steps, error, reload };
}

function FileTree({ files }: { files: ScaffoldFile[] }) {
  const shown = files.filter((f) => !f.dir);
  const [open, setOpen] = useState(shown[0]?.path ?? '');
  const file = shown.find((f) => f.path === open);
  return (
    <div className="dry-run">
      <ul className="dry-run-files" aria-label="Files">
        {shown.map((f) => (
          <li key={f.path}>
            <button type="button" className={f.path === open ? 'active' : ''} aria-current={f.path === open ? 'true' : undefined} onClick={() => setOpen(f.path)}>
              {f.path}
            </button>
          </li>
        ))}
      </ul>
      <pre className="dry-run-content" aria-label={file ? `Content of ${file.path}` : 'Content'}>
        {file ? (file.binary ? `(binary file, ${file.size} bytes)` : (file.content ?? `(${file.size} bytes, too large to show)`)) : ''}
      </pre>
    </div>
  );
}

/**
 * The route that opens a run's template with the run's values filled in,
 * as Backstage's "Start over" does; undefined when the run kept none.
 */
export function startOver(template: string, values: unknown): string | undefined {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return undefined;
  const m = /^template:([^/]+)\/(.+)$/.exec(template);
  if (!m) return undefined;
  return `/create/templates/${encodeURIComponent(m[1]!)}/${encodeURIComponent(m[2]!)}?formData=${encodeURIComponent(JSON.stringify(values))}`;
}

/** One run: progress, logs per step, cancel, and what it made. */
export function RunPage() {
  const { id = '' } = useParams();
  const client = useClient();
  const { run, steps, error, reload } = useRun(id);
  const [actionError, setActionError] = useState<string | null>(null);
  if (error && !run) return <ErrorState title="Could not read the run" error={error} onRetry={reload} />;
  if (!run) return <Loading label="Starting…" />;
  const running = run.status === 'running';
  const done = steps.filter((s) => s.status !== 'running' && s.status !== 'pending').length;
  const open = (w: 'editor' | 'folder' | 'terminal') => {
    if (!run.target) return;
    setActionError(null);
    client.open({ path: run.target, with: w }).catch((e: unknown) => setActionError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div className="page" data-testid="run">
      <PageHeader
        title={run.title}
        subtitle={run.dryRun ? 'Dry run: nothing is written' : run.target}
        actions={
          running ? (
            <button type="button" className="button button-small" onClick={() => void client.cancelScaffold(run.id).then(reload, (e: unknown) => setActionError(e instanceof Error ? e.message : String(e)))}>
              <Ban size={13} aria-hidden="true" /> Cancel
            </button>
          ) : (
            <>
              {startOver(run.template, run.values) && (
                <Link to={startOver(run.template, run.values)!} className="button button-small">
                  <RotateCcw size={13} aria-hidden="true" /> Start over with these values
                </Link>
              )}
              <Link to="/create" className="button button-small button-quiet">
                Create another
              </Link>
            </>
          )
        }
      />
      <p className={`run-summary run-summary-${run.status}`} role="status">
        <StatusIcon status={run.status} />{' '}
        {running ? `Running… ${done} step${done === 1 ? '' : 's'} done` : run.status === 'completed' ? (run.dryRun ? 'The dry run went through.' : 'Your project is ready.') : run.status === 'cancelled' ? 'Cancelled: nothing was written.' : run.status === 'interrupted' ? `Interrupted: ${run.error}` : `Failed: ${run.error}`}
      </p>
      {running && (
        <div className="sync-progress-track run-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={steps.length ? Math.round((done / steps.length) * 100) : 0}>
          <div className="sync-progress-fill" style={{ width: `${steps.length ? (done / steps.length) * 100 : 5}%` }} />
        </div>
      )}
      {run.status === 'completed' && !run.dryRun && (
        <div className="run-actions">
          <button type="button" className="button" onClick={() => open('editor')}>
            <Code2 size={14} aria-hidden="true" /> Open in editor
          </button>
          <button type="button" className="button button-quiet" onClick={() => open('folder')}>
            <FolderOpen size={14} aria-hidden="true" /> Open folder
          </button>
          <button type="button" className="button button-quiet" onClick={() => open('terminal')}>
            <SquareTerminal size={14} aria-hidden="true" /> Open terminal here
          </button>
        </div>
      )}
      {actionError && (
        <p className="banner banner-error" role="alert">
          {actionError}
        </p>
      )}
      {(run.links.length > 0 || run.texts.length > 0 || (run.registered?.length ?? 0) > 0 || (run.publish?.length ?? 0) > 0) && (
        <Card title="Result" icon={Sparkles} testId="run-output">
          <ul className="run-links">
            {run.links.map((l, i) => (
              <li key={i}>{l.entityRef ? <EntityLink entityRef={l.entityRef}>{l.title || l.entityRef}</EntityLink> : l.url?.startsWith('http') ? <ExternalLink href={l.url}>{l.title || l.url}</ExternalLink> : <span>{l.title}: {l.url}</span>}</li>
            ))}
            {run.registered?.map((r) => (
              <li key={r}>
                In the catalog: <EntityLink entityRef={r} />
              </li>
            ))}
            {run.publish?.map((p, i) => (
              <li key={`p${i}`} className="muted">
                {p.status === 'pushed' ? `Pushed ${p.branch} to ${p.remote}` : p.status === 'pending' ? `Not pushed to ${p.remote} yet (${p.error}); the next sync tries again` : `A git repository on ${p.branch}, on this machine only`}
              </li>
            ))}
          </ul>
          {run.texts.map((t, i) => (
            <div key={i} className="run-text">
              {t.title && <h3>{t.title}</h3>}
              <pre>{t.content}</pre>
            </div>
          ))}
        </Card>
      )}
      {run.dryRun && run.files.length > 0 && (
        <Card title="Files" testId="dry-run-files">
          <FileTree files={run.files} />
        </Card>
      )}
      <Card title="Steps" testId="run-steps">
        <ol className="run-steps">
          {steps.map((s, i) => (
            <li key={`${i}\0${s.id}`}>
              <details open={s.status === 'failed' || running}>
                <summary>
                  <StatusIcon status={s.status} /> <span className="run-step-name">{s.name}</span> {s.action && <code className="muted">{s.action}</code>}
                  {s.status !== 'running' && <span className="muted run-step-time">{s.durationMs} ms</span>}
                </summary>
                <pre className="run-log">{s.log.join('\n') || '(no output)'}</pre>
              </details>
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
