import type { ReactNode } from 'react';
import { Clock, GitBranch, GitCommitHorizontal, TriangleExclamationPoint } from 'lucide-react';
import type { Location, SyncProgressData } from '../api/types.gen';
import { describeProgress } from '../api/useSyncProgress';
import { plural, shortCommit } from '../format';
import { relativeTime } from '../locale';
import { SyncStatus } from './Chips';

/** Registered locations with their sync state and, while one syncs, its progress; action renders per-location controls. */
export function LocationList({
  locations,
  action,
  progress = {},
}: {
  locations: Location[];
  action?: (l: Location) => ReactNode;
  progress?: Record<string, SyncProgressData>;
}) {
  return (
    <ul className="locations">
      {locations.map((l) => {
        const syncing = progress[l.id];
        return (
          <li key={l.id} className="location">
            <div className="location-main">
              <div className="location-title">
                <SyncStatus status={l.status} />
                <span className="location-id">{l.id}</span>
                <span className="location-url" title={`${l.url} ${l.path}`}>
                  {l.url}
                  {l.path && <span className="muted"> · {l.path}</span>}
                </span>
              </div>
              <div className="location-meta">
                {l.branch && (
                  <span>
                    <GitBranch size={13} aria-hidden="true" /> {l.branch}
                  </span>
                )}
                <span title="Head commit">
                  <GitCommitHorizontal size={13} aria-hidden="true" /> <code>{shortCommit(l.headCommit)}</code>
                </span>
                <span title={l.lastSyncAt ?? 'Never synced'}>
                  <Clock size={13} aria-hidden="true" /> synced {relativeTime(l.lastSyncAt)}
                </span>
                <span>{plural(l.entities, 'entity', 'entities')}</span>
                {(l.unpushed ?? 0) > 0 && <span className="badge badge-warn">{plural(l.unpushed ?? 0, 'commit')} not pushed yet</span>}
                {(l.conflicts ?? 0) > 0 && <span className="badge badge-bad">{plural(l.conflicts ?? 0, 'conflict')}</span>}
                {l.processingErrors > 0 && (
                  <span className="warn-text">
                    <TriangleExclamationPoint size={13} aria-hidden="true" /> {plural(l.processingErrors, 'processing error')}
                  </span>
                )}
              </div>
              {syncing && <SyncProgressBar progress={syncing} />}
              {l.status === 'stale' && (
                <p className="location-stale">
                  Offline since {relativeTime(l.staleSince)}: showing the entities of the last good sync ({relativeTime(l.lastSyncAt)}).
                </p>
              )}
              {l.lastError && <p className="location-error">{l.lastError}</p>}
            </div>
            {action && <div className="location-action">{action(l)}</div>}
          </li>
        );
      })}
    </ul>
  );
}

function SyncProgressBar({ progress }: { progress: SyncProgressData }) {
  const label = describeProgress(progress);
  const known = progress.total > 0;
  return (
    <div
      className="sync-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? progress.total : undefined}
      aria-valuenow={known ? progress.done : undefined}
    >
      <div className="sync-progress-track">
        <div
          className={`sync-progress-fill${known ? '' : ' indeterminate'}`}
          style={known ? { width: `${Math.min(100, (100 * progress.done) / progress.total)}%` } : undefined}
        />
      </div>
      <span className="sync-progress-label">{label}</span>
    </div>
  );
}
