import { useState } from 'react';
import { GitCommitHorizontal, History } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import type { EntityVersion, FieldChange } from '../api/types.gen';
import { errorMessage } from '../errors';
import { shortCommit } from '../format';
import { relativeTime } from '../locale';
import { EmptyState, ErrorState, Loading } from './States';

/**
 * The entity's changes over time, read offline from the local clone: who,
 * when, the commit message, and each field the commit changed. A clone
 * holding only the latest commit (a repository an organisation listed)
 * says so and offers the rest.
 */
export function HistoryView({ entityRef }: { entityRef: string }) {
  const { data, error, reload } = useLoad(`history\0${entityRef}`, (c) => c.history(entityRef, 50));
  if (!data && error) return <ErrorState title="Could not read the history" error={error} onRetry={reload} />;
  if (!data) return <Loading label="Reading the history from the local clone…" />;
  const deepen = data.shallow && <DeepenBanner locationId={data.locationId} onDone={reload} />;
  if (data.versions.length === 0)
    return (
      <>
        {deepen}
        <EmptyState title="No history">The local clone has no commit touching this entity's file.</EmptyState>
      </>
    );
  return (
    <>
      {deepen}
      <Versions versions={data.versions} />
    </>
  );
}

/** Says the clone holds only the latest commit, and fetches the rest on request. */
function DeepenBanner({ locationId, onDone }: { locationId: string; onDone: () => void }) {
  const client = useClient();
  const [state, setState] = useState<{ running: boolean; error?: string }>({ running: false });
  const fetchAll = () => {
    setState({ running: true });
    client.deepenHistory(locationId).then(
      () => {
        setState({ running: false });
        onDone();
      },
      (e: unknown) => setState({ running: false, error: errorMessage(e) }),
    );
  };
  return (
    <>
      <div className="banner banner-info history-shallow" role="group" aria-label="Shallow history">
        <History size={13} aria-hidden="true" /> Only the latest commit is on this laptop —{' '}
        <button type="button" className="link-button" onClick={fetchAll} disabled={state.running}>
          {state.running ? 'Fetching the full history…' : 'Fetch full history'}
        </button>
      </div>
      {state.error && (
        <p className="banner banner-error history-shallow" role="alert">
          Could not fetch the full history: {state.error}
        </p>
      )}
    </>
  );
}

function Versions({ versions }: { versions: EntityVersion[] }) {
  return (
    <ol className="history" data-testid="entity-history">
      {versions.map((v) => (
        <li key={v.commit} className="history-item">
          <div className="history-head">
            <GitCommitHorizontal size={14} aria-hidden="true" />
            <code>{shortCommit(v.commit)}</code>
            <strong>{v.message.split('\n')[0]}</strong>
            <span className="muted" title={v.when}>
              {v.author}
              {v.email ? ` <${v.email}>` : ''} · {relativeTime(v.when)}
            </span>
          </div>
          {v.boundary ? (
            <details>
              <summary className="muted">Older commits are not on this laptop; {v.changes.length} fields at this commit</summary>
              <Changes changes={v.changes} />
            </details>
          ) : v.removed ? (
            <p className="muted">The entity was removed from its file.</p>
          ) : v.changes.length === 0 ? (
            <p className="muted">Other entities of the file changed; this one did not.</p>
          ) : v.changes.every((c) => c.old === undefined) ? (
            <details>
              <summary className="muted">Added with {v.changes.length} fields</summary>
              <Changes changes={v.changes} />
            </details>
          ) : (
            <Changes changes={v.changes} />
          )}
        </li>
      ))}
    </ol>
  );
}

function Changes({ changes }: { changes: FieldChange[] }) {
  return (
    <table className="history-changes">
      <tbody>
        {changes.map((c) => (
          <tr key={c.path}>
            <td>
              <code>{c.path}</code>
            </td>
            <td className="diff-old">{c.old ?? ''}</td>
            <td className="diff-new">{c.new ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
