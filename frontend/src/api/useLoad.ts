import { useCallback, useEffect, useState } from 'react';
import type { PortalClient } from './client';
import { useClient } from './context';
import { Events, type EventName } from './types.gen';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  /** True while a load runs; data then still holds the previous result. */
  loading: boolean;
  /** True when data was loaded for an earlier key. */
  stale: boolean;
  reload: () => void;
}

const REFRESH_ON: EventName[] = [Events.CatalogChanged, Events.SyncDone];

/**
 * Loads data with the client whenever key changes, and again after each of
 * the refreshOn events. load must depend on nothing but key.
 */
export function useLoad<T>(key: string, load: (client: PortalClient) => Promise<T>, refreshOn = REFRESH_ON): Loaded<T> {
  const client = useClient();
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ data?: T; dataKey?: string; error?: Error; errorKey?: string; loading: boolean }>({ loading: true });
  const events = refreshOn.join(' ');

  // Declared before the load effect, so it subscribes before the first load
  // starts and an event during that load is not missed.
  useEffect(() => {
    const offs = (events ? events.split(' ') : []).map((e) => client.subscribe(e as EventName, () => setVersion((v) => v + 1)));
    return () => offs.forEach((off) => off());
  }, [client, events]);

  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load(client).then(
      (data) => current && setState({ data, dataKey: key, loading: false }),
      (e: unknown) =>
        current && setState((s) => ({ ...s, error: e instanceof Error ? e : new Error(String(e)), errorKey: key, loading: false })),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load is keyed by key (see the doc comment)
  }, [client, key, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  // An error belongs to the key it happened for; a newer key starts clean.
  const error = state.errorKey === key ? state.error : undefined;
  return { data: state.data, error, loading: state.loading, stale: state.dataKey !== key, reload };
}
