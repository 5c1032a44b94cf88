import type { LevelCount } from '../api/types.gen';

/** How a level reads: '' is below the first level. */
export function levelLabel(level: string): string {
  return level || 'None';
}

/**
 * The badge class of a level among a scorecard's levels (lowest first):
 * the top level good, one below it info, the others warn, none bad.
 */
export function levelTone(level: string, levels: string[]): 'good' | 'info' | 'warn' | 'bad' {
  const i = levels.indexOf(level);
  if (i < 0) return 'bad';
  if (i === levels.length - 1) return 'good';
  if (i === levels.length - 2) return 'info';
  return 'warn';
}

/** Counts best level first, then none: the order the pages list them in. */
export function bestFirst(counts: LevelCount[]): LevelCount[] {
  const none = counts.filter((c) => c.level === '');
  return [...counts.filter((c) => c.level !== '').reverse(), ...none];
}
