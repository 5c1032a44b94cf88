/**
 * What Backstage shows for a field extension when the template gives no
 * title or description (its translations' defaults). group: the field is
 * several inputs, labelled as a group rather than by one label.
 */
export interface FieldInfo {
  title?: string;
  description?: string;
  group?: boolean;
}

const entity = { title: 'Entity', description: 'An entity from the catalog' };

export const fieldInfo: Record<string, FieldInfo> = {
  EntityPicker: entity,
  MultiEntityPicker: entity,
  MyGroupsPicker: entity,
  OwnedEntityPicker: entity,
  OwnerPicker: { title: 'Owner', description: 'The owner of the component' },
  EntityNamePicker: { title: 'Name', description: 'Unique name of the component' },
  EntityTagsPicker: {
    title: 'Tags',
    description: "Add any relevant tags, hit 'Enter' to add new tags. Valid format: [a-z0-9+#] separated by [-], at most 63 characters",
  },
  RepoUrlPicker: { title: 'Repository location', group: true },
  RepoOwnerPicker: { title: 'Owner', description: 'The owner of the repository' },
  RepoBranchPicker: { title: 'Branch', description: 'The branch of the repository' },
  Secret: {},
};
