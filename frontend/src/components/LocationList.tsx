import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Clock, CornerDownRight, GitBranch, GitCommitHorizontal, TriangleExclamationPoint } from 'lucide-react';
import type { Location, SyncProgressData } from '../api/types.gen';
import { SyncProgressBar } from './SyncProgressBar';
import { plural, shortCommit } from '../format';
import { relativeTime } from '../locale';
import { DEMO_LOCATION_ID, DemoBadge, SyncStatus } from './Chips';

/**
 * Locations in tree order: each followed by the locations its catalog lists
 * (under the first listing location shown) and, for a Backstage, the source
 * clones made for its entities' edits, with how deep it is.
 */
export function locationTree(locations: Location[]): { location: Location; depth: number }[] {
  const ids = new Set(locations.map((l) => l.id));
  const children = new Map<string, Location[]>();
  const top: Location[] = [];
  for (const l of locations) {
    const parent = l.listedBy?.find((p) => p !== l.id && ids.has(p)) ?? (l.sourceOf && ids.has(l.sourceOf) ? l.sourceOf : undefined);
    if (parent === undefined) top.push(l);
    else children.set(parent, [...(children.get(parent) ?? []), l]);
  }
  const out: { location: Location; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (l: Location, depth: number) => {
    if (seen.has(l.id)) return;
    seen.add(l.id);
    out.push({ location: l, depth });
    for (const c of children.get(l.id) ?? []) walk(c, depth + 1);
  };
  for (const l of top) walk(l, 0);
  // The server refuses loops; should one slip through, its locations still show.
  for (const l of locations) walk(l, 0);
  return out;
}

/** Registered locations with their sync state and, while one syncs, its progress; action renders per-location controls. */
export function LocationList({
  locations,
  action,
  details,
  progress = {},
}: {
  locations: Location[];
  action?: (l: Location) => ReactNode;
  /** details renders more under a location: an organisation's repositories. */
  details?: (l: Location) => ReactNode;
  progress?: Record<string, SyncProgressData>;
}) {
  return (
    <ul className="locations">
      {locationTree(locations).map(({ location: l, depth }) => {
        const syncing = progress[l.id];
        const files = l.roots?.join(', ') ?? l.path;
        return (
          <li key={l.id} className={depth > 0 ? 'location location-listed' : 'location'} style={depth > 0 ? { paddingLeft: depth * 22 } : undefined}>
            <div className="location-main">
              <div className="location-title">
                {depth > 0 && <CornerDownRight size={13} aria-hidden="true" className="muted" />}
                <SyncStatus status={l.status} />
                <span className="location-id">{l.id}</span>
                {l.id === DEMO_LOCATION_ID && <DemoBadge />}
                {l.sourceOf && (
                  <span className="badge badge-neutral" title={`Cloned for edits, history and docs of ${l.sourceOf}'s entities; its entities come from that Backstage`}>
                    source clone
                  </span>
                )}
                <span className="location-url" title={`${l.url} ${files}`}>
                  {l.url}
                  {files && <span className="muted"> · {files}</span>}
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
                {(l.inReview ?? 0) > 0 && <span className="badge badge-info">{plural(l.inReview ?? 0, 'change')} in review</span>}
                {l.processingErrors > 0 && (
                  <Link to={`/problems?location=${encodeURIComponent(l.id)}`} className="warn-text" title="See them on the Problems page">
                    <TriangleExclamationPoint size={13} aria-hidden="true" /> {plural(l.processingErrors, 'processing error')}
                  </Link>
                )}
                {(l.listedBy?.length ?? 0) > 0 && <span>listed by {l.listedBy?.join(', ')}</span>}
              </div>
              {l.refused?.map((e) => (
                <p key={`${e.file}:${e.line}:${e.field ?? ''}`} className="location-error">
                  Not followed: {e.file}:{e.line}: {e.message}
                </p>
              ))}
              {syncing && <SyncProgressBar progress={syncing} />}
              {l.status === 'stale' && (
                <p className="location-stale">
                  Offline since {relativeTime(l.staleSince)}: showing the entities of the last good sync ({relativeTime(l.lastSyncAt)}).
                </p>
              )}
              {l.lastError && <p className="location-error">{l.lastError}</p>}
              {details?.(l)}
            </div>
            {action && <div className="location-action">{action(l)}</div>}
          </li>
        );
      })}
    </ul>
  );
}
