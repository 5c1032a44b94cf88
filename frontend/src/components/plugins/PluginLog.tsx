import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ChevronRight } from 'lucide-react';
import { highlight, matching, type LogSection } from './logModel';
import { statusTone, toneLabel } from './status';

/** Lines, the matches of q marked; every line when q is empty. */
function Lines({ lines, q, label }: { lines: string[]; q: string; label: string }) {
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (pre.current && !q) pre.current.scrollTop = pre.current.scrollHeight;
  }, [lines, q]);
  if (!q) {
    return (
      <pre ref={pre} tabIndex={0} aria-label={label}>
        {lines.length ? lines.join('\n') : '(no lines)'}
      </pre>
    );
  }
  const hits = matching(lines, q);
  return (
    <pre ref={pre} tabIndex={0} aria-label={label}>
      {hits.map((i) => (
        <span key={i} className="plugin-log-hit">
          {highlight(lines[i] ?? '', q).map((p, j) => (p.match ? <mark key={j}>{p.text}</mark> : p.text))}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

/** One section: a button that folds it, with its status and duration. */
function Section({ section, q, open, toggle }: { section: LogSection; q: string; open: boolean; toggle: () => void }) {
  const id = useId();
  const tone = statusTone(section.status);
  const hits = q ? matching(section.lines, q).length : 0;
  return (
    <div className="plugin-log-section">
      <button type="button" className="button button-small button-quiet disclosure" aria-expanded={open} aria-controls={id} onClick={toggle}>
        <ChevronRight size={13} aria-hidden="true" className="disclosure-icon" />
        {tone !== 'none' && (
          <span className={`badge badge-${tone}`} title={toneLabel[tone]}>
            <span className="dot" aria-hidden="true" />
            {toneLabel[tone]}
          </span>
        )}
        <span>{section.title || '(untitled)'}</span>
        {section.duration && <span className="muted">{section.duration}</span>}
        {q && <span className="muted">{hits === 1 ? '1 match' : `${hits} matches`}</span>}
      </button>
      {open && (
        <div id={id}>
          <Lines lines={section.lines} q={q} label={section.title || 'Section'} />
        </div>
      )}
    </div>
  );
}

/**
 * A log as it came: monospace lines, scrolled to the newest, and the
 * sections a plugin folded it into (a CI job's steps) — open as the plugin
 * says (a failed step) until toggled. Searching shows only the matching
 * lines, marked, and opens the sections that hold them.
 */
export function PluginLog({ title, lines, truncated, sections = [] }: { title: string; lines: string[]; truncated: boolean; sections?: LogSection[] }) {
  const [query, setQuery] = useState('');
  const [toggled, setToggled] = useState<Record<number, boolean>>({});
  const q = query.trim().toLowerCase();
  const total = useMemo(() => (q ? matching(lines, q).length + sections.reduce((n, s) => n + matching(s.lines, q).length, 0) : 0), [q, lines, sections]);
  const searchable = sections.length > 0 || lines.length > 20;
  return (
    <figure className="plugin-log">
      {title && <figcaption>{title}</figcaption>}
      {truncated && <p className="muted">Earlier lines left out.</p>}
      {searchable && (
        <div className="plugin-log-search">
          <input type="search" className="input" placeholder="Search in the log" aria-label={`Search in ${title || 'the log'}`} value={query} onChange={(e) => setQuery(e.target.value)} />
          {q && (
            <span role="status" className="muted">
              {total === 1 ? '1 matching line' : `${total} matching lines`}
            </span>
          )}
        </div>
      )}
      {(sections.length === 0 || lines.length > 0) && <Lines lines={lines} q={q} label={title || 'Log'} />}
      {sections.map((s, i) => {
        const open = q ? toggled[i] ?? matching(s.lines, q).length > 0 : toggled[i] ?? s.open;
        return <Section key={i} section={s} q={q} open={open} toggle={() => setToggled({ ...toggled, [i]: !open })} />;
      })}
    </figure>
  );
}
