import { describe, expect, it } from 'vitest';
import { formDefaults, reviewRows, templatePages, withoutSecrets } from './schema';
import { fieldValidators } from './fields';
import { validatePage } from './validation';

describe('templatePages', () => {
  it('makes one page of a single schema, its ui keys in the uiSchema', () => {
    const pages = templatePages({
      title: 'Basics',
      description: 'Tell us *about* it',
      required: ['name'],
      'ui:order': ['name', '*'],
      properties: {
        name: { type: 'string', title: 'Name', 'ui:autofocus': true, 'ui:help': 'Lower case' },
        mode: { type: 'string', enum: ['l', 'd'], enumNames: ['Light', 'Dark'], 'ui:widget': 'radio' },
      },
    });
    expect(pages).toHaveLength(1);
    const [p] = pages;
    expect(p!.title).toBe('Basics');
    expect(p!.description).toBe('Tell us *about* it');
    expect(p!.schema).toEqual({
      required: ['name'],
      properties: { name: { type: 'string', title: 'Name' }, mode: { type: 'string', enum: ['l', 'd'] } },
    });
    expect(p!.uiSchema).toEqual({
      'ui:order': ['name', '*'],
      name: { 'ui:autofocus': true, 'ui:help': 'Lower case' },
      mode: { 'ui:widget': 'radio', 'ui:enumNames': ['Light', 'Dark'] },
    });
  });

  it('makes a page per schema of a list, with Backstage’s title for untitled ones, and skips what is no schema', () => {
    const pages = templatePages([{ title: 'One', properties: {} }, 'nonsense', null, { properties: { b: { type: 'string' } } }]);
    expect(pages.map((p) => p.title)).toEqual(['One', 'Please enter the following information']);
    expect(templatePages(undefined)).toEqual([]);
  });

  it('moves ui keys out of nested objects, array items and conditional branches', () => {
    const params = {
      properties: {
        settings: { type: 'object', properties: { port: { type: 'number', 'ui:widget': 'updown' } } },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'], enumNames: ['A', 'B'] }, 'ui:widget': 'checkboxes' },
        kind: { type: 'string', enum: ['lib', 'svc'] },
      },
      dependencies: {
        kind: {
          oneOf: [
            { properties: { kind: { const: 'lib' }, registry: { type: 'string', 'ui:placeholder': 'npm' } } },
            { properties: { kind: { const: 'svc' }, port: { type: 'number', 'ui:help': 'HTTP port' } } },
          ],
        },
      },
      allOf: [{ if: { properties: { kind: { const: 'svc' } } }, then: { properties: { health: { type: 'string', 'ui:field': 'EntityNamePicker' } } } }],
    };
    const [p] = templatePages(params);
    expect(p!.uiSchema).toEqual({
      settings: { port: { 'ui:widget': 'updown' } },
      tags: { 'ui:widget': 'checkboxes', items: { 'ui:enumNames': ['A', 'B'] } },
      kind: {},
      registry: { 'ui:placeholder': 'npm' },
      port: { 'ui:help': 'HTTP port' },
      health: { 'ui:field': 'EntityNamePicker' },
    });
    expect(JSON.stringify(p!.schema)).not.toMatch(/ui:|enumNames/);
    // The template's own object is left as it was.
    expect(params.properties.settings.properties.port['ui:widget']).toBe('updown');
  });
});

describe('formDefaults', () => {
  it('fills in every page’s defaults under the initial values', () => {
    const pages = templatePages([
      { properties: { name: { type: 'string', default: 'svc' }, lang: { type: 'string', default: 'go' } } },
      { properties: { opts: { type: 'object', properties: { ci: { type: 'boolean', default: true } } } } },
    ]);
    expect(formDefaults(pages, { lang: 'rust' })).toEqual({ name: 'svc', lang: 'rust', opts: { ci: true } });
  });
});

describe('reviewRows', () => {
  const pages = templatePages([
    {
      title: 'About',
      properties: {
        name: { type: 'string', title: 'Name' },
        mode: { type: 'string', title: 'Mode', enum: ['l', 'd'], enumNames: ['Light', 'Dark'] },
        topics: { type: 'array', title: 'Topics', items: { type: 'string', enum: ['a', 'b'], enumNames: ['Alpha', 'Beta'] } },
        password: { type: 'string', title: 'Password', 'ui:widget': 'password' },
        hidden: { type: 'string', title: 'Hidden', 'ui:backstage': { review: { show: false } } },
        masked: { type: 'string', title: 'Masked', 'ui:backstage': { review: { mask: '<hidden>' } } },
        renamed: { type: 'string', title: 'Long title', 'ui:backstage': { review: { name: 'Short' } } },
      },
    },
    {
      title: 'Where',
      properties: {
        token: { type: 'string', title: 'Token', 'ui:field': 'Secret' },
        railsArguments: { type: 'object', properties: { minimal: { type: 'boolean' }, api: { type: 'boolean', title: 'API only' } } },
        kind: { type: 'string', enum: ['lib', 'svc'] },
        dryRun: { type: 'boolean' },
      },
      dependencies: {
        kind: { oneOf: [{ properties: { kind: { const: 'lib' }, registry: { type: 'string', title: 'Registry' } } }, { properties: { kind: { const: 'svc' } } }] },
      },
    },
  ]);

  it('lists values under their titles, masked, hidden and named as the template says', () => {
    const rows = reviewRows(pages, {
      name: 'payments',
      mode: 'd',
      topics: ['b', 'a'],
      password: 'hunter2',
      hidden: 'x',
      masked: 'y',
      renamed: 'z',
      token: '*****',
      railsArguments: { minimal: true, api: false },
      kind: 'lib',
      registry: 'npm',
      dryRun: false,
      extra: 'from a link',
    });
    expect(rows.map((r) => [r.label, r.value, r.page])).toEqual([
      ['Name', 'payments', 0],
      ['Mode', 'Dark', 0],
      ['Topics', ['Beta', 'Alpha'], 0],
      ['Password', '******', 0],
      ['Masked', '<hidden>', 0],
      ['Short', 'z', 0],
      ['Token', '******', 1],
      ['Rails Arguments > Minimal', 'Yes', 1],
      ['API only', 'No', 1],
      ['Kind', 'lib', 1],
      ['Registry', 'npm', 1],
      ['Dry Run', 'No', 1],
      ['Extra', 'from a link', undefined],
    ]);
  });
});

describe('withoutSecrets', () => {
  it('takes Secret fields out of the values, nested ones too', () => {
    const [p] = templatePages({
      properties: {
        name: { type: 'string' },
        token: { type: 'string', 'ui:field': 'Secret' },
        db: { type: 'object', properties: { password: { type: 'string', 'ui:field': 'secret' }, host: { type: 'string' } } },
      },
    });
    expect(withoutSecrets([p!], { name: 'a', token: '***', db: { password: '**', host: 'h' } })).toEqual({ name: 'a', db: { host: 'h' } });
  });
});

describe('validatePage', () => {
  const [p] = templatePages({
    required: ['name', 'repoUrl'],
    properties: {
      name: { type: 'string', 'ui:field': 'EntityNamePicker' },
      repoUrl: { type: 'string', 'ui:field': 'RepoUrlPicker' },
      slug: { type: 'string', pattern: '^[a-z]+$', errorMessage: { pattern: 'Lower-case letters only' } },
    },
  });

  it('says what is missing or wrong, field by field', () => {
    const { valid, errorSchema } = validatePage(p!, { name: '-bad-', repoUrl: 'github.com?repo=r', slug: 'A' }, fieldValidators);
    expect(valid).toBe(false);
    expect(errorSchema.name?.__errors?.[0]).toMatch(/^Must start and end with an alphanumeric character/);
    expect(errorSchema.repoUrl?.__errors).toEqual(['Incomplete repository location provided, owner not provided']);
    expect(errorSchema.slug?.__errors).toEqual(['Lower-case letters only']);
    expect(validatePage(p!, {}, fieldValidators).errorSchema.name?.__errors).toEqual(['Required']);
  });

  it('passes good values', () => {
    expect(validatePage(p!, { name: 'payments', repoUrl: 'github.com?owner=o&repo=r', slug: 'ok' }, fieldValidators).valid).toBe(true);
  });
});
