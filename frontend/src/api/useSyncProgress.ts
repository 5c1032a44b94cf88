import { useEffect, useState } from 'react';
import { useClient } from './context';
import { formatNumber } from '../locale';
import { Events, type SyncProgressData } from './types.gen';

/**
 * The progress of every location syncing now, by location id, from the
 * sync:progress events; a location leaves the map when its sync ends.
 */
export function useSyncProgress(): Record<string, SyncProgressData> {
  const client = useClient();
  const [progress, setProgress] = useState<Record<string, SyncProgressData>>({});
  useEffect(() => {
    const end = ({ locationId: id }: { locationId: string }) => {
      if (!id) return;
      setProgress((p) => {
        const { [id]: _gone, ...rest } = p;
        return rest;
      });
    };
    const offs = [
      client.subscribe(Events.SyncProgress, (p) => {
        if (!p.locationId) return;
        if (p.phase === 'done') end(p);
        else setProgress((all) => ({ ...all, [p.locationId]: p }));
      }),
      client.subscribe(Events.SyncDone, end),
      client.subscribe(Events.SyncError, end),
    ];
    return () => offs.forEach((off) => off());
  }, [client]);
  return progress;
}

const phaseLabel: Record<string, string> = {
  fetch: 'Fetching',
  process: 'Reading catalog files',
  store: 'Storing',
};

/** A label for a progress event, e.g. "Reading catalog files 120 / 800". */
export function describeProgress(p: SyncProgressData): string {
  const label = phaseLabel[p.phase] ?? p.phase;
  return p.total > 0 ? `${label} ${formatNumber(p.done)} / ${formatNumber(p.total)}` : `${label}…`;
}
