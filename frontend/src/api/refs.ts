/** An entity reference, kind:namespace/name, as the portal formats it (lower-cased). */
export interface EntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Parses [kind:][namespace/]name. A ref without a kind gets defaultKind;
 * without one either, or with an empty part, it is not a ref and this returns null.
 */
export function parseRef(ref: string, defaultKind = ''): EntityRef | null {
  let rest = ref.trim();
  let kind = defaultKind;
  let namespace = 'default';
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    kind = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
  }
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    namespace = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  if (!kind || !namespace || !rest || /[:/]/.test(rest)) return null;
  return { kind: kind.toLowerCase(), namespace: namespace.toLowerCase(), name: rest.toLowerCase() };
}

/** The UI route of an entity page, or null when ref is not a full ref. */
export function entityPath(ref: string): string | null {
  const r = parseRef(ref);
  if (!r) return null;
  return `/catalog/${[r.kind, r.namespace, r.name].map(encodeURIComponent).join('/')}`;
}

/** How a ref reads in a table or a card: the name, with its namespace when that is not "default". */
export function displayRef(ref: string): string {
  const r = parseRef(ref);
  if (!r) return ref;
  return r.namespace === 'default' ? r.name : `${r.namespace}/${r.name}`;
}
