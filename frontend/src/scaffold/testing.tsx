import { render } from '@testing-library/react';
import { useState } from 'react';
import Form from '@rjsf/core';
import type { ScaffoldContext } from './context';
import { fields } from './fields';
import { templatePages, type JsonObject } from './schema';
import type { CatalogFilter, CatalogSource, EntityLookup, EntityOption, TagCount } from './source';
import { templates } from './theme';
import { validator } from './validation';

export interface FakeEntity extends EntityOption {
  owner?: string;
}

export function entity(kind: string, name: string, extra: Partial<FakeEntity> = {}): FakeEntity {
  const namespace = extra.namespace ?? 'default';
  return { ref: `${kind}:${namespace}/${name}`.toLowerCase(), kind, namespace, name, ...extra };
}

/** An in-memory catalog: filters on kind and owner, matches text like the portal, records each lookup. */
export class FakeSource implements CatalogSource {
  lookups: EntityLookup[] = [];
  folders: string[] = [];

  constructor(
    public catalog: FakeEntity[] = [],
    public me: { userRef?: string; groups: string[] } = { groups: [] },
    public tagCounts: TagCount[] = [],
  ) {}

  async entities(q: EntityLookup): Promise<EntityOption[]> {
    this.lookups.push(q);
    const filters: CatalogFilter[] = Array.isArray(q.filter) ? q.filter : [q.filter ?? {}];
    const values = (v: unknown) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v : null);
    const fits = (e: FakeEntity, f: CatalogFilter) =>
      Object.entries(f).every(([k, v]) => {
        const want = values(v)?.map((s) => String(s).toLowerCase());
        const have = k === 'kind' ? e.kind : k === 'spec.owner' ? e.owner : undefined;
        return !want || want.includes((have ?? '').toLowerCase());
      });
    const owners = new Set([...(this.me.userRef ? [this.me.userRef] : []), ...this.me.groups]);
    const text = (q.text ?? '').toLowerCase();
    return this.catalog
      .filter((e) => filters.some((f) => fits(e, f)))
      .filter((e) => !q.mine || (e.owner !== undefined && owners.has(e.owner)))
      .filter((e) => !text || `${e.name} ${e.title ?? ''}`.toLowerCase().includes(text))
      .slice(0, q.limit ?? 100);
  }

  async identity() {
    return this.me;
  }

  async tags(): Promise<TagCount[]> {
    return this.tagCounts;
  }
}

/** A source with the desktop app's folder dialog, answering with folder. */
export function withFolderPicker(source: FakeSource, folder: string | undefined): FakeSource & Required<Pick<CatalogSource, 'pickFolder'>> {
  return Object.assign(source, {
    pickFolder: async () => {
      source.folders.push(folder ?? '');
      return folder;
    },
  });
}

/**
 * One field extension in a bare form, the way TemplateForm hosts it; the
 * latest value is in values(), the secrets in secrets.
 */
export function renderField(property: JsonObject, source: CatalogSource, { initial, required }: { initial?: unknown; required?: boolean } = {}) {
  const [page] = templatePages({ properties: { field: property }, ...(required ? { required: ['field'] } : {}) });
  let latest: JsonObject = initial === undefined ? {} : { field: initial };
  const secrets: Record<string, string> = {};
  const context: ScaffoldContext = { source, secret: (n) => secrets[n], setSecret: (n, v) => (secrets[n] = v) };
  function Host() {
    const [data, setData] = useState(latest);
    return (
      <Form<JsonObject>
        schema={page!.schema}
        uiSchema={page!.uiSchema}
        formData={data}
        formContext={context}
        validator={validator}
        fields={fields}
        templates={templates}
        idPrefix="scaffold"
        onChange={(e) => {
          latest = e.formData ?? {};
          setData(latest);
        }}
      >
        <span />
      </Form>
    );
  }
  const utils = render(<Host />);
  return { ...utils, value: () => latest.field, secrets };
}
