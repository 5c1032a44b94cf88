import { compareText } from './locale';

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
  return compareText(a, b);
}

/** Kind counts (lower-cased kinds) in display order. */
export function sortKinds<T extends { value: string }>(counts: T[]): T[] {
  return [...counts].sort((a, b) => compareKinds(a.value, b.value));
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
