import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parse } from 'yaml';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { hostKind } from './fields/repoUrl';
import { templatePages, type JsonObject } from './schema';
import { TemplateForm, type TemplateSubmission } from './TemplateForm';
import { entity, FakeSource } from './testing';

// The demo organisation's templates, always, and the real templates of the
// shared corpus when it is beside the clone; both read at test time, the
// corpus never copied into the repository.
// Node's fs comes through getBuiltinModule: the app's types have no Node in
// them, and Vite will not import files from outside the project.
interface Fs {
  existsSync(path: string): boolean;
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: 'utf8'): string;
}
const fs = (globalThis as unknown as { process: { getBuiltinModule(id: 'node:fs'): Fs } }).process.getBuiltinModule('node:fs');
// (Through a variable: Vite rewrites new URL(…, import.meta.url) into a URL of its own server.)
const here = import.meta.url;
const demo = new URL('../../../demo/repo/templates/', here).pathname;
const corpus = new URL('../../../../shared/corpus/', here).pathname;
const sets = `${corpus}software-templates/scaffolder-templates/`;
const demoPaths = fs.readdirSync(demo).sort().map((d) => `${demo}${d}/template.yaml`);
const corpusPaths = [
  `${corpus}backstage-demo/demo-template/template/template.yaml`,
  ...(fs.existsSync(sets) ? fs.readdirSync(sets).sort().map((d) => `${sets}${d}/template.yaml`) : []),
].filter((p) => fs.existsSync(p));
if (corpusPaths.length === 0) console.warn(`templates.test: no shared corpus at ${corpus}: only the demo's templates are tested`);
const paths = [...demoPaths, ...corpusPaths];

const templates = paths.map((path) => {
  const doc = parse(fs.readFileSync(path, 'utf8')) as { metadata: { name: string }; spec: { parameters?: unknown } };
  return { name: doc.metadata.name, parameters: doc.spec.parameters };
});

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value someone filling in the form might give a required field. */
function plausible(schema: RJSFSchema, ui: UiSchema): unknown {
  const options = isObject(ui['ui:options']) ? ui['ui:options'] : {};
  switch (ui['ui:field']) {
    case 'EntityNamePicker':
      return 'demo-service';
    case 'OwnerPicker':
      return 'group:default/team-a';
    case 'EntityPicker': {
      const kinds = options.allowedKinds as string[] | undefined;
      return `${String(options.defaultKind ?? kinds?.[0] ?? 'component').toLowerCase()}:default/demo`;
    }
    case 'RepoUrlPicker': {
      const host = (options.allowedHosts as string[] | undefined)?.[0] ?? 'github.com';
      const where = hostKind(host) === 'azure' ? 'organization=acme&project=core' : 'owner=team-a';
      return `${host}?${where}&repo=demo-service`;
    }
  }
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'array' && isObject(schema.items) && (schema.items as RJSFSchema).enum) return [(schema.items as RJSFSchema).enum![0]];
  if (schema.type === 'boolean') return false;
  if (schema.type === 'number' || schema.type === 'integer') return 1;
  if (schema.type === 'object') {
    const out: JsonObject = {};
    for (const key of schema.required ?? []) {
      const sub = schema.properties?.[key];
      if (isObject(sub)) out[key] = plausible(sub, isObject(ui[key]) ? (ui[key] as UiSchema) : {});
    }
    return out;
  }
  return 'demo';
}

describe('the demo’s and the corpus’ templates', () => {
  it.each(templates)('$name renders its first page and reaches the review', async ({ parameters }) => {
    const pages = templatePages(parameters);
    expect(pages.length).toBeGreaterThan(0);
    const values = Object.assign({}, ...pages.map((p) => plausible({ ...p.schema, type: 'object' }, p.uiSchema))) as JsonObject;
    const source = new FakeSource([entity('Group', 'team-a', { title: 'Team A' }), entity('System', 'demo')], { userRef: 'user:default/ada', groups: ['group:default/team-a'] });
    const onSubmit = vi.fn<(s: TemplateSubmission) => void>();
    const user = userEvent.setup();
    render(<TemplateForm parameters={parameters} source={source} initialValues={values} onSubmit={onSubmit} />);

    // The first page shows every field it asks for under its title.
    const [first] = pages;
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(first!.title);
    for (const [key, prop] of Object.entries(first!.schema.properties ?? {})) {
      if (isObject(prop) && typeof prop.title === 'string' && prop.type !== 'object') {
        expect(screen.getAllByText(prop.title).length, `the title of ${key}`).toBeGreaterThan(0);
      }
    }

    for (const page of pages) {
      await waitFor(() => expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(page.title));
      await user.click(screen.getByRole('button', { name: /^(Next|Review)$/ }));
    }
    await waitFor(() => expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Review'));
    expect(screen.queryByRole('alert')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0].values).toMatchObject(values);
  });
});
