import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ChevronRight } from 'lucide-react';
import type { PluginAction, PluginBlock } from '../../api/pluginViews';
import { errorMessage } from '../../errors';
import { actionOf, useActionScope } from './PluginAction';
import { FOLLOW_GAP, highlight, matching, type LogSection } from './logModel';
import { statusTone, toneLabel } from './status';

/** How often a followed log asks for its next lines. */
const FOLLOW_EVERY_MS = 2000;
/** Following stops by itself after this long, so a forgotten tab does not poll a cluster all day. */
const FOLLOW_AT_MOST_MS = 30 * 60 * 1000;
/** The most lines a followed log keeps; the oldest go first. */
const FOLLOW_KEEP_LINES = 5000;

/**
 * What the answer to a follow call brings: new lines (after a gap marker when the plugin says some may be missing) and the next
 * call, or why following stops — at once, or after these lines when the log has no next call (then the answer's notice says why).
 */
function followed(res: { blocks: unknown[]; error?: string }): { lines: string[]; next: PluginAction | null; stop?: string } | { stop: string } {
  if (res.error) return { stop: `Stopped following: ${res.error}` };
  const blocks = (Array.isArray(res.blocks) ? res.blocks : []).filter((b): b is PluginBlock => typeof b === 'object' && b !== null);
  const log = blocks.find((b) => b.log)?.log;
  const notice: unknown = blocks.find((b) => b.notice)?.notice?.text;
  const why = typeof notice === 'string' && notice ? notice : '';
  if (!log) return { stop: `Stopped following: ${why || 'the plugin sent no log'}` };
  const lines = (Array.isArray(log.lines) ? log.lines : []).filter((l): l is string => typeof l === 'string');
  const next = actionOf(log.follow);
  return {
    lines: log.truncated === true && lines.length > 0 ? [FOLLOW_GAP, ...lines] : lines,
    next,
    ...(next ? {} : { stop: `Stopped following: ${why || 'the plugin offers no more lines.'}` }),
  };
}

/**
 * Follows a log while on: calls follow every FOLLOW_EVERY_MS, one call at
 * a time, and appends the lines of each answer, whose follow is the next
 * call. It stops when toggled off or unmounted, on an error or an answer
 * without a log, and after FOLLOW_AT_MOST_MS, saying why.
 */
function useFollow(lines: string[], follow: PluginAction | null | undefined) {
  const scope = useActionScope();
  // The caller's lines are a new array at each render: their text says
  // whether they are a new answer.
  const from = lines.join('\n');
  const [shown, setShown] = useState({ from, lines, dropped: false, next: follow ?? null });
  const [on, setOn] = useState(false);
  const [why, setWhy] = useState('');
  const next = useRef(follow ?? null);
  const busy = useRef(false);
  // A new answer (Refresh) starts over from its lines and its follow.
  if (shown.from !== from) {
    setShown({ from, lines, dropped: false, next: follow ?? null });
    setOn(false);
    setWhy('');
  }
  useEffect(() => {
    next.current = shown.next;
  }, [shown]);
  useEffect(() => {
    if (!on || !scope) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    const stop = (reason: string) => {
      if (stopped) return;
      setOn(false);
      setWhy(reason);
    };
    const tick = async () => {
      if (stopped) return;
      if (busy.current) {
        timer = setTimeout(() => void tick(), FOLLOW_EVERY_MS);
        return;
      }
      if (Date.now() - started >= FOLLOW_AT_MOST_MS) return stop('Stopped following after 30 minutes.');
      const action = next.current;
      if (!action) return stop('Stopped following: the plugin offers no more lines.');
      busy.current = true;
      try {
        const got = followed(await scope.run(action));
        if (stopped) return;
        if (!('lines' in got)) return stop(got.stop);
        next.current = got.next;
        setShown((s) => {
          const all = s.lines.concat(got.lines);
          const over = all.length > FOLLOW_KEEP_LINES;
          return { from: s.from, lines: over ? all.slice(all.length - FOLLOW_KEEP_LINES) : all, dropped: s.dropped || over, next: got.next };
        });
        if (got.stop) return stop(got.stop);
        timer = setTimeout(() => void tick(), FOLLOW_EVERY_MS);
      } catch (e) {
        stop(`Stopped following: ${errorMessage(e)}`);
      } finally {
        busy.current = false;
      }
    };
    timer = setTimeout(() => void tick(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [on, scope]);
  const toggle = () => {
    setWhy('');
    setOn(!on);
  };
  return { lines: shown.lines, dropped: shown.dropped, on, why, toggle, can: !!scope && !!follow };
}

/** Lines, the matches of q marked; every line when q is empty. */
function Lines({ lines, q, label }: { lines: string[]; q: string; label: string }) {
  const pre = useRef<HTMLPreElement>(null);
  // Kept at the newest line unless the user scrolled up to read.
  const atBottom = useRef(true);
  useEffect(() => {
    if (pre.current && !q && atBottom.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [lines, q]);
  const onScroll = () => {
    const el = pre.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
  };
  if (!q) {
    return (
      <pre ref={pre} tabIndex={0} aria-label={label} onScroll={onScroll}>
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
 * lines, marked, and opens the sections that hold them. A log the plugin
 * lets follow has a Follow toggle (see useFollow).
 */
export function PluginLog({ title, lines: given, truncated, sections = [], follow }: { title: string; lines: string[]; truncated: boolean; sections?: LogSection[]; follow?: PluginAction | null }) {
  const f = useFollow(given, follow);
  const lines = f.lines;
  const [query, setQuery] = useState('');
  const [toggled, setToggled] = useState<Record<number, boolean>>({});
  const q = query.trim().toLowerCase();
  const total = useMemo(() => (q ? matching(lines, q).length + sections.reduce((n, s) => n + matching(s.lines, q).length, 0) : 0), [q, lines, sections]);
  const searchable = sections.length > 0 || lines.length > 20;
  return (
    <figure className="plugin-log">
      {title && <figcaption>{title}</figcaption>}
      {truncated && <p className="muted">Earlier lines left out.</p>}
      {f.dropped && <p className="muted">Earlier lines dropped: a followed log keeps its last {FOLLOW_KEEP_LINES.toLocaleString('en')} lines.</p>}
      {follow && (
        <div className="plugin-log-follow">
          <button type="button" className="button button-small" aria-pressed={f.on} disabled={!f.can} onClick={f.toggle}>
            Follow
          </button>
          {f.why && (
            <span role="status" className="muted">
              {f.why}
            </span>
          )}
        </div>
      )}
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
