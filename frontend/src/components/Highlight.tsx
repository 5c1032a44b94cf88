import type { ReactNode } from 'react';

/** Splits a query into the words search matched on, as the portal does. */
export function queryWords(query: string): string[] {
  return [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0))];
}

/** text with every occurrence of the words (and of words they begin) marked. */
export function Highlight({ text, words }: { text: string; words: string[] }) {
  if (!text || words.length === 0) return <>{text}</>;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let at = 0;
  while (at < text.length) {
    let next = -1;
    let len = 0;
    for (const w of words) {
      const i = lower.indexOf(w, at);
      if (i >= 0 && (next < 0 || i < next || (i === next && w.length > len))) {
        next = i;
        len = w.length;
      }
    }
    if (next < 0) break;
    if (next > at) parts.push(text.slice(at, next));
    parts.push(<mark key={next}>{text.slice(next, next + len)}</mark>);
    at = next + len;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
