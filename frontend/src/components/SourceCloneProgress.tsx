import { useLayoutEffect, useState } from 'react';
import { GitBranch } from 'lucide-react';
import { useClient } from '../api/context';
import { Events, type SyncProgressData } from '../api/types.gen';
import { describeProgress } from '../api/useSyncProgress';
import { SyncProgressBar } from './SyncProgressBar';

/** How many lines a clone's log keeps. */
const LOG_LINES = 50;

/** A source clone under way: its latest progress and a line per phase so far. */
export interface CloneProgress {
  progress: SyncProgressData;
  log: string[];
}

/**
 * The source clones made now for entities of Backstage location
 * backstage (an edit, history or docs waiting on its repository), by
 * clone location id, from the sync:progress events naming it; a clone
 * leaves when its sync ends.
 */
export function useSourceCloneProgress(backstage: string | undefined): Record<string, CloneProgress> {
  const client = useClient();
  const [clones, setClones] = useState<Record<string, CloneProgress>>({});
  // Subscribed as the page commits, not after it paints: an event sent
  // in between (a clone starting as the page opens) is not missed.
  useLayoutEffect(() => {
    if (!backstage) return;
    const end = ({ locationId: id }: { locationId: string }) =>
      setClones((all) => {
        if (!(id in all)) return all;
        const { [id]: _gone, ...rest } = all;
        return rest;
      });
    const offs = [
      client.subscribe(Events.SyncProgress, (p) => {
        if (p.sourceOf !== backstage || !p.locationId) return;
        if (p.phase === 'done') {
          end(p);
          return;
        }
        setClones((all) => {
          const was = all[p.locationId];
          const line = describeProgress(p);
          // A phase's line is updated in place; a new phase adds one.
          const log = was && was.progress.phase === p.phase ? [...was.log.slice(0, -1), line] : [...(was?.log ?? []), line].slice(-LOG_LINES);
          return { ...all, [p.locationId]: { progress: p, log } };
        });
      }),
      client.subscribe(Events.SyncDone, end),
      client.subscribe(Events.SyncError, end),
    ];
    return () => offs.forEach((off) => off());
  }, [client, backstage]);
  return clones;
}

/** The bar and log of each source repository being cloned for an entity of a Backstage; nothing when none is. */
export function SourceCloneProgress({ backstage }: { backstage: string | undefined }) {
  const clones = Object.entries(useSourceCloneProgress(backstage));
  if (clones.length === 0) return null;
  return (
    <section className="banner source-clone" role="status" data-testid="source-clone-progress">
      {clones.map(([id, c]) => (
        <div key={id} className="source-clone-item">
          <p className="source-clone-title">
            <GitBranch size={14} aria-hidden="true" /> Cloning the entity&apos;s source repository (<code>{id}</code>)
          </p>
          <SyncProgressBar progress={c.progress} />
          <ol className="source-clone-log" aria-label={`Log of the clone ${id}`}>
            {c.log.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
