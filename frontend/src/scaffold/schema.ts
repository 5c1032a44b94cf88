import { getDefaultFormState, retrieveSchema, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import { validator } from './validation';

export type JsonObject = Record<string, unknown>;

/** One page of a template's form: spec.parameters' schema with its ui: keys moved out. */
export interface FormPage {
  title: string;
  description?: string;
  /** Pure JSON Schema: title and description moved to the page, ui: keys to uiSchema. */
  schema: RJSFSchema;
  uiSchema: UiSchema;
}

// The title Backstage's scaffolder gives a parameters page without one.
const UNTITLED_PAGE = 'Please enter the following information';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Backstage's extractUiSchema: moves every ui: key of a schema node into
 * the uiSchema node for it, through properties, items and the branches of
 * anyOf, oneOf, allOf, dependencies and if/then/else — branches share the
 * uiSchema of the object they extend. enumNames, which react-jsonschema-form
 * 6 reads only from the uiSchema, moves to ui:enumNames.
 */
function extractUiSchema(schema: JsonObject, uiSchema: JsonObject): void {
  for (const key of Object.keys(schema)) {
    if (key.startsWith('ui:')) {
      uiSchema[key] = schema[key];
      delete schema[key];
    }
  }
  if (Array.isArray(schema.enumNames)) {
    uiSchema['ui:enumNames'] ??= schema.enumNames;
    delete schema.enumNames;
  }
  const { properties, items, anyOf, oneOf, allOf, dependencies, then, else: otherwise } = schema;
  if (isObject(properties)) {
    for (const [name, node] of Object.entries(properties)) {
      if (!isObject(node)) continue;
      if (!isObject(uiSchema[name])) uiSchema[name] = {};
      extractUiSchema(node, uiSchema[name] as JsonObject);
    }
  }
  if (isObject(items)) {
    const inner = {};
    uiSchema.items = inner;
    extractUiSchema(items, inner);
  }
  for (const branches of [anyOf, oneOf, allOf]) {
    if (Array.isArray(branches)) for (const node of branches) if (isObject(node)) extractUiSchema(node, uiSchema);
  }
  if (isObject(dependencies)) {
    for (const node of Object.values(dependencies)) if (isObject(node)) extractUiSchema(node, uiSchema);
  }
  if (isObject(then)) extractUiSchema(then, uiSchema);
  if (isObject(otherwise)) extractUiSchema(otherwise, uiSchema);
}

/**
 * The pages of a template's form from its spec.parameters: one schema or a
 * list of them, one per page. Anything that is not a schema object is
 * skipped, so a broken template shows the pages it can.
 */
export function templatePages(parameters: unknown): FormPage[] {
  const steps = Array.isArray(parameters) ? parameters : [parameters];
  return steps.filter(isObject).map((step) => {
    // structuredClone, not JSON: YAML anchors can make shared or cyclic nodes.
    const schema = structuredClone(step);
    const uiSchema: JsonObject = {};
    extractUiSchema(schema, uiSchema);
    const { title, description, ...rest } = schema;
    return {
      title: typeof title === 'string' && title.trim() ? title : UNTITLED_PAGE,
      description: typeof description === 'string' && description.trim() ? description : undefined,
      schema: rest,
      uiSchema: uiSchema as UiSchema,
    };
  });
}

// Backstage's form fills allOf defaults in too.
export const defaultsBehavior = { allOf: 'populateDefaults' } as const;

/** The form's starting values: every page's defaults under what initial already holds. */
export function formDefaults(pages: FormPage[], initial: JsonObject = {}): JsonObject {
  return pages.reduce<JsonObject>(
    (values, page) => ({
      ...values,
      ...(getDefaultFormState(validator, page.schema, values, page.schema, false, defaultsBehavior) as JsonObject),
    }),
    { ...initial },
  );
}

/** ui:field Secret, any case, as Backstage compares it. */
export function isSecretField(ui: unknown): boolean {
  return isObject(ui) && typeof ui['ui:field'] === 'string' && ui['ui:field'].toLowerCase() === 'secret';
}

/**
 * Values without what Secret fields hold: in the form those keep a mask as
 * long as the secret (so required and minLength work); the secret itself
 * goes in secrets.
 */
export function withoutSecrets(pages: FormPage[], values: JsonObject): JsonObject {
  const strip = (data: JsonObject, ui: JsonObject): JsonObject => {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(data)) {
      const sub = ui[key];
      if (isSecretField(sub)) continue;
      out[key] = isObject(value) && isObject(sub) ? strip(value, sub) : value;
    }
    return out;
  };
  return pages.reduce((data, page) => strip(data, page.uiSchema as JsonObject), values);
}

export interface ReviewRow {
  /** The value's path, slash-separated: "railsArguments/minimal". */
  key: string;
  label: string;
  /** What to show: lists item by item, secrets masked. */
  value: string | string[];
  /** The index of the page that asks for the value; undefined when none does. */
  page?: number;
}

const SECRET_MASK = '******';

type Override = { kind: 'mask'; value: string } | { kind: 'hide' };

/** Backstage's getReviewOverride: ui:backstage.review's mask or show, then passwords and Secret fields. */
function reviewOverride(ui: JsonObject): Override | undefined {
  const backstage = isObject(ui['ui:backstage']) ? ui['ui:backstage'] : {};
  const review = isObject(backstage.review) ? backstage.review : {};
  if (typeof review.mask === 'string' && review.mask) return { kind: 'mask', value: review.mask };
  if (review.show === false) return { kind: 'hide' };
  if (ui['ui:widget'] === 'password' || isSecretField(ui)) return { kind: 'mask', value: SECRET_MASK };
  return undefined;
}

/** lodash's startCase, for keys without a title: "repoUrl" reads "Repo Url". */
function startCase(s: string): string {
  return s
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z\d]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** Backstage's formatKey: "railsArguments/skipBundle" reads "Rails Arguments > Skip Bundle". */
const formatKey = (path: string[]) => path.map(startCase).join(' > ');

function childOf(data: unknown, key: string): unknown {
  if (Array.isArray(data)) return data[Number(key)];
  return isObject(data) ? data[key] : undefined;
}

/** The uiSchema node for a path; array indices step into items. */
function uiAt(ui: UiSchema, path: string[]): JsonObject {
  let node: unknown = ui;
  for (const key of path) node = isObject(node) ? (/^\d+$/.test(key) ? node.items : node[key]) : undefined;
  return isObject(node) ? node : {};
}

/**
 * The schema a page gives the value at path, with its conditionals resolved
 * against the data (dependencies, if/then/else, allOf, and the oneOf or
 * anyOf branch the data matches) — json-schema-library's getSchema in
 * Backstage's review.
 */
function schemaAt(page: FormPage, path: string[], root: JsonObject): RJSFSchema | undefined {
  let schema = page.schema;
  let data: unknown = root;
  for (const key of path) {
    const resolved = retrieveSchema(validator, schema, page.schema, data as JsonObject);
    const next = childSchema(page, resolved, key, data);
    if (!next) return undefined;
    schema = next;
    data = childOf(data, key);
  }
  return retrieveSchema(validator, schema, page.schema, data as JsonObject);
}

function childSchema(page: FormPage, schema: RJSFSchema, key: string, data: unknown): RJSFSchema | undefined {
  const prop = schema.properties?.[key];
  if (isObject(prop)) return prop;
  if (Array.isArray(data) && /^\d+$/.test(key)) {
    const { items } = schema;
    const item = Array.isArray(items) ? items[Number(key)] : items;
    return isObject(item) ? item : undefined;
  }
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].filter(isObject) as RJSFSchema[];
  const candidates = branches
    .map((b) => retrieveSchema(validator, b, page.schema, data as JsonObject))
    .filter((b) => isObject(b.properties?.[key]));
  const chosen = candidates.find((b) => validator.isValid(b, data as JsonObject, page.schema)) ?? candidates[0];
  return chosen?.properties?.[key] as RJSFSchema | undefined;
}

/** The name a choice is shown by: its enumNames entry, or the title of its const branch. */
function enumLabel(schema: RJSFSchema | undefined, ui: JsonObject, value: unknown): string | undefined {
  if (!schema) return undefined;
  const names = ui['ui:enumNames'];
  if (schema.enum && Array.isArray(names)) {
    const i = schema.enum.indexOf(value as never);
    return i >= 0 && typeof names[i] === 'string' ? names[i] : undefined;
  }
  const branches = (schema.oneOf ?? schema.anyOf ?? []).filter(isObject) as RJSFSchema[];
  return branches.find((b) => b.const === value && typeof b.title === 'string')?.title;
}

function shown(value: unknown): string | string[] {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
    return value.map((v) => shown(v) as string);
  }
  return JSON.stringify(value);
}

/**
 * The rows of the review page, as Backstage's ReviewState makes them: each
 * value under its title (ui:backstage.review.name first, the key
 * start-cased last), objects spread into a row per field unless
 * review.explode is false, enum values by their enumNames, passwords and
 * Secret fields masked, review.show: false left out.
 */
export function reviewRows(pages: FormPage[], values: JsonObject): ReviewRow[] {
  const maskNested = (page: FormPage, path: string[], value: unknown): unknown => {
    const child = (p: string[], v: unknown) => {
      const o = reviewOverride(uiAt(page.uiSchema, p));
      if (o?.kind === 'hide') return undefined;
      return o?.kind === 'mask' ? o.value : maskNested(page, p, v);
    };
    if (Array.isArray(value)) return value.map((v, i) => child([...path, String(i)], v)).filter((v) => v !== undefined);
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const masked = v === undefined ? undefined : child([...path, k], v);
      if (masked !== undefined) out[k] = masked;
    }
    return out;
  };

  const describe = (pageIndex: number, path: string[], value: unknown): ReviewRow[] => {
    const page = pages[pageIndex]!;
    const key = path.join('/');
    const schema = schemaAt(page, path, values);
    const ui = uiAt(page.uiSchema, path);
    const backstage = isObject(ui['ui:backstage']) ? ui['ui:backstage'] : {};
    const review = isObject(backstage.review) ? backstage.review : {};
    const label = (typeof review.name === 'string' && review.name) || schema?.title || formatKey(path);
    const row = (v: string | string[]): ReviewRow[] => [{ key, label, value: v, page: pageIndex }];
    const override = reviewOverride(ui);
    if (override?.kind === 'hide') return [];
    if (override?.kind === 'mask') return row(override.value);
    const named = enumLabel(schema, ui, value);
    if (named !== undefined) return row(named);
    if (Array.isArray(value) && isObject(schema?.items)) {
      const itemUi = uiAt(page.uiSchema, [...path, '0']);
      const labels = value.map((v) => enumLabel(schema.items as RJSFSchema, itemUi, v));
      if (labels.some((l) => l !== undefined)) return row(value.map((v, i) => labels[i] ?? (shown(v) as string)));
    }
    if (review.explode !== false && isObject(value)) {
      return Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : describe(pageIndex, [...path, k], v)));
    }
    return row(shown(Array.isArray(value) || isObject(value) ? maskNested(page, path, value) : value));
  };

  return Object.entries(values).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const page = pages.findIndex((p) => schemaAt(p, [key], values) !== undefined);
    return page < 0 ? [{ key, label: formatKey([key]), value: shown(value) }] : describe(page, [key], value);
  });
}
