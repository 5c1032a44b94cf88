/** The facets a query filters on and counts, in the order the catalog shows them; each is a repeatable parameter of the catalog page's own URL. */
export const FACETS = ['kind', 'type', 'owner', 'lifecycle', 'level', 'tag', 'namespace', 'system'] as const;
export type Facet = (typeof FACETS)[number];
