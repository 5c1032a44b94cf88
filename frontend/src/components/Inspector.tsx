import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { X } from 'lucide-react';
import { parse, stringify } from 'yaml';
import { useLoad } from '../api/useLoad';
import type { AncestryStep, EntityInspection, EntitySummary, ProcessingError } from '../api/types.gen';
import { shortCommit } from '../format';
import { lineDiff } from '../linediff';
import { relativeTime } from '../locale';
import { CopyButton } from './CopyButton';
import { EntityLink } from './EntityLink';
import { ExternalLink } from './ExternalLink';
import { Loading, ErrorState } from './States';

const TABS = [
  ['ancestry', 'Ancestry'],
  ['colocated', 'Colocated'],
  ['processed', 'Processed'],
  ['raw', 'Raw YAML'],
  ['diff', 'Diff'],
] as const;
type Tab = (typeof TABS)[number][0];

const STEP_LABEL: Record<AncestryStep['kind'], string> = {
  org: 'Organisation',
  location: 'Location',
  locationEntity: 'Location entity',
  file: 'This entity',
};

/** Where a step's file is: file:line, or the location alone. */
function where(s: AncestryStep): string {
  if (!s.file) return s.locationId;
  return s.line ? `${s.file}:${s.line}` : s.file;
}

export function Ancestry({ steps, onOpen }: { steps: AncestryStep[]; onOpen: (file: string, line?: number) => void }) {
  return (
    <ol className="inspector-ancestry" aria-label="Ancestry">
      {steps.map((s, i) => (
        <li key={i} className={`inspector-step inspector-step-${s.kind}`} data-testid="ancestry-step">
          <span className="badge badge-neutral">{STEP_LABEL[s.kind]}</span>{' '}
          {s.kind === 'location' || s.kind === 'org' ? (
            <>
              <Link to="/locations">{s.locationId}</Link>{' '}
            </>
          ) : s.entityRef ? (
            <>
              <EntityLink entityRef={s.entityRef}>{s.entityRef}</EntityLink>{' '}
            </>
          ) : null}
          {s.file && <code>{where(s)}</code>}
          {s.derived && <span className="muted"> (derived)</span>}
          {s.target && (
            <span className="muted">
              {' '}
              lists <code>{s.target}</code>
            </span>
          )}{' '}
          {s.url && /^https?:\/\//.test(s.url) && <ExternalLink href={s.url}>view</ExternalLink>}
          {s.localFile && (
            <button type="button" className="link-button" onClick={() => onOpen(s.localFile!, s.line)}>
              open in editor
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}

function EntityList({ items, empty }: { items: EntitySummary[]; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="link-list">
      {items.map((e) => (
        <li key={e.ref}>
          <EntityLink entityRef={e.ref}>{e.ref}</EntityLink>
        </li>
      ))}
    </ul>
  );
}

function Errors({ title, errors }: { title: string; errors: ProcessingError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="banner banner-error" role="alert">
      <p>
        <strong>{title}</strong>
      </p>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            <code>
              {e.file}
              {e.line ? `:${e.line}` : ''}
            </code>{' '}
            {e.field && <code>{e.field}</code>} {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Both sides as YAML with keys sorted, so the diff shows what changed, not how it was written. */
function normalised(raw: string, processed: Record<string, unknown>): { raw: string; processed: string } | string {
  let doc: unknown;
  try {
    doc = parse(raw);
  } catch (e) {
    return `The raw document does not parse: ${e instanceof Error ? e.message : String(e)}`;
  }
  const opts = { sortMapEntries: true, lineWidth: 0 };
  return { raw: stringify(doc, opts), processed: stringify(processed, opts) };
}

function Diff({ inspection }: { inspection: EntityInspection }) {
  const sides = useMemo(() => (inspection.raw.yaml ? normalised(inspection.raw.yaml, inspection.processed.entity) : null), [inspection]);
  if (sides === null) return <p className="muted">No raw document to compare: {inspection.raw.missing}</p>;
  if (typeof sides === 'string') return <p className="muted">{sides}</p>;
  const lines = lineDiff(sides.raw, sides.processed);
  if (!lines) return <p className="muted">The documents are too long to compare here.</p>;
  return (
    <>
      <p className="muted">
        Lines only in the raw document are marked −, lines the catalog added or changed +; keys are sorted on both sides.
      </p>
      <pre className="code workbench-diff inspector-diff" aria-label="Diff between raw and processed">
        {lines.map((l, i) => (
          <div key={i} className={l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : undefined}>
            {l.op} {l.text}
          </div>
        ))}
      </pre>
    </>
  );
}

function Body({ inspection: x, tab, onOpen }: { inspection: EntityInspection; tab: Tab; onOpen: (file: string, line?: number) => void }) {
  const json = useMemo(() => JSON.stringify(x.processed.entity, null, 2), [x]);
  switch (tab) {
    case 'ancestry':
      return <Ancestry steps={x.ancestry} onOpen={onOpen} />;
    case 'colocated':
      return (
        <>
          <h3>Same file</h3>
          <EntityList items={x.colocated.file} empty="No other entity is defined in this file." />
          <h3>
            Same location ({x.colocated.locationTotal} other{x.colocated.locationTotal === 1 ? '' : 's'}
            {x.colocated.location.length < x.colocated.locationTotal ? `, the first ${x.colocated.location.length} shown` : ''})
          </h3>
          <EntityList items={x.colocated.location} empty="No other entity comes from this location." />
        </>
      );
    case 'processed':
      return (
        <>
          <p className="muted">
            {x.processed.kept ? 'Last good version, ' : ''}read at <code>{shortCommit(x.processed.commit)}</code>
            {x.processed.syncedAt && <>, location synced {relativeTime(x.processed.syncedAt)}</>}. <CopyButton text={json} label="Copy JSON" />
          </p>
          <Errors title="The newest version was refused" errors={x.processed.errors} />
          <Errors title="Problems of the file" errors={x.processed.fileErrors} />
          {Object.keys(x.processed.annotations).length > 0 && (
            <dl className="fields inspector-annotations">
              {Object.entries(x.processed.annotations).map(([k, v]) => (
                <div className="field" key={k}>
                  <dt>
                    <code>{k}</code>
                  </dt>
                  <dd>
                    <code>{v}</code>
                  </dd>
                </div>
              ))}
            </dl>
          )}
          <pre className="code" aria-label="Processed entity">
            <code>{json}</code>
          </pre>
        </>
      );
    case 'raw':
      return x.raw.yaml ? (
        <>
          <p className="muted">
            <code>
              {x.raw.file}:{x.raw.line}
            </code>{' '}
            at <code>{shortCommit(x.raw.commit)}</code> <CopyButton text={x.raw.yaml} label="Copy YAML" />
          </p>
          <pre className="code" aria-label="Raw document">
            <code>{x.raw.yaml}</code>
          </pre>
        </>
      ) : (
        <p className="muted">{x.raw.missing}</p>
      );
    case 'diff':
      return <Diff inspection={x} />;
  }
}

/**
 * The inspector: how an entity came to be in the catalog (its ancestry of
 * locations and Location files), what else its file and location hold,
 * the entity as processed beside the raw YAML it came from, and a diff.
 */
export function Inspector({ entityRef, onClose, onOpen }: { entityRef: string; onClose: () => void; onOpen: (file: string, line?: number) => void }) {
  const { data, error, reload } = useLoad(`inspect\0${entityRef}`, (c) => c.inspectEntity(entityRef));
  const [tab, setTab] = useState<Tab>('ancestry');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal inspector" role="dialog" aria-modal="true" aria-label={`Inspect ${entityRef}`}>
        <header className="modal-header">
          <h2>
            Inspect <code>{entityRef}</code>
          </h2>
          <button type="button" className="button button-quiet button-small" onClick={onClose} aria-label="Close">
            <X size={14} aria-hidden="true" />
          </button>
        </header>
        <div className="tabs" role="tablist" aria-label="Inspector">
          {TABS.map(([id, label]) => (
            <button key={id} type="button" role="tab" className="tab" aria-selected={tab === id} onClick={() => setTab(id)}>
              {label}
            </button>
          ))}
        </div>
        <div role="tabpanel" className="inspector-body">
          {data ? <Body inspection={data} tab={tab} onOpen={onOpen} /> : error ? <ErrorState title="Could not inspect the entity" error={error} onRetry={reload} /> : <Loading label="Inspecting…" />}
        </div>
      </div>
    </div>
  );
}
