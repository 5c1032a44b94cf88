import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from '../api/context';
import { Events, type EntityList, type EntityQuery, type EntitySummary } from '../api/types.gen';

/** Rows are fetched in blocks of this many, as the table scrolls to them. */
export const BLOCK = 100;

export interface Rows {
  /** The first block's answer: total and facet counts. */
  first: EntityList | undefined;
  error: Error | undefined;
  /** Rows are on their way: fetched again, or for a new query. */
  loading: boolean;
  /** The row at index, or undefined while its block loads. */
  row: (index: number) => EntitySummary | undefined;
  /** Asks for the blocks holding rows [from, to]. */
  want: (from: number, to: number) => void;
  reload: () => void;
}

/**
 * The catalog's rows for query, fetched a block at a time so a table of
 * 100,000 entities only ever asks for what is on screen. Everything is
 * fetched again when the query changes or the catalog does.
 */
export function useRows(query: EntityQuery): Rows {
  const client = useClient();
  const key = JSON.stringify(query);
  const [version, setVersion] = useState(0);
  const [first, setFirst] = useState<EntityList>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  // The query the rows shown answer: until the new query's answer comes,
  // they are the last one's, and the rows are loading from the first
  // render on, not from the effect's.
  const [answered, setAnswered] = useState<string>();
  const [, setBlocksChanged] = useState(0);
  const blocks = useRef(new Map<number, EntitySummary[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);

  useEffect(() => {
    const reload = () => setVersion((v) => v + 1);
    const offs = [client.subscribe(Events.CatalogChanged, reload), client.subscribe(Events.OutboxChanged, reload)];
    return () => offs.forEach((off) => off());
  }, [client]);

  useEffect(() => {
    const gen = ++generation.current;
    setLoading(true);
    client.listEntities({ ...JSON.parse(key), offset: 0, limit: BLOCK } as EntityQuery).then(
      (list) => {
        if (gen !== generation.current) return;
        blocks.current = new Map([[0, list.items]]);
        pending.current = new Set();
        setFirst(list);
        setAnswered(key);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setAnswered(key);
        setLoading(false);
      },
    );
  }, [client, key, version]);

  const want = useCallback(
    (from: number, to: number) => {
      const gen = generation.current;
      for (let b = Math.floor(from / BLOCK); b <= Math.floor(to / BLOCK); b++) {
        if (blocks.current.has(b) || pending.current.has(b)) continue;
        pending.current.add(b);
        client.listEntities({ ...JSON.parse(key), offset: b * BLOCK, limit: BLOCK } as EntityQuery).then(
          (list) => {
            if (gen !== generation.current) return;
            blocks.current.set(b, list.items);
            pending.current.delete(b);
            setBlocksChanged((n) => n + 1);
          },
          () => pending.current.delete(b),
        );
      }
    },
    [client, key],
  );

  const row = useCallback((index: number) => blocks.current.get(Math.floor(index / BLOCK))?.[index % BLOCK], []);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { first, error, loading: loading || answered !== key, row, want, reload };
}
