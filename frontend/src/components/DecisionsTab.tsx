import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { AlertTriangle, Scale } from 'lucide-react';
import type { DecisionSummary } from '../api/types.gen';
import { useLoad } from '../api/useLoad';
import { plural } from '../format';
import { EmptyState, ErrorState, Loading } from './States';
import '../styles/decisions.css';

const BADGES: Record<string, string> = {
  accepted: 'badge-good',
  proposed: 'badge-info',
  rejected: 'badge-bad',
  deprecated: 'badge-warn',
  superseded: 'badge-neutral',
};

/** A decision record's status as a badge; the text written is its tooltip. */
export function DecisionStatus({ status, text }: { status: string; text?: string }) {
  return (
    <span className={`badge ${BADGES[status] ?? 'badge-neutral'}`} title={text || undefined} data-testid="decision-status">
      {status}
    </span>
  );
}

/** ADR-0005, as decision records name each other. */
export function decisionNumber(d: Pick<DecisionSummary, 'number'>): string {
  return `ADR-${String(d.number).padStart(4, '0')}`;
}

/**
 * The Decisions tab: the entity's architecture decision records
 * (backstage.io/adr-location) by number, the one in ?record= rendered
 * beside them. Arrow keys move through the list.
 */
export function DecisionsTab({ entityRef }: { entityRef: string }) {
  const [params, setParams] = useSearchParams();
  const list = useLoad(`decisions\0${entityRef}`, (c) => c.entityDecisions(entityRef));
  const items = list.data?.items ?? [];
  const asked = params.get('record') ?? '';
  const current = items.find((d) => d.file === asked) ?? items[0];
  const listRef = useRef<HTMLUListElement>(null);

  const select = (file: string, focus = false) => {
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('record', file);
        return next;
      },
      { replace: true },
    );
    if (focus) [...(listRef.current?.querySelectorAll<HTMLElement>('[role="option"]') ?? [])].find((el) => el.dataset.file === file)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (!current) return;
    const i = items.indexOf(current);
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = items[Math.max(0, Math.min(items.length - 1, to))];
    if (next) select(next.file, true);
  };

  if (list.error && !list.data) return <ErrorState title="Could not read the decision records" error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading label="Reading the decision records…" />;
  const problems = list.data.problems;
  return (
    <div className="decisions" data-testid="decisions">
      {problems.length > 0 && (
        <div className="banner banner-warn decisions-problems" role="status" data-testid="decision-problems">
          <AlertTriangle size={15} aria-hidden="true" />
          <div>
            <strong>{plural(problems.length, 'file')} not read</strong>
            <ul>
              {problems.map((p) => (
                <li key={`${p.file}:${p.line ?? 0}:${p.message}`}>
                  {p.file && (
                    <code>
                      {p.file}
                      {p.line ? `:${p.line}` : ''}
                    </code>
                  )}{' '}
                  {p.field ? `${p.field}: ` : ''}
                  {p.message}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {items.length === 0 ? (
        <EmptyState icon={Scale} title="No decision records">
          <p>
            {list.data.dir ? (
              <>
                <code>{list.data.dir}</code> holds no files named like <code>0001-title.md</code>.
              </>
            ) : (
              <>
                The annotation <code>backstage.io/adr-location: {list.data.annotation}</code> names no folder Callboard can read.
              </>
            )}
          </p>
        </EmptyState>
      ) : (
        <div className="decisions-layout">
          <nav className="decisions-nav" aria-label="Decision records">
            <p className="muted decisions-dir">
              <code>{list.data.dir || '/'}</code> · {plural(items.length, 'record')}
            </p>
            <ul className="decisions-list" role="listbox" aria-label="Decision records" ref={listRef} onKeyDown={onKeyDown}>
              {items.map((d) => {
                const on = d.file === current?.file;
                const successor = d.successor ? items.find((s) => s.file === d.successor) : undefined;
                return (
                  <li
                    key={d.file}
                    role="option"
                    aria-selected={on}
                    tabIndex={on ? 0 : -1}
                    data-file={d.file}
                    className={`decision-item${on ? ' selected' : ''}`}
                    onClick={() => select(d.file)}
                  >
                    <span className="decision-number">{decisionNumber(d)}</span>
                    <span className="decision-title">{d.title}</span>
                    <span className="decision-meta">
                      <DecisionStatus status={d.status} text={d.statusText} />
                      {d.date && <time dateTime={d.date}>{d.date}</time>}
                      {successor && (
                        <button
                          type="button"
                          className="link-button"
                          data-testid="decision-successor"
                          onClick={(e) => {
                            e.stopPropagation();
                            select(successor.file, true);
                          }}
                        >
                          by {decisionNumber(successor)}
                        </button>
                      )}
                    </span>
                  </li>
                );
              })}
            </ul>
          </nav>
          {current && <DecisionView entityRef={entityRef} file={current.file} items={items} select={select} />}
        </div>
      )}
    </div>
  );
}

function DecisionView({ entityRef, file, items, select }: { entityRef: string; file: string; items: DecisionSummary[]; select: (file: string) => void }) {
  const { data, error, reload } = useLoad(`decision\0${entityRef}\0${file}`, (c) => c.decision(entityRef, file));
  const article = useRef<HTMLElement>(null);
  useEffect(() => article.current?.scrollTo?.({ top: 0 }), [file]);
  const supersedes = items.filter((d) => d.successor === file);

  // A link to another record of the folder opens it here.
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const href = (e.target as HTMLElement).closest('a')?.getAttribute('href');
    if (!href || /^[a-z]+:|^#/i.test(href)) return;
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    const target = decodeURIComponent(new URL(href.split('#')[0] ?? '', `https://x/${dir}`).pathname.slice(1));
    if (items.some((d) => d.file === target)) {
      e.preventDefault();
      select(target);
    }
  };

  if (error && data?.decision.file !== file) return <ErrorState title={`Could not read ${file}`} error={error} onRetry={reload} />;
  if (!data || data.decision.file !== file) return <Loading label={`Reading ${file}…`} />;
  const d = data.decision;
  const successor = items.find((s) => s.file === d.successor);
  return (
    <article className="decision-view" ref={article} data-testid="decision-view" aria-label={d.title}>
      <header className="decision-header">
        <p className="decision-facts">
          <span className="decision-number">{decisionNumber(d)}</span>
          <DecisionStatus status={d.status} text={d.statusText} />
          {d.date && <time dateTime={d.date}>{d.date}</time>}
          <code className="muted">{data.path}</code>
        </p>
        {successor && (
          <p className="decision-note" data-testid="decision-superseded">
            Superseded by{' '}
            <button type="button" className="link-button" onClick={() => select(successor.file)}>
              {decisionNumber(successor)}: {successor.title}
            </button>
          </p>
        )}
        {d.status === 'superseded' && !successor && data.supersededBy && (
          <p className="decision-note muted">Superseded by {data.supersededBy}, which is not in this folder.</p>
        )}
        {supersedes.length > 0 && (
          <p className="decision-note">
            Supersedes{' '}
            {supersedes.map((s, i) => (
              <span key={s.file}>
                {i > 0 && ', '}
                <button type="button" className="link-button" onClick={() => select(s.file)}>
                  {decisionNumber(s)}
                </button>
              </span>
            ))}
          </p>
        )}
        {(data.deciders.length > 0 || data.tags.length > 0) && (
          <p className="decision-note muted">
            {data.deciders.length > 0 && <>Deciders: {data.deciders.join(', ')}</>}
            {data.deciders.length > 0 && data.tags.length > 0 && ' · '}
            {data.tags.length > 0 && <>Tags: {data.tags.join(', ')}</>}
          </p>
        )}
      </header>
      <div className="docs-content" onClick={onClick} dangerouslySetInnerHTML={{ __html: data.html }} />
    </article>
  );
}
