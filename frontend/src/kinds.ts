import type { EntitySummary } from './api/types';

/** The catalog's kinds in the order Backstage users expect; others follow alphabetically. */
const ORDER = ['component', 'api', 'system', 'domain', 'resource', 'group', 'user', 'template', 'airesource', 'location'];

/** How kinds whose lower-cased form reads badly are written. */
const LABELS: Record<string, string> = { api: 'API', airesource: 'AI resource' };

function compareKinds(a: string, b: string): number {
  const ia = ORDER.indexOf(a);
  const ib = ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a.localeCompare(b);
}

/** Counts entities by lower-cased kind, in display order. */
export function countKinds(items: EntitySummary[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const e of items) {
    const k = e.kind.toLowerCase();
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => compareKinds(a, b));
}

/** "component" → "Component", "api" → "API", "airesource" → "AI resource". */
export function kindLabel(kind: string): string {
  const k = kind.toLowerCase();
  return LABELS[k] ?? `${k.charAt(0).toUpperCase()}${k.slice(1)}`;
}

/** "component" → "Components", "api" → "APIs", "airesource" → "AI resources". */
export function kindPlural(kind: string): string {
  return `${kindLabel(kind)}s`;
}
