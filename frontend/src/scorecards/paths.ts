import { parseRef } from '../api/refs';

/** The page of a scorecard by its ref. */
export function scorecardPath(ref: string): string {
  const r = parseRef(ref, 'scorecard');
  if (!r) return '/scorecards';
  return `/scorecards/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`;
}
