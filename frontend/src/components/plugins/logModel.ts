// A plugin's log, searched: which lines match a query (case-insensitive,
// as typed) and where in each line, for highlighting. Pure, so the folded
// log (PluginLog.tsx) stays a view of it.

/** A foldable part of a log (callboard.plugin.v1.LogSection), checked. */
export interface LogSection {
  title: string;
  lines: string[];
  status: unknown;
  open: boolean;
  duration: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The sections a plugin sent; what is not one is left out. */
export function sectionsOf(v: unknown): LogSection[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null)
    .map((s) => ({
      title: str(s.title),
      lines: Array.isArray(s.lines) ? s.lines.map(str) : [],
      status: s.status,
      open: s.open === true,
      duration: str(s.duration),
    }));
}

/** The indexes of the lines holding q (already lower-cased; '' matches none). */
export function matching(lines: string[], q: string): number[] {
  if (!q) return [];
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (l.toLowerCase().includes(q)) out.push(i);
  });
  return out;
}

/** A line cut into plain and matching parts, in order. */
export function highlight(line: string, q: string): { text: string; match: boolean }[] {
  if (!q) return [{ text: line, match: false }];
  const lower = line.toLowerCase();
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, i + q.length)) {
    if (i > at) parts.push({ text: line.slice(at, i), match: false });
    parts.push({ text: line.slice(i, i + q.length), match: true });
    at = i + q.length;
  }
  if (at < line.length || parts.length === 0) parts.push({ text: line.slice(at), match: false });
  return parts;
}

/**
 * The line a followed log shows where a call could not bring every line since the one before: more came than a call
 * brings (a log), or the source lost its place and started again (a watch of events answered 410 Gone).
 */
export const FOLLOW_GAP = '⋯ some lines may be missing here: more came than a call brings, or the source lost its place ⋯';
