import type { PortalClient } from '../api/client';
import type { EntityQuery, EntitySummary } from '../api/types.gen';
import type { Facet } from '../api/facets';
import { parseEntityRef, stringifyEntityRef } from './refs';
import { compareText } from '../locale';

/** An entity as the pickers list it. */
export interface EntityOption {
  /** kind:namespace/name, lower-cased. */
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
}

/**
 * A catalog filter as templates write it in ui:options.catalogFilter: keys
 * are dotted entity paths ("kind", "spec.type", "metadata.tags"…), values
 * one value, alternatives, or { exists: true }. An array of filters means
 * any of them.
 */
export type CatalogFilterValue = string | string[] | { exists?: boolean };
export type CatalogFilter = Record<string, CatalogFilterValue>;

export interface EntityLookup {
  filter?: CatalogFilter | CatalogFilter[];
  /** Matches name, title and description, case-insensitively. */
  text?: string;
  /** Only entities owned by the user or one of their groups. */
  mine?: boolean;
  limit?: number;
}

export interface TagCount {
  tag: string;
  count: number;
}

/**
 * What the template form asks of the catalog. Every method rejects when the
 * catalog cannot answer; the fields then show the error and let the user
 * type a value instead.
 */
export interface CatalogSource {
  entities(q: EntityLookup): Promise<EntityOption[]>;
  /** The user's User ref, if known, and the refs of the groups they belong to. */
  identity(): Promise<{ userRef?: string; groups: string[] }>;
  /** Tags in use, with how many entities (of these kinds, when given) carry each. */
  tags(kinds?: string[]): Promise<TagCount[]>;
  /** Asks the user for a folder; undefined when they cancel. Only the desktop app can. */
  pickFolder?(): Promise<string | undefined>;
}

// Filter keys the portal answers from its listing (fast, and able to take
// alternatives); every other key goes to its dotted-path filters.
const facetOf: Record<string, Facet> = {
  kind: 'kind',
  'spec.type': 'type',
  'spec.lifecycle': 'lifecycle',
  'spec.owner': 'owner',
  'relations.ownedBy': 'owner',
  'spec.system': 'system',
  'metadata.namespace': 'namespace',
  'metadata.tags': 'tag',
};

// The portal keeps owner and system facets as full refs; templates may
// write them short, as spec fields are written.
const facetRefKind: Partial<Record<Facet, string>> = { owner: 'group', system: 'system' };

/** The portal queries for one catalog filter, and what the portal cannot check itself. */
interface Plan {
  queries: EntityQuery[];
  /**
   * Dotted-path filters take the portal's slow path, which ignores facets
   * and ownership: those are then checked here on what comes back.
   */
  slow: boolean;
  /** Facets to check here: all of them on the slow path, else only "exists". */
  facets: Partial<Record<Facet, string[] | true>>;
}

function plan(filter: CatalogFilter, base: EntityQuery): Plan {
  const facets: Partial<Record<Facet, string[] | true>> = {};
  let filterSets: Record<string, string>[] = [{}];
  for (const [key, raw] of Object.entries(filter)) {
    const facet = facetOf[key];
    const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.map(String) : null;
    if (facet) {
      const refKind = facetRefKind[facet];
      facets[facet] = values
        ? values.map((v) => {
            const r = refKind ? parseEntityRef(v, { defaultKind: refKind }) : null;
            return r ? stringifyEntityRef(r) : v;
          })
        : true;
      continue;
    }
    // { exists } on a path the listing does not know cannot be asked of the
    // portal; leaving it out lists more entities rather than none.
    if (!values) continue;
    // The portal's filters take one value per path: alternatives become one query each.
    filterSets = filterSets.flatMap((set) => values.map((v) => ({ ...set, [key]: v })));
  }
  const slow = Object.keys(filterSets[0] ?? {}).length > 0;
  if (slow) {
    const kinds = facets.kind;
    // One kind narrows the slow path's scan before its limit cuts it.
    const kind = Array.isArray(kinds) && kinds.length === 1 ? kinds[0] : undefined;
    return { slow, facets, queries: filterSets.map((filters) => ({ ...base, kind, filters })) };
  }
  const listed: EntityQuery['facets'] = {};
  const exists: Plan['facets'] = {};
  for (const [f, v] of Object.entries(facets) as [Facet, string[] | true][]) {
    if (v === true) exists[f] = true;
    else listed[f] = v;
  }
  return { slow, facets: exists, queries: [{ ...base, facets: listed }] };
}

function summaryFacet(e: EntitySummary, f: Facet): string[] {
  switch (f) {
    case 'kind':
      return [e.kind.toLowerCase()];
    case 'namespace':
      return [e.namespace.toLowerCase()];
    case 'tag':
      return e.tags;
    case 'level':
      return (e.levels ?? []).map((l) => `${l.scorecard.replace(/^scorecard:(default\/)?/, '')}:${l.level}`);
    default: {
      const v = e[f];
      return v ? [v] : [];
    }
  }
}

function keeps(e: EntitySummary, facets: Plan['facets']): boolean {
  return Object.entries(facets).every(([f, want]) => {
    const have = summaryFacet(e, f as Facet);
    if (want === true) return have.length > 0;
    const norm = (v: string) => (f === 'kind' || f === 'namespace' ? v.toLowerCase() : v);
    return want.some((w) => have.includes(norm(w)));
  });
}

const option = (e: EntitySummary): EntityOption => ({
  ref: e.ref,
  kind: e.kind,
  namespace: e.namespace,
  name: e.name,
  title: e.title || undefined,
  description: e.description || undefined,
});

export interface SourceOptions {
  /** The desktop app's folder dialog, for RepoUrlPicker's local-folder choice. */
  pickFolder?: () => Promise<string | undefined>;
}

/** The catalog the form queries, answered by the portal's client. */
export function catalogSourceFromClient(client: PortalClient, options: SourceOptions = {}): CatalogSource {
  const identity = async () => {
    const { identity } = await client.userState();
    return { userRef: identity.userRef, groups: identity.groups };
  };
  return {
    async entities({ filter, text, mine, limit = 100 }) {
      const base: EntityQuery = { text: text || undefined, mine: mine || undefined, sort: 'name', limit };
      const plans = (Array.isArray(filter) ? filter : [filter ?? {}]).map((f) => plan(f, base));
      let owners: Set<string> | null = null;
      if (mine && plans.some((p) => p.slow)) {
        const id = await identity();
        owners = new Set([...(id.userRef ? [id.userRef] : []), ...id.groups]);
      }
      const lists = await Promise.all(
        plans.map(async (p) => {
          const pages = await Promise.all(p.queries.map((q) => client.listEntities(q)));
          return pages
            .flatMap((page) => page.items)
            .filter((e) => keeps(e, p.facets) && (!p.slow || !owners || (e.owner !== undefined && owners.has(e.owner))));
        }),
      );
      const seen = new Map<string, EntityOption>();
      for (const e of lists.flat()) if (!seen.has(e.ref)) seen.set(e.ref, option(e));
      // Several queries each come back sorted; their union is sorted again.
      const byName = (a: EntityOption, b: EntityOption) => compareText(a.title || a.name, b.title || b.name);
      return [...seen.values()].sort(byName).slice(0, limit);
    },
    identity,
    async tags(kinds) {
      const list = await client.listEntities({ facets: kinds?.length ? { kind: kinds } : undefined, limit: 1 });
      return (list.facets?.tag ?? []).map((f) => ({ tag: f.value, count: f.count }));
    },
    ...(options.pickFolder ? { pickFolder: options.pickFolder } : {}),
  };
}
