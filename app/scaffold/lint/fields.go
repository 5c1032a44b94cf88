package lint

// FormFields are the ui:field names the form renders: Backstage's field
// extensions as frontend/src/scaffold/fields/index.ts registers them
// (TestFieldsMatchTheForm holds the two lists together), and the fields
// react-jsonschema-form has built in.
func FormFields() []string {
	return []string{
		"EntityNamePicker", "EntityPicker", "EntityTagsPicker", "MultiEntityPicker", "MyGroupsPicker",
		"OwnedEntityPicker", "OwnerPicker", "RepoBranchPicker", "RepoOwnerPicker", "RepoUrlPicker", "Secret",
		"ArrayField", "BooleanField", "NumberField", "ObjectField", "StringField", "NullField", "AnyOfField", "OneOfField", "SchemaField",
	}
}
