import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown, Star } from 'lucide-react';
import type { EntitySummary } from '../api/types.gen';
import { entityPath } from '../api/refs';
import type { Column } from '../catalog/state';
import { EntityLink } from './EntityLink';
import { KindIcon } from './KindIcon';
import { DEMO_LOCATION_ID, DemoBadge, Lifecycle, Tags } from './Chips';
import { LevelBadge } from '../scorecards/LevelBadge';

const ROW_HEIGHT = 41;

const HEADERS: Record<Column, string> = {
  name: 'Name',
  kind: 'Kind',
  namespace: 'Namespace',
  system: 'System',
  owner: 'Owner',
  type: 'Type',
  lifecycle: 'Lifecycle',
  level: 'Level',
  description: 'Description',
  tags: 'Tags',
};

/** Columns the portal sorts by (tags and descriptions it does not). */
const SORTABLE = new Set<Column>(['name', 'kind', 'namespace', 'system', 'owner', 'type', 'lifecycle']);

function cell(c: Column, e: EntitySummary): ReactNode {
  switch (c) {
    case 'name':
      return (
        <Link to={entityPath(e.ref) ?? '/catalog'} className="entity-name" tabIndex={-1}>
          <KindIcon kind={e.kind} size={14} />
          <span className="entity-name-text">{e.title || e.name}</span>
          {e.starred && <Star size={12} aria-label="starred" className="star-on" />}
          {e.locationId === DEMO_LOCATION_ID && <DemoBadge />}
          {e.pending && (
            <span className="badge badge-warn" title="Changed in Callboard; the next sync that reaches the remote pushes it">
              not pushed
            </span>
          )}
          {e.hasErrors && (
            <span className="badge badge-bad" title="The newest version was refused; this is the last good one">
              errors
            </span>
          )}
        </Link>
      );
    case 'kind':
      return <span className="muted">{e.kind}</span>;
    case 'namespace':
      return <span className="muted">{e.namespace}</span>;
    case 'system':
      return e.system ? <EntityLink entityRef={e.system} /> : null;
    case 'owner':
      return e.owner ? <EntityLink entityRef={e.owner} /> : null;
    case 'type':
      return e.type;
    case 'lifecycle':
      return <Lifecycle value={e.lifecycle ?? ''} />;
    case 'level':
      return (
        <span className="catalog-levels">
          {(e.levels ?? []).map((l) => (
            <span key={l.scorecard} title={l.title}>
              <LevelBadge level={l.level} levels={l.levels} />
            </span>
          ))}
        </span>
      );
    case 'description':
      return (
        <span className="description" title={e.description}>
          {e.description}
        </span>
      );
    case 'tags':
      return <Tags tags={e.tags} />;
  }
}

/**
 * The catalog as a virtualised table: only the rows on screen are in the
 * page, and their blocks are fetched as they scroll into view. Header
 * buttons sort on the portal; ↑/↓ move the selection, Enter opens it.
 * busy: the rows shown are being fetched again, or are still the last
 * query's while the new one's are on their way.
 */
export function CatalogGrid({
  total,
  row,
  want,
  columns,
  sort,
  desc,
  busy,
  onSort,
}: {
  total: number;
  row: (i: number) => EntitySummary | undefined;
  want: (from: number, to: number) => void;
  columns: Column[];
  sort: string;
  desc: boolean;
  busy: boolean;
  onSort: (column: Column) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const [active, setActive] = useState(-1);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the first measurement (and in tests, which lay nothing out).
    initialRect: { width: 1200, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const from = items[0]?.index ?? 0;
  const to = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (total > 0) want(from, to);
  }, [from, to, total, want]);
  useEffect(() => setActive(-1), [total, sort, desc]);

  const move = (to: number) => {
    const next = Math.max(0, Math.min(total - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKey = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => {
        const e = row(active);
        const path = e && entityPath(e.ref);
        if (path) void navigate(path);
      },
    };
    const action = keys[e.key];
    if (action && !(e.key === 'Enter' && active < 0)) {
      e.preventDefault();
      action();
    }
  };

  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div
      className="table-wrap table-scroll"
      ref={scroller}
      tabIndex={0}
      onKeyDown={onKey}
      aria-label="Catalog entities; arrow keys move, Enter opens"
      data-testid="catalog-scroller"
    >
      <table className="table" data-testid="catalog-table" aria-rowcount={total} aria-busy={busy}>
        <thead>
          <tr>
            {columns.map((c) => {
              const sorted = sort === c ? (desc ? 'descending' : 'ascending') : undefined;
              return (
                <th key={c} className={`col-${c}`} aria-sort={sorted}>
                  {SORTABLE.has(c) ? (
                    <button type="button" className="sort-button" onClick={() => onSort(c)}>
                      {HEADERS[c]}
                      {sorted === 'ascending' ? (
                        <ArrowUp size={12} aria-hidden="true" />
                      ) : sorted === 'descending' ? (
                        <ArrowDown size={12} aria-hidden="true" />
                      ) : (
                        <ArrowUpDown size={12} aria-hidden="true" className="sort-idle" />
                      )}
                    </button>
                  ) : (
                    HEADERS[c]
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden="true" style={{ height: top }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.map((v) => {
            const e = row(v.index);
            return (
              // Keyed by entity as well as position: when an answer puts
              // another entity at this position, its row is a new element,
              // so a click aimed at one entity never opens another.
              <tr
                key={e ? `${v.index} ${e.ref}` : v.index}
                data-testid={e ? 'catalog-row' : 'catalog-row-loading'}
                aria-rowindex={v.index + 2}
                className={v.index === active ? 'row-active' : undefined}
                style={{ height: ROW_HEIGHT }}
                onClick={() => setActive(v.index)}
              >
                {columns.map((c) => (
                  <td key={c} className={`col-${c}`}>
                    {e ? cell(c, e) : c === 'name' ? <span className="skeleton" /> : null}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden="true" style={{ height: bottom }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
