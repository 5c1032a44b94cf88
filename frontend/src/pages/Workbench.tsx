import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Eye, FolderOpen, LoaderCircle } from 'lucide-react';
import { useClient } from '../api/context';
import { Events, type Workbench, type WorkbenchRun } from '../api/types.gen';
import { Card } from '../components/Card';
import { PageHeader } from '../components/PageHeader';
import { ErrorState, Loading } from '../components/States';
import { DryRunView } from '../scaffold/DryRunView';
import { PublishReview } from '../scaffold/PublishReview';
import { catalogSourceFromClient } from '../scaffold/source';
import type { JsonObject } from '../scaffold/schema';
import { TemplateForm, type TemplateSubmission } from '../scaffold/TemplateForm';
import '../styles/create.css';
import '../styles/workbench.css';

// How long typing must pause before the values are dry-run.
const DRY_RUN_DEBOUNCE_MS = 300;
const RECENT_KEY = 'callboard.workbench.recent';
const MAX_RECENT = 8;

/** The folders opened last, newest first (this browser's or window's storage). */
export function recentFolders(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

function rememberFolder(dir: string) {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([dir, ...recentFolders().filter((d) => d !== dir)].slice(0, MAX_RECENT)));
  } catch {
    // Storage off or full: the list is a convenience.
  }
}

export const workbenchPath = (dir: string) => `/create/workbench?${new URLSearchParams({ dir }).toString()}`;

/** Asks for a template folder: typed, picked in the window's folder dialog, or one of the recent ones. */
function OpenFolder() {
  const client = useClient();
  const navigate = useNavigate();
  const [dir, setDir] = useState('');
  const [recent] = useState(recentFolders);
  const pick = client.pickFolder;
  const open = (d: string) => void navigate(workbenchPath(d.trim()));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (dir.trim()) open(dir);
  };
  return (
    <div className="page">
      <PageHeader title="Template workbench" subtitle="Open a template folder from your disk: its form follows the folder as you save, and a dry run follows the form as you type." />
      <Card title="Open template folder" icon={FolderOpen}>
        <form className="workbench-open" onSubmit={submit}>
          <input aria-label="Template folder" placeholder="/home/you/src/templates/go-service" value={dir} onChange={(e) => setDir(e.target.value)} autoFocus />
          {pick && (
            <button
              type="button"
              className="button"
              onClick={() =>
                void pick('Open a template folder').then((d) => {
                  if (d) open(d);
                })
              }
            >
              Choose…
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={!dir.trim()}>
            Open
          </button>
        </form>
        {recent.length > 0 && (
          <>
            <p className="muted">Recent folders</p>
            <ul className="workbench-recent">
              {recent.map((d) => (
                <li key={d}>
                  <Link to={workbenchPath(d)}>{d}</Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </div>
  );
}

/** Follows a workbench: opened for the folder, kept up to date by workbench:changed, closed on leaving. */
function useWorkbench(dir: string) {
  const client = useClient();
  const [bench, setBench] = useState<Workbench | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    let id = '';
    setBench(null);
    setError(null);
    // Subscribed before opening, so a save right after is not missed.
    const off = client.subscribe(Events.WorkbenchChanged, (w) => {
      if (live && w.id === id) setBench((old) => (old && old.version > w.version ? old : w));
    });
    client.openWorkbench(dir).then(
      (w) => {
        id = w.id;
        if (!live) {
          void client.closeWorkbench(w.id).catch(() => undefined);
          return;
        }
        rememberFolder(dir);
        setBench(w);
      },
      (e: unknown) => live && setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      live = false;
      off();
      if (id) void client.closeWorkbench(id).catch(() => undefined);
    };
  }, [client, dir, attempt]);
  return { bench, error, retry: () => setAttempt((a) => a + 1) };
}

/** Dry-runs the values once typing pauses, and again when the folder changes; a newer run replaces an older one. */
function useDryRun(id: string | undefined, version: number | undefined, ready: boolean) {
  const client = useClient();
  const [submission, setSubmission] = useState<TemplateSubmission | null>(null);
  const [result, setResult] = useState<WorkbenchRun | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  // Bumped by the form's own Dry run button: the same values run again.
  const [asked, setAsked] = useState(0);
  const latest = useRef(0);
  const key = JSON.stringify(submission);
  useEffect(() => {
    if (!id || !ready || !submission) return;
    const n = ++latest.current;
    const timer = setTimeout(() => {
      setRunning(true);
      client.workbenchDryRun(id, { values: submission.values, secrets: submission.secrets }).then(
        (r) => {
          if (n !== latest.current) return;
          setResult(r);
          setError(null);
          setRunning(false);
        },
        (e: unknown) => {
          if (n !== latest.current) return;
          setError(e instanceof Error ? e.message : String(e));
          setRunning(false);
        },
      );
    }, DRY_RUN_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // key stands for submission: the values as typed, not the object's identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, id, version, ready, key, asked]);
  const onValues = useCallback((s: TemplateSubmission) => setSubmission(s), []);
  const runNow = useCallback((s: TemplateSubmission) => {
    setSubmission(s);
    setAsked((n) => n + 1);
  }, []);
  return { result, error, running, onValues, runNow };
}

function problemAt(p: { file?: string; line?: number; column?: number }): string {
  if (!p.file) return '';
  return `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}: `;
}

/** The workbench: the folder's form on the left, re-rendered as it is saved; the dry run of its values on the right. */
export function WorkbenchPage() {
  const [params] = useSearchParams();
  const dir = params.get('dir') ?? '';
  if (!dir) return <OpenFolder />;
  return <WorkbenchView key={dir} dir={dir} />;
}

function WorkbenchView({ dir }: { dir: string }) {
  const client = useClient();
  const { bench, error, retry } = useWorkbench(dir);
  const template = bench?.template ?? null;
  const dry = useDryRun(bench?.id, bench?.version, template !== null);
  const source = useMemo(() => catalogSourceFromClient(client, {}), [client]);
  const initialValues = useMemo<JsonObject>(() => ({}), []);
  if (error) return <ErrorState title={`Could not open ${dir}`} error={error} onRetry={retry} />;
  if (!bench) return <Loading label="Reading the template folder…" />;
  return (
    <div className="page workbench">
      <PageHeader
        title={template?.title ?? bench.file}
        subtitle={
          <>
            <code>{bench.dir}</code> · {bench.file} · read {bench.version} {bench.version === 1 ? 'time' : 'times'}
          </>
        }
        actions={
          <Link to="/create/workbench" className="button button-small button-quiet">
            Open another folder
          </Link>
        }
      />
      {bench.problems.length > 0 && (
        <div className="banner banner-error" role="alert" aria-label="Problems">
          <ul className="workbench-problems">
            {bench.problems.map((p, i) => (
              <li key={i}>
                <code>{problemAt(p)}</code>
                {p.field && <code>{p.field}: </code>}
                {p.message}
              </li>
            ))}
          </ul>
          {template && <p className="muted">The form shows the template as it last read without errors.</p>}
        </div>
      )}
      {bench.watchNote && <p className="muted workbench-watch">{bench.watchNote}</p>}
      {template?.problem && (
        <p className="banner banner-warn" role="note">
          {template.problem}
        </p>
      )}
      <div className="workbench-layout">
        <section aria-label="Form">
          {template ? (
            <TemplateForm
              parameters={template.parameters}
              initialValues={initialValues}
              source={source}
              submitLabel="Dry run"
              onSubmit={dry.runNow}
              onValuesChange={dry.onValues}
              review={(values) => <PublishReview steps={template.steps} values={values} trustedHosts={template.trustedHosts} />}
            />
          ) : (
            <p className="muted">Fix the problems above and save: the form appears.</p>
          )}
        </section>
        <section aria-label="Dry run" aria-busy={dry.running}>
          <Card title="Dry run" icon={dry.running ? LoaderCircle : Eye}>
            {dry.error && (
              <p className="banner banner-error" role="alert">
                {dry.error}
              </p>
            )}
            {dry.result ? <DryRunView result={dry.result} /> : <p className="muted">{dry.running ? 'Running…' : 'Fill in the form: the dry run follows.'}</p>}
          </Card>
        </section>
      </div>
    </div>
  );
}
