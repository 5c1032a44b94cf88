import type { JsonObject } from '../schema';

/** One ui:options key a field reads. */
export interface FieldOption {
  name: string;
  type: string;
  description: string;
}

/**
 * What the field explorer says of a field extension: what it is for, the
 * ui:options it reads, and a property that uses it (the YAML to paste).
 */
export interface FieldDoc {
  description: string;
  options: FieldOption[];
  example: JsonObject;
}

const catalogFilter: FieldOption = {
  name: 'catalogFilter',
  type: 'object | object[]',
  description: 'Which entities are offered: keys such as kind, spec.type or metadata.namespace with a value or a list of values; a list of filters offers what matches any of them.',
};
const allowArbitraryValues: FieldOption = { name: 'allowArbitraryValues', type: 'boolean', description: 'Whether text that names no listed entity is accepted (true unless false).' };
const defaultKind: FieldOption = { name: 'defaultKind', type: 'string', description: 'The kind a typed reference without one gets.' };
const defaultNamespace: FieldOption = { name: 'defaultNamespace', type: 'string', description: 'The namespace a typed reference without one gets.' };
const allowedKinds: FieldOption = { name: 'allowedKinds', type: 'string[]', description: '[Deprecated: use catalogFilter] The kinds offered.' };

/** Field extensions by the name a template gives as ui:field. */
export const fieldDocs: Record<string, FieldDoc> = {
  EntityPicker: {
    description: 'One entity of the catalog, chosen from a list that narrows as you type; the value is its full reference.',
    options: [catalogFilter, defaultKind, defaultNamespace, allowArbitraryValues, allowedKinds],
    example: { title: 'System', type: 'string', 'ui:field': 'EntityPicker', 'ui:options': { catalogFilter: { kind: 'System' } } },
  },
  OwnerPicker: {
    description: 'A group or user to own the new entity.',
    options: [catalogFilter, defaultNamespace, allowArbitraryValues, allowedKinds],
    example: { title: 'Owner', type: 'string', description: 'Who owns the component', 'ui:field': 'OwnerPicker', 'ui:options': { catalogFilter: { kind: 'Group' } } },
  },
  OwnedEntityPicker: {
    description: 'One entity the user or one of their groups owns.',
    options: [catalogFilter, defaultKind, defaultNamespace, allowArbitraryValues, allowedKinds],
    example: { title: 'Your component', type: 'string', 'ui:field': 'OwnedEntityPicker', 'ui:options': { catalogFilter: { kind: 'Component' } } },
  },
  MyGroupsPicker: {
    description: 'One of the groups the user belongs to.',
    options: [],
    example: { title: 'Team', type: 'string', 'ui:field': 'MyGroupsPicker' },
  },
  MultiEntityPicker: {
    description: 'Several entities of the catalog; the value is a list of full references. The schema\'s maxItems caps how many.',
    options: [catalogFilter, defaultKind, defaultNamespace, allowArbitraryValues],
    example: { title: 'Depends on', type: 'array', items: { type: 'string' }, 'ui:field': 'MultiEntityPicker', 'ui:options': { catalogFilter: { kind: ['Component', 'Resource'] } } },
  },
  EntityNamePicker: {
    description: 'The new entity\'s name, checked against the catalog\'s rule for names.',
    options: [],
    example: { title: 'Name', type: 'string', 'ui:field': 'EntityNamePicker', 'ui:autofocus': true },
  },
  EntityTagsPicker: {
    description: 'Tags for the new entity: those the catalog uses are offered, new ones are checked as Backstage checks tags.',
    options: [
      { name: 'kinds', type: 'string[]', description: 'Offer the tags of entities of these kinds only.' },
      { name: 'showCounts', type: 'boolean', description: 'Show how many entities use each tag.' },
    ],
    example: { title: 'Tags', type: 'array', items: { type: 'string' }, 'ui:field': 'EntityTagsPicker', 'ui:options': { kinds: ['Component'], showCounts: true } },
  },
  RepoUrlPicker: {
    description: 'Where the new repository goes: host, owner and name, as host?owner=…&repo=… (publish:* reads it); in the desktop app, a folder on this machine instead.',
    options: [
      { name: 'allowedHosts', type: 'string[]', description: 'The hosts offered; the first is chosen to start with.' },
      { name: 'allowedOwners', type: 'string[]', description: 'The owners offered.' },
      { name: 'allowedOrganizations', type: 'string[]', description: 'The organisations offered (Azure DevOps).' },
      { name: 'allowedProjects', type: 'string[]', description: 'The projects offered (Azure DevOps, Bitbucket).' },
      { name: 'allowedRepos', type: 'string[]', description: 'The repository names offered.' },
      { name: 'ownerLabel', type: 'string', description: 'The owner part\'s label.' },
      { name: 'ownerDescription', type: 'string', description: 'The line under the owner part.' },
      { name: 'repoDescription', type: 'string', description: 'The line under the repository part.' },
    ],
    example: { title: 'Repository location', type: 'string', 'ui:field': 'RepoUrlPicker', 'ui:options': { allowedHosts: ['github.com'] } },
  },
  RepoOwnerPicker: {
    description: 'An owner on the repository\'s host; the user\'s groups are suggested.',
    options: [{ name: 'excludedOwners', type: 'string[]', description: 'Owners not to suggest.' }],
    example: { title: 'Owner', type: 'string', 'ui:field': 'RepoOwnerPicker' },
  },
  RepoBranchPicker: {
    description: 'A branch of the repository RepoUrlPicker chose.',
    options: [],
    example: { title: 'Branch', type: 'string', default: 'main', 'ui:field': 'RepoBranchPicker' },
  },
  Secret: {
    description: 'A value that goes to the template\'s secrets (${{ secrets.name }}) under the field\'s name, never into its parameters or a run\'s record.',
    options: [],
    example: { title: 'API token', type: 'string', 'ui:field': 'Secret' },
  },
};
