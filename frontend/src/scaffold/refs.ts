// Entity references as Backstage's catalog-model and catalog-react write
// them, so a template's parameters get exactly the strings Backstage's
// pickers would give it.

export interface CompoundRef {
  kind: string;
  namespace: string;
  name: string;
}

export interface RefDefaults {
  defaultKind?: string;
  /** false (allowed by the pickers' ui:options) means "default". */
  defaultNamespace?: string | false;
}

const DEFAULT_NAMESPACE = 'default';

/**
 * catalog-model's parseEntityRef: [kind:][namespace/]name with the
 * defaults filled in, or null where Backstage would throw (no kind, an
 * empty part).
 */
export function parseEntityRef(ref: string, defaults: RefDefaults = {}): CompoundRef | null {
  if (!ref) return null;
  let colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  if (slash !== -1 && slash < colon) colon = -1;
  const kind = colon === -1 ? undefined : ref.slice(0, colon);
  const namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
  const name = ref.slice(Math.max(colon + 1, slash + 1));
  if (kind === '' || namespace === '' || name === '') return null;
  const k = kind ?? defaults.defaultKind;
  const ns = namespace ?? (defaults.defaultNamespace || DEFAULT_NAMESPACE);
  if (!k) return null;
  return { kind: k, namespace: ns, name };
}

/** catalog-model's stringifyEntityRef: kind:namespace/name, lower-cased. */
export function stringifyEntityRef(ref: CompoundRef): string {
  return `${ref.kind}:${ref.namespace || DEFAULT_NAMESPACE}/${ref.name}`.toLowerCase();
}

/**
 * What a picker stores for text the user typed: the full ref when it
 * parses with the field's defaults, else the text as it is — as
 * Backstage's EntityPicker does with arbitrary values.
 */
export function normalizeRef(text: string, defaults: RefDefaults): string {
  const parsed = parseEntityRef(text.trim(), defaults);
  return parsed ? stringifyEntityRef(parsed) : text.trim();
}

/**
 * catalog-react's humanizeEntityRef: the ref with the kind left out when it
 * is defaultKind and the namespace when it is defaultNamespace (or
 * "default" when none is given).
 */
export function humanizeEntityRef(ref: CompoundRef, defaults: RefDefaults = {}): string {
  const kind = ref.kind.toLowerCase();
  let namespace: string | undefined = ref.namespace || DEFAULT_NAMESPACE;
  const { defaultKind, defaultNamespace } = defaults;
  if (defaultNamespace !== undefined && defaultNamespace !== false) {
    if (defaultNamespace === namespace) namespace = undefined;
  } else if (namespace === DEFAULT_NAMESPACE) {
    namespace = undefined;
  }
  const shownKind = defaultKind && defaultKind.toLowerCase() === kind ? undefined : kind;
  return `${shownKind ? `${shownKind}:` : ''}${namespace ? `${namespace}/` : ''}${ref.name}`;
}

/** A stored value as a picker shows it: humanized when it is a full ref, else as it is. */
export function displayEntityRef(value: string, defaults: RefDefaults = {}): string {
  const parsed = parseEntityRef(value);
  return parsed ? humanizeEntityRef(parsed, defaults) : value;
}
