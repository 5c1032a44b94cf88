import { useCallback, useEffect, useState } from 'react';
import type { FieldProps } from '@rjsf/utils';
import { scaffoldContext } from '../context';
import { displayEntityRef, humanizeEntityRef, normalizeRef, parseEntityRef, type RefDefaults } from '../refs';
import type { CatalogFilter, EntityLookup, EntityOption } from '../source';
import { Combobox, type ComboOption } from './Combobox';
import { inputProps, optionalString, stringList, uiOptions, useDebounced, useLoaded } from './common';

/** How many entities a picker lists at once; typing narrows them down. */
export const PICKER_LIMIT = 50;

const isFilter = (v: unknown): v is CatalogFilter => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ui:options.catalogFilter: one filter or alternatives. */
export function catalogFilter(v: unknown): CatalogFilter | CatalogFilter[] | undefined {
  if (Array.isArray(v)) return v.filter(isFilter);
  return isFilter(v) ? v : undefined;
}

export function refDefaults(options: Record<string, unknown>): RefDefaults {
  return { defaultKind: optionalString(options.defaultKind), defaultNamespace: optionalString(options.defaultNamespace) };
}

/** An entity as a listed option: its title over its ref, or the ref alone. */
export function entityOption(e: EntityOption, defaults: RefDefaults): ComboOption {
  const ref = humanizeEntityRef(e, defaults);
  return e.title && e.title !== ref ? { value: e.ref, label: e.title, hint: ref } : { value: e.ref, label: ref };
}

/** The name part of typed text ("group:default/te" → "te"): what the catalog's text search matches. */
export const searchText = (text: string) => text.slice(Math.max(text.lastIndexOf(':'), text.lastIndexOf('/')) + 1).trim();

/** Whether typed text names this entity exactly: by ref, short ref, name or title. */
export function names(text: string, e: EntityOption, defaults: RefDefaults): boolean {
  const t = text.trim().toLowerCase();
  return [e.ref, humanizeEntityRef(e, defaults), e.name, e.title ?? ''].some((s) => s.toLowerCase() === t);
}

interface EntitySelectProps {
  field: FieldProps<string>;
  /** The entities matching the typed text. */
  load(text: string): Promise<EntityOption[]>;
  /** Changes whenever load would answer the same text differently. */
  loadKey: string;
  defaults: RefDefaults;
  allowArbitrary: boolean;
  emptyText?: string;
}

/**
 * Picks one entity, storing its full ref (kind:namespace/name) as
 * Backstage's EntityPicker does, and showing it without the default kind
 * and namespace. Typed text that names no listed entity is kept — as a
 * full ref when it parses as one — only where arbitrary values are allowed.
 */
function EntitySelect({ field, load, loadKey, defaults, allowArbitrary, emptyText }: EntitySelectProps) {
  const { formData, onChange, fieldPathId, required } = field;
  const value = formData ?? '';
  const shown = displayEntityRef(value, defaults);
  const [text, setText] = useState(shown);
  const [typing, setTyping] = useState(false);
  const [notice, setNotice] = useState<string>();
  const query = useDebounced(typing ? searchText(text) : '', 150);
  const loaded = useLoaded(`${loadKey}\n${query}`, () => load(query));
  const entities = loaded.value ?? [];
  const set = useCallback((v: string | undefined) => onChange(v, fieldPathId.path), [onChange, fieldPathId]);

  useEffect(() => {
    if (!typing) setText(shown);
  }, [shown, typing]);

  // Like Backstage: a required field that takes nothing but catalog entities,
  // with one entity to choose from, has it chosen.
  const only = required && !allowArbitrary && !loaded.loading && query === '' && entities.length === 1 ? entities[0] : undefined;
  useEffect(() => {
    if (only && value !== only.ref) set(only.ref);
  }, [only, value, set]);

  const choose = (ref: string | undefined) => {
    setTyping(false);
    setNotice(undefined);
    set(ref);
    setText(ref ? displayEntityRef(ref, defaults) : '');
  };

  const commit = (typed: string) => {
    if (!typing) return;
    const t = typed.trim();
    if (!t) return choose(undefined);
    const match = entities.find((e) => names(t, e, defaults));
    if (match) return choose(match.ref);
    if (allowArbitrary) return choose(normalizeRef(t, defaults));
    setTyping(false);
    setText(shown);
    setNotice(`“${t}” is not one of the listed entities.`);
  };

  const ip = inputProps(field);
  return (
    <>
      <Combobox
        {...ip}
        disabled={ip.disabled || only !== undefined}
        text={text}
        onTextChange={(t) => {
          setText(t);
          setTyping(true);
          setNotice(undefined);
        }}
        options={entities.map((e) => entityOption(e, defaults))}
        onPick={(o) => choose(o.value)}
        onCommit={commit}
        loading={loaded.loading}
        error={loaded.error && `Could not list entities: ${loaded.error}`}
        emptyText={typing ? 'No matching entities' : (emptyText ?? 'No entities to choose from')}
        footer={entities.length >= PICKER_LIMIT ? `The first ${PICKER_LIMIT} — type to narrow them down` : undefined}
      />
      {notice && (
        <p className="scaffold-notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}

/** EntitySelect over a catalog query. */
function CatalogSelect(props: { field: FieldProps<string>; lookup: Omit<EntityLookup, 'text'>; defaults: RefDefaults; allowArbitrary: boolean }) {
  const { source } = scaffoldContext(props.field.registry);
  const { lookup } = props;
  return (
    <EntitySelect
      field={props.field}
      load={(text) => source.entities({ ...lookup, text: text || undefined, limit: PICKER_LIMIT })}
      loadKey={JSON.stringify(lookup)}
      defaults={props.defaults}
      allowArbitrary={props.allowArbitrary}
    />
  );
}

/** ui:field EntityPicker: an entity of catalogFilter (or allowedKinds). */
export function EntityPicker(props: FieldProps<string>) {
  const o = uiOptions(props.uiSchema);
  const kinds = stringList(o.allowedKinds);
  const filter = catalogFilter(o.catalogFilter) ?? (kinds ? { kind: kinds } : undefined);
  return <CatalogSelect field={props} lookup={{ filter }} defaults={refDefaults(o)} allowArbitrary={o.allowArbitraryValues !== false} />;
}

/** ui:field OwnerPicker: EntityPicker over groups and users, groups written without their kind. */
export function OwnerPicker(props: FieldProps<string>) {
  const o = uiOptions(props.uiSchema);
  const filter = catalogFilter(o.catalogFilter) ?? { kind: stringList(o.allowedKinds) ?? ['Group', 'User'] };
  const defaults = { defaultKind: 'Group', defaultNamespace: optionalString(o.defaultNamespace) };
  return <CatalogSelect field={props} lookup={{ filter }} defaults={defaults} allowArbitrary={o.allowArbitraryValues !== false} />;
}

/** ui:field OwnedEntityPicker: EntityPicker over what the user or their groups own. */
export function OwnedEntityPicker(props: FieldProps<string>) {
  const o = uiOptions(props.uiSchema);
  const kinds = stringList(o.allowedKinds);
  const base = catalogFilter(o.catalogFilter);
  const filter = (Array.isArray(base) ? base : [base ?? {}]).map((f) => (kinds ? { ...f, kind: kinds } : f));
  return <CatalogSelect field={props} lookup={{ filter, mine: true }} defaults={refDefaults(o)} allowArbitrary={o.allowArbitraryValues !== false} />;
}

/** ui:field MyGroupsPicker: one of the groups the user belongs to, nothing else. */
export function MyGroupsPicker(props: FieldProps<string>) {
  const { source } = scaffoldContext(props.registry);
  const load = async (text: string) => {
    const { groups } = await source.identity();
    if (groups.length === 0) return [];
    // The groups' titles; a group the catalog does not list still shows by its ref.
    const listed = new Map((await source.entities({ filter: { kind: 'Group' }, limit: 1000 })).map((e) => [e.ref, e]));
    const t = text.toLowerCase();
    return groups
      .flatMap((ref): EntityOption[] => {
        const known = listed.get(ref);
        if (known) return [known];
        const r = parseEntityRef(ref, { defaultKind: 'Group' });
        return r ? [{ ref, kind: r.kind, namespace: r.namespace, name: r.name }] : [];
      })
      .filter((e) => !t || e.name.toLowerCase().includes(t) || (e.title ?? '').toLowerCase().includes(t));
  };
  return (
    <EntitySelect
      field={props}
      load={load}
      loadKey="my-groups"
      defaults={{ defaultKind: 'Group' }}
      allowArbitrary={false}
      emptyText="You belong to no group in the catalog. Choose who you are in Settings."
    />
  );
}
