import { useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useVirtualizer } from '@tanstack/react-virtual';
import { CircleCheck, ExternalLink as OpenIcon, Pencil, Search, SearchX } from 'lucide-react';
import { useClient } from '../api/context';
import { entityPath } from '../api/refs';
import type { Problem, ProblemQuery } from '../api/types.gen';
import { useLoad } from '../api/useLoad';
import { EntityLink } from '../components/EntityLink';
import { FileEditor } from '../components/FileEditor';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { plural, shortCommit } from '../format';
import { relativeTime } from '../locale';
import { useUrlText } from '../useUrlText';
import '../styles/problems.css';

/** The problem kinds, as the portal names them, with how the page says them. */
export const PROBLEM_KINDS: [string, string][] = [
  ['sync-failed', 'Sync failed'],
  ['file-refused', 'File refused'],
  ['entity-refused', 'Entity refused'],
  ['entity-kept', 'Kept at last good version'],
  ['target-refused', 'Target refused'],
  ['push-failed', 'Push failed'],
  ['push-conflict', 'Push conflict'],
];
const KIND_LABEL = new Map(PROBLEM_KINDS);

/** At most this many problems are listed; the count says when there are more. */
const LIMIT = 1000;
const ROW_HEIGHT = 41;

/** A file read by URL is in no repository: nothing to open or commit to. */
const inRepository = (p: Problem) => !!p.file && !/^https?:\/\//.test(p.file);

export function position(p: Problem): string {
  if (!p.file) return '—';
  return `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}`;
}

function ProblemActions({ problem: p, onEdit, onError }: { problem: Problem; onEdit: (p: Problem) => void; onError: (message: string) => void }) {
  const client = useClient();
  const entity = p.kind === 'entity-kept' && p.entity ? entityPath(p.entity) : null;
  return (
    <span className="problem-actions">
      {p.localFile && (
        <button
          type="button"
          className="button button-small button-quiet"
          title={`Open ${p.localFile}${p.line ? ` at line ${p.line}` : ''}`}
          onClick={() => client.open({ path: p.localFile!, with: 'editor', line: p.line, column: p.column }).catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)))}
        >
          <OpenIcon size={12} aria-hidden="true" /> Open in editor
        </button>
      )}
      {entity ? (
        <Link to={`${entity}?edit=1`} className="button button-small button-quiet" title={`Edit ${p.entity}`}>
          <Pencil size={12} aria-hidden="true" /> Edit
        </Link>
      ) : (
        inRepository(p) &&
        p.kind !== 'sync-failed' && (
          <button type="button" className="button button-small button-quiet" title={`Edit ${p.file}`} onClick={() => onEdit(p)}>
            <Pencil size={12} aria-hidden="true" /> Edit
          </button>
        )
      )}
    </span>
  );
}

function ProblemTable({ items, onEdit, onError }: { items: Problem[]; onEdit: (p: Problem) => void; onError: (message: string) => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1200, height: 800 },
  });
  const rows = virtualizer.getVirtualItems();
  const top = rows[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0);
  const columns = 7;
  return (
    <div className="table-wrap table-scroll problems-scroll" ref={scroller} data-testid="problems-scroller">
      <table className="table problems-table" data-testid="problems-table" aria-rowcount={items.length}>
        <thead>
          <tr>
            <th>Problem</th>
            <th>Location</th>
            <th>File</th>
            <th>Message</th>
            <th>Entity</th>
            <th>Last change</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden="true" style={{ height: top }}>
              <td colSpan={columns} />
            </tr>
          )}
          {rows.map((v) => {
            const p = items[v.index]!;
            return (
              <tr key={`${v.index} ${p.locationId} ${position(p)} ${p.entity ?? ''}`} data-testid="problem-row" aria-rowindex={v.index + 2} style={{ height: ROW_HEIGHT }}>
                <td>
                  <span className={`badge ${p.kind === 'entity-kept' || p.kind === 'push-failed' ? 'badge-warn' : 'badge-bad'}`}>{KIND_LABEL.get(p.kind) ?? p.kind}</span>
                </td>
                <td className="muted">{p.locationId}</td>
                <td>
                  <code className="problem-file" title={position(p)}>
                    {position(p)}
                  </code>
                </td>
                <td>
                  {p.field && <code className="problem-field">{p.field}</code>}{' '}
                  <span className="problem-message" title={p.message}>
                    {p.message}
                  </span>
                </td>
                <td>{p.entity ? p.kind === 'entity-refused' ? <span title={p.entity}>{p.entity}</span> : <EntityLink entityRef={p.entity} /> : null}</td>
                <td className="muted">
                  {p.commit ? (
                    <span title={`${p.commit} by ${p.author ?? ''}, ${p.committedAt ?? ''}`}>
                      <code>{shortCommit(p.commit)}</code> {p.author}
                      {p.since && <span className="problem-since"> · {relativeTime(p.since)}</span>}
                    </span>
                  ) : (
                    p.since && relativeTime(p.since)
                  )}
                </td>
                <td>
                  <ProblemActions problem={p} onEdit={onEdit} onError={onError} />
                </td>
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden="true" style={{ height: bottom }}>
              <td colSpan={columns} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Every refused file and entity, entity kept at its last good version,
 * failed sync and push, filtered by location, owner, kind and text (all in
 * the URL, so a link from Home or Locations lands filtered).
 */
export function ProblemsPage() {
  const [params, setParams] = useSearchParams();
  const location = params.get('location') ?? '';
  const mine = params.get('mine') === '1';
  const kind = params.get('kind') ?? '';
  const [text, typed] = useUrlText(params.get('text') ?? '');
  const set = (key: string, value: string, replace = false) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace },
    );
  const query: ProblemQuery = useMemo(
    () => ({ location, owner: mine ? 'me' : '', kind, text: (params.get('text') ?? '').trim(), limit: LIMIT }),
    [location, mine, kind, params],
  );
  const { data, error, reload } = useLoad(`problems\0${JSON.stringify(query)}`, (c) => Promise.all([c.problems(query), c.listLocations()]));
  const [editing, setEditing] = useState<Problem>();
  const [actionError, setActionError] = useState('');
  const filtered = !!(location || mine || kind || query.text);

  let body;
  if (!data && error) {
    body = <ErrorState title="Could not load the problems" error={error} onRetry={reload} />;
  } else if (!data) {
    body = <Loading label="Looking for problems…" />;
  } else if (data[0].total === 0) {
    body = filtered ? (
      <EmptyState icon={SearchX} title="No problems match">
        <p>Nothing matches these filters.</p>
        <button
          type="button"
          className="button"
          onClick={() => {
            typed('');
            setParams(new URLSearchParams());
          }}
        >
          Clear filters
        </button>
      </EmptyState>
    ) : (
      <EmptyState icon={CircleCheck} title="No problems">
        <p>Every catalog file reads, every location syncs and every change made here is pushed.</p>
      </EmptyState>
    );
  } else {
    body = <ProblemTable items={data[0].items} onEdit={setEditing} onError={setActionError} />;
  }

  const total = data?.[0].total;
  return (
    <div className="page page-wide problems-page">
      <PageHeader
        title="Problems"
        subtitle={
          total === undefined
            ? 'Why an entity is missing or out of date'
            : `${plural(total, 'problem')}${filtered ? ' match' : ''}${total > LIMIT ? `; the first ${LIMIT} are listed` : ''}`
        }
      />
      <div className="toolbar" role="group" aria-label="Filters">
        <label className="search-field">
          <Search size={14} aria-hidden="true" />
          <span className="visually-hidden">Filter by message, file, field or entity</span>
          <input
            type="search"
            value={text}
            placeholder="Filter by message, file, field or entity"
            onChange={(e) => {
              typed(e.target.value, e.target.value.trim());
              set('text', e.target.value, true);
            }}
          />
        </label>
        <select className="select" aria-label="Location" value={location} onChange={(e) => set('location', e.target.value)}>
          <option value="">Every location</option>
          {(data?.[1] ?? []).map((l) => (
            <option key={l.id} value={l.id}>
              {l.id}
            </option>
          ))}
        </select>
        <select className="select" aria-label="Kind of problem" value={kind} onChange={(e) => set('kind', e.target.value)}>
          <option value="">Every kind</option>
          {PROBLEM_KINDS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <label className="facet-value">
          <input type="checkbox" checked={mine} onChange={() => set('mine', mine ? '' : '1')} />
          <span className="facet-label">Owned by me</span>
        </label>
      </div>
      {actionError && (
        <p className="banner banner-error" role="alert">
          {actionError}
        </p>
      )}
      {data && error && (
        <p className="banner banner-error" role="alert">
          Could not refresh: {error.message}
        </p>
      )}
      {body}
      {editing && (
        <FileEditor
          locationId={editing.locationId}
          path={editing.file!}
          message={`Fix ${editing.file}`}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            reload();
          }}
        />
      )}
    </div>
  );
}
