/** One line of a line diff: kept in both, only in the old text, only in the new. */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** Texts longer than this many lines are not diffed: the table is lines × lines. */
export const DIFF_MAX_LINES = 4000;

/**
 * The lines of a and b as one list, a longest common subsequence kept
 * (' ') and the rest removed ('-') or added ('+'); null when either
 * has more than DIFF_MAX_LINES lines.
 */
export function lineDiff(a: string, b: string): DiffLine[] | null {
  const x = a.replace(/\n$/, '').split('\n');
  const y = b.replace(/\n$/, '').split('\n');
  if (x.length > DIFF_MAX_LINES || y.length > DIFF_MAX_LINES) return null;
  const w = y.length + 1;
  // lcs[i*w+j]: the longest common subsequence of x[i:] and y[j:].
  const lcs = new Uint16Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      out.push({ op: ' ', text: x[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
      out.push({ op: '-', text: x[i++]! });
    } else {
      out.push({ op: '+', text: y[j++]! });
    }
  }
  while (i < x.length) out.push({ op: '-', text: x[i++]! });
  while (j < y.length) out.push({ op: '+', text: y[j++]! });
  return out;
}
