import type { ReactNode } from 'react';
import { Clock, GitBranch, GitCommitHorizontal, TriangleExclamationPoint } from 'lucide-react';
import type { Location } from '../api/types';
import { plural, relativeTime, shortCommit } from '../format';
import { SyncStatus } from './Chips';

/** Registered locations with their sync state; action renders per-location controls. */
export function LocationList({ locations, action }: { locations: Location[]; action?: (l: Location) => ReactNode }) {
  return (
    <ul className="locations">
      {locations.map((l) => (
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
              {l.processingErrors > 0 && (
                <span className="warn-text">
                  <TriangleExclamationPoint size={13} aria-hidden="true" /> {plural(l.processingErrors, 'processing error')}
                </span>
              )}
            </div>
            {l.status === 'stale' && (
              <p className="location-stale">
                Offline since {relativeTime(l.staleSince)}: showing the entities of the last good sync ({relativeTime(l.lastSyncAt)}).
              </p>
            )}
            {l.lastError && <p className="location-error">{l.lastError}</p>}
          </div>
          {action && <div className="location-action">{action(l)}</div>}
        </li>
      ))}
    </ul>
  );
}
