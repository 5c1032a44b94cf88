import { useEffect, useState } from 'react';
import { CloudUpload, FilePlus2, GitBranch, GitPullRequest } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import { Events, type ConflictFile, type Location, type OutboxEntry } from '../api/types.gen';
import { relativeTime } from '../locale';
import { Card } from './Card';
import { ExternalLink } from './ExternalLink';
import { reviewStateLabel } from './ReviewBadge';
import { FileEditor } from './FileEditor';
import { ErrorState, Loading } from './States';
import { UpdatePushStatus } from './UpdatePush';

const newComponent = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: my-service
  description: What it does, in one line.
spec:
  type: service
  lifecycle: experimental
  owner: my-team
`;

/**
 * Commits made in the app that the remotes do not have yet: pending ones
 * with why the last push failed, conflicts with both versions and the
 * choice of which to keep. Also where a new component is registered.
 */
export function OutboxCard({ locations, onChanged }: { locations: Location[]; onChanged: () => void }) {
  const client = useClient();
  const { data, error, reload } = useLoad('outbox', (c) => c.outbox());
  const [registering, setRegistering] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => client.subscribe(Events.OutboxChanged, reload), [client, reload]);

  const resolve = async (id: string, keep: 'mine' | 'theirs' | 'discard' | 'reopen') => {
    setBusy(id);
    setActionError(null);
    try {
      await (keep === 'discard' || keep === 'reopen' ? client.settleReview(id, keep) : client.resolveConflict(id, keep));
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
      reload();
      onChanged();
    }
  };

  return (
    <Card
      title="Outbox"
      icon={CloudUpload}
      testId="outbox"
      actions={
        locations.length > 0 && (
          <button type="button" className="button button-small" onClick={() => setRegistering(true)}>
            <FilePlus2 size={13} aria-hidden="true" /> Register component
          </button>
        )
      }
    >
      {actionError && (
        <p className="banner banner-error" role="alert">
          {actionError}
        </p>
      )}
      {error && !data ? (
        <ErrorState title="Could not read the outbox" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading />
      ) : data.length === 0 ? (
        <p className="muted">Everything written in Callboard has been pushed.</p>
      ) : (
        <ul className="outbox">
          {data.map((e) => (
            <Entry key={e.id} entry={e} busy={busy === e.id} onResolve={resolve} />
          ))}
        </ul>
      )}
      {registering && (
        <FileEditor
          locationId={locations[0]?.id ?? ''}
          locations={locations}
          path="components/my-service/catalog-info.yaml"
          message="Register my-service"
          create={newComponent}
          onClose={() => setRegistering(false)}
          onSaved={() => {
            setRegistering(false);
            reload();
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

type Settle = 'mine' | 'theirs' | 'discard' | 'reopen';

function Entry({ entry: e, busy, onResolve }: { entry: OutboxEntry; busy: boolean; onResolve: (id: string, keep: Settle) => void }) {
  const review = e.review;
  if (e.kind === 'branchPush') {
    return (
      <li className="outbox-entry" data-testid="outbox-entry">
        <div className="outbox-entry-head">
          <strong>{e.message}</strong>
          <span className="muted">
            {e.paths.join(', ')} · {relativeTime(e.createdAt)}
          </span>
        </div>
        <UpdatePushStatus push={{ state: e.state, cause: e.cause, lastError: e.lastError, lastTry: e.lastTry, review, remoteBranch: e.branch ?? '' }} />
      </li>
    );
  }
  return (
    <li className="outbox-entry" data-testid="outbox-entry">
      <div className="outbox-entry-head">
        {review ? (
          <span className={`badge ${reviewStateLabel(review.number ? review.state : 'open').tone}`}>
            <GitPullRequest size={12} aria-hidden="true" /> {review.number ? reviewStateLabel(review.state).label : 'pull request to open'}
          </span>
        ) : e.state === 'conflict' ? (
          <span className="badge badge-bad">conflict</span>
        ) : e.state === 'writing' ? (
          <span className="badge">being written</span>
        ) : (
          <span className="badge badge-warn">not pushed yet</span>
        )}
        <strong>{e.message.split('\n')[0]}</strong>
        <span className="muted">
          {e.locationId && `${e.locationId} · `}
          {e.paths.join(', ')} · {relativeTime(e.createdAt)}
        </span>
      </div>
      {review && (
        <p className="muted">
          <GitBranch size={12} aria-hidden="true" /> On branch <code>{review.branch}</code>
          {review.url && (
            <>
              {' · '}
              <ExternalLink href={review.url}>pull request #{review.number}</ExternalLink>
            </>
          )}
        </p>
      )}
      {review && e.state === 'closed' && (
        <div className="conflict-actions">
          <button type="button" className="button button-small" disabled={busy} onClick={() => onResolve(e.id, 'discard')}>
            Discard my change
          </button>
          <button type="button" className="button button-small" disabled={busy} onClick={() => onResolve(e.id, 'reopen')}>
            Reopen
          </button>
        </div>
      )}
      {e.state === 'pending' && e.lastError && (
        <p className="muted">
          Last push {relativeTime(e.lastTry)} failed: {e.lastError}
        </p>
      )}
      {e.branch && (
        <p className="muted">
          <GitBranch size={12} aria-hidden="true" /> Kept on branch <code>{e.branch}</code> in the local clone.
        </p>
      )}
      {e.conflict?.map((f) => <ConflictView key={f.path} file={f} />)}
      {e.conflict && (
        <div className="conflict-actions">
          <button type="button" className="button button-small button-primary" disabled={busy} onClick={() => onResolve(e.id, 'mine')}>
            Keep mine
          </button>
          <button type="button" className="button button-small" disabled={busy} onClick={() => onResolve(e.id, 'theirs')}>
            Keep theirs
          </button>
        </div>
      )}
    </li>
  );
}

function ConflictView({ file }: { file: ConflictFile }) {
  return (
    <div className="conflict-file">
      <p>
        <code>{file.path}</code> was changed here and on the remote:
      </p>
      <div className="conflict-sides">
        <div>
          <h4>Mine</h4>
          <pre className="code" aria-label={`My version of ${file.path}`}>
            {file.mine ?? '(deleted)'}
          </pre>
        </div>
        <div>
          <h4>Theirs (the remote)</h4>
          <pre className="code" aria-label={`The remote's version of ${file.path}`}>
            {file.theirs ?? '(deleted)'}
          </pre>
        </div>
      </div>
    </div>
  );
}
