import { formatNumber } from './locale';

export function shortCommit(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '—';
}

/** "1 entity", "12,345 entities": the count in the user's language, the words in English. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
