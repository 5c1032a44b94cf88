import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { CloudUpload, GitBranch, GitMerge, GitPullRequest, Loader2 } from 'lucide-react';
import { useClient } from '../api/context';
import { Events, type TemplateUpdateApplied, type TemplateUpdateFile, type TemplateUpdatePreview, type TemplateUpdatePush } from '../api/types.gen';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { UpdatePushStatus } from '../components/UpdatePush';
import { shortCommit } from '../format';
import '../styles/templateupdate.css';

const actionLabel: Record<string, string> = {
  update: 'Updated',
  merge: 'Merged',
  conflict: 'Conflict',
  add: 'Added',
  remove: 'Removed',
  rename: 'Renamed',
  keep: 'Kept',
};

/** The merged text's lines, each marked as conflict marker, project side, template side or plain. */
export function markConflicts(text: string): { line: string; kind: 'marker' | 'ours' | 'theirs' | 'plain' }[] {
  let side: 'plain' | 'ours' | 'theirs' = 'plain';
  return text.split('\n').map((line) => {
    if (line.startsWith('<<<<<<< ')) {
      side = 'ours';
      return { line, kind: 'marker' as const };
    }
    if (line === '=======' && side === 'ours') {
      side = 'theirs';
      return { line, kind: 'marker' as const };
    }
    if (line.startsWith('>>>>>>> ') && side === 'theirs') {
      side = 'plain';
      return { line, kind: 'marker' as const };
    }
    return { line, kind: side };
  });
}

function Pane({ title, text, merged }: { title: string; text?: string; merged?: boolean }) {
  return (
    <figure className="update-pane">
      <figcaption>{title}</figcaption>
      {text === undefined ? (
        <p className="muted">none</p>
      ) : (
        <pre>
          {merged
            ? markConflicts(text).map((l, i) => (
                <span key={i} className={`merge-${l.kind}`}>
                  {l.line}
                  {'\n'}
                </span>
              ))
            : text}
        </pre>
      )}
    </figure>
  );
}

/**
 * Where the project's template updates went: each push's state (queued,
 * pushed, pull request open, failed with why), and once an update is
 * applied, "Open pull request" (offered first) or "Push branch" through
 * the outbox.
 */
function UpdatePushes({ dir, branch }: { dir: string; branch?: string }) {
  const client = useClient();
  const [pushes, setPushes] = useState<TemplateUpdatePush[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    let current = true;
    const load = () =>
      client.templateUpdatePushes(dir).then(
        (p) => current && setPushes(p),
        () => undefined,
      );
    void load();
    const off = client.subscribe(Events.OutboxChanged, () => void load());
    return () => {
      current = false;
      off();
    };
  }, [client, dir]);

  const push = async (pullRequest: boolean) => {
    setBusy(true);
    setError('');
    try {
      const got = await client.pushTemplateUpdate({ dir, branch, pullRequest });
      setPushes((ps) => [...ps.filter((p) => p.id !== got.id), got]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (!branch && pushes.length === 0) return null;
  return (
    <section className="update-pushes" aria-label="Pushes of this project's updates">
      {branch && (
        <div className="update-push-actions">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => push(true)}>
            <GitPullRequest size={14} aria-hidden="true" /> Open pull request
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => push(false)}>
            <CloudUpload size={14} aria-hidden="true" /> Push branch
          </button>
          {busy && <Loader2 size={14} className="spin" aria-label="Pushing" />}
        </div>
      )}
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {pushes.map((p) => (
        <UpdatePushStatus key={p.id} push={p} />
      ))}
    </section>
  );
}

function FileView({ file }: { file: TemplateUpdateFile }) {
  if (file.cut) return <p className="muted">Too large to show here; the update still applies to it.</p>;
  return (
    <div className="update-panes" data-testid="update-panes">
      <Pane title="Template as it was" text={file.old} />
      <Pane title="Template now" text={file.new} />
      <Pane title="Project now" text={file.current} />
      <Pane title="After the update" text={file.merged} merged />
    </div>
  );
}

/** Preview of a project's template update, three sides and the merge per file, and Apply. */
export function TemplateUpdatePage() {
  const [params] = useSearchParams();
  const dir = params.get('dir') ?? '';
  const client = useClient();
  const [preview, setPreview] = useState<TemplateUpdatePreview>();
  const [error, setError] = useState<Error>();
  const [selected, setSelected] = useState('');
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [applying, setApplying] = useState(false);
  const [applied, setApplied] = useState<TemplateUpdateApplied>();
  const [applyError, setApplyError] = useState('');

  useEffect(() => {
    let current = true;
    setPreview(undefined);
    setError(undefined);
    if (!dir) return;
    client.previewTemplateUpdate({ dir }).then(
      (p) => {
        if (!current) return;
        setPreview(p);
        setSelected(p.files.find((f) => f.action === 'conflict')?.path ?? p.files[0]?.path ?? '');
      },
      (e: unknown) => current && setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      current = false;
    };
  }, [client, dir]);

  const apply = async () => {
    setApplying(true);
    setApplyError('');
    try {
      setApplied(await client.applyTemplateUpdate({ dir, ...(Object.keys(secrets).length ? { secrets } : {}) }));
    } catch (e) {
      setApplyError(e instanceof Error ? e.message : String(e));
    } finally {
      setApplying(false);
    }
  };

  if (!dir) return <EmptyState icon={GitMerge} title="No project named">Open a project's template update from its entity page or the Create page.</EmptyState>;
  if (error) return <ErrorState title="The update could not be worked out" error={error} />;
  if (!preview) return <Loading label="Rendering the template at both commits…" />;
  const file = preview.files.find((f) => f.path === selected);
  return (
    <div className="template-update" data-testid="template-update-page">
      <PageHeader
        title={`Update from ${preview.title || preview.template}`}
        subtitle={
          <>
            <code>{preview.dir}</code>: <code>{shortCommit(preview.from)}</code> → <code>{shortCommit(preview.to)}</code>
            {preview.entityRef && (
              <>
                {' '}
                · <Link to={`/catalog/${preview.entityRef.replace(':', '/')}`}>{preview.entityRef}</Link>
              </>
            )}
          </>
        }
        actions={
          applied ? null : (
            <button type="button" className="button button-primary" onClick={apply} disabled={applying || preview.files.length === 0}>
              {applying ? <Loader2 size={14} className="spin" aria-hidden="true" /> : <GitBranch size={14} aria-hidden="true" />}{' '}
              {applying ? 'Applying…' : `Apply on branch ${preview.branch}`}
            </button>
          )
        }
      />
      {applied && (
        <p className="banner banner-ok" role="status" data-testid="update-applied">
          Committed <code>{shortCommit(applied.commit)}</code> on branch <code>{applied.branch}</code>
          {applied.conflicts > 0 ? ` with ${applied.conflicts} conflicts marked: resolve them on the branch, or open the pull request and resolve them there.` : ': open a pull request from it, or push it.'}
        </p>
      )}
      <UpdatePushes dir={dir} branch={applied?.branch} />
      {preview.fromBackstage && (
        <p className="banner banner-warn" role="note">
          Backstage made this project, so it has no record of its answers: those below come from its catalog entry. Check them once; the update records them.
        </p>
      )}
      {applyError && (
        <p className="banner banner-error" role="alert">
          {applyError}
        </p>
      )}
      {preview.commits.length > 0 && (
        <section className="update-commits">
          <h2>The template's changes</h2>
          <ul>
            {preview.commits.map((c) => (
              <li key={c.hash}>
                <code>{shortCommit(c.hash)}</code> {c.subject} <span className="muted">— {c.author}, {c.date.slice(0, 10)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {(preview.asked.length > 0 || preview.dropped.length > 0) && (
        <section className="update-questions">
          {preview.asked.map((q) => (
            <p key={q.name}>
              New question <strong>{q.title || q.name}</strong>: {q.value !== undefined ? <code>{JSON.stringify(q.value)}</code> : <em>no answer</em>}
            </p>
          ))}
          {preview.dropped.map((d) => (
            <p key={d} className="muted">
              The template no longer asks <code>{d}</code>.
            </p>
          ))}
        </section>
      )}
      {preview.askAgain.length > 0 && !applied && (
        <section className="update-secrets">
          {preview.askAgain.map((name) => (
            <label key={name}>
              {name} (a secret: never recorded, asked again)
              <input type="password" value={secrets[name] ?? ''} onChange={(e) => setSecrets({ ...secrets, [name]: e.target.value })} />
            </label>
          ))}
        </section>
      )}
      {preview.files.length === 0 ? (
        <EmptyState icon={GitMerge} title="Nothing to change">
          The template's files render as they did for this project.
        </EmptyState>
      ) : (
        <div className="update-body">
          <ul className="update-files" role="listbox" aria-label="Files the template changed">
            {preview.files.map((f) => (
              <li key={f.path} role="option" aria-selected={f.path === selected} className={f.path === selected ? 'selected' : undefined} onClick={() => setSelected(f.path)}>
                <span className={`badge update-action-${f.action}`}>{actionLabel[f.action] ?? f.action}</span> {f.from ? `${f.from} → ${f.path}` : f.path}
                {f.why && <span className="muted"> — {f.why}</span>}
              </li>
            ))}
          </ul>
          {file && <FileView file={file} />}
        </div>
      )}
      <p className="muted update-summary">
        {preview.files.length} files · {preview.conflicts} conflicts
      </p>
    </div>
  );
}
