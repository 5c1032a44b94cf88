import { type EntityQuery } from '../api/types.gen';
import { FACETS, type Facet } from '../api/facets';

/** The catalog page's state, all of it in the URL so it can be shared and the back button restores it. */
export interface CatalogState {
  text: string;
  facets: Partial<Record<Facet, string[]>>;
  starred: boolean;
  mine: boolean;
  errors: boolean;
  sort: string;
  desc: boolean;
  /** Columns the user chose; empty means the kind's defaults. */
  columns: string[];
}

export function readState(p: URLSearchParams): CatalogState {
  const facets: Partial<Record<Facet, string[]>> = {};
  for (const f of FACETS) {
    const values = p.getAll(f).filter(Boolean);
    if (values.length > 0) facets[f] = f === 'kind' ? values.map((v) => v.toLowerCase()) : values;
  }
  return {
    text: p.get('q') ?? '',
    facets,
    starred: p.get('starred') === '1',
    mine: p.get('mine') === '1',
    errors: p.get('errors') === '1',
    sort: p.get('sort') ?? '',
    desc: p.get('desc') === '1',
    columns: (p.get('cols') ?? '').split(',').filter(Boolean),
  };
}

export function writeState(s: CatalogState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.text.trim()) p.set('q', s.text.trim());
  for (const f of FACETS) for (const v of s.facets[f] ?? []) p.append(f, v);
  if (s.starred) p.set('starred', '1');
  if (s.mine) p.set('mine', '1');
  if (s.errors) p.set('errors', '1');
  if (s.sort) p.set('sort', s.sort);
  if (s.desc) p.set('desc', '1');
  if (s.columns.length > 0) p.set('cols', s.columns.join(','));
  return p;
}

/** The portal query for a state, without paging. */
export function toQuery(s: CatalogState): EntityQuery {
  const q: EntityQuery = {};
  if (s.text.trim()) q.text = s.text.trim();
  if (Object.keys(s.facets).length > 0) q.facets = s.facets;
  if (s.starred) q.starred = true;
  if (s.mine) q.mine = true;
  if (s.errors) q.hasErrors = true;
  if (s.sort) q.sort = s.sort;
  if (s.desc) q.desc = true;
  return q;
}

/** Whether anything narrows the catalog down. */
export function isFiltered(s: CatalogState): boolean {
  return s.text.trim() !== '' || Object.keys(s.facets).length > 0 || s.starred || s.mine || s.errors;
}

export const ALL_COLUMNS = ['name', 'kind', 'namespace', 'system', 'owner', 'type', 'lifecycle', 'level', 'description', 'tags'] as const;
export type Column = (typeof ALL_COLUMNS)[number];

const DEFAULTS: Record<string, Column[]> = {
  component: ['name', 'system', 'owner', 'type', 'lifecycle', 'level', 'description', 'tags'],
  api: ['name', 'system', 'owner', 'type', 'lifecycle', 'description', 'tags'],
  resource: ['name', 'system', 'owner', 'type', 'description', 'tags'],
  system: ['name', 'owner', 'description', 'tags'],
  domain: ['name', 'owner', 'description', 'tags'],
  group: ['name', 'type', 'description'],
  user: ['name', 'description'],
  template: ['name', 'type', 'owner', 'description', 'tags'],
};

/** The columns to show: the user's choice, else those that fit the one kind selected, else the general set. */
export function columnsFor(s: CatalogState): Column[] {
  if (s.columns.length > 0) return ALL_COLUMNS.filter((c) => c === 'name' || s.columns.includes(c));
  const kinds = s.facets.kind ?? [];
  if (kinds.length === 1) return DEFAULTS[kinds[0] ?? ''] ?? ['name', 'owner', 'type', 'lifecycle', 'description', 'tags'];
  return ['name', 'kind', 'owner', 'type', 'lifecycle', 'description', 'tags'];
}
