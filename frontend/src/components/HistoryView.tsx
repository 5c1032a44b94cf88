import { GitCommitHorizontal } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import type { FieldChange } from '../api/types.gen';
import { shortCommit } from '../format';
import { relativeTime } from '../locale';
import { EmptyState, ErrorState, Loading } from './States';

/**
 * The entity's changes over time, read offline from the local clone: who,
 * when, the commit message, and each field the commit changed.
 */
export function HistoryView({ entityRef }: { entityRef: string }) {
  const { data, error, reload } = useLoad(`history\0${entityRef}`, (c) => c.history(entityRef, 50));
  if (!data && error) return <ErrorState title="Could not read the history" error={error} onRetry={reload} />;
  if (!data) return <Loading label="Reading the history from the local clone…" />;
  if (data.length === 0) return <EmptyState title="No history">The local clone has no commit touching this entity's file.</EmptyState>;
  return (
    <ol className="history" data-testid="entity-history">
      {data.map((v) => (
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
          {v.removed ? (
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
