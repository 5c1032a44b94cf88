package portal

// ImportSource names a repository to import: a git URL or a local
// repository's folder, and a branch ("" for its default).
type ImportSource struct {
	URL    string `json:"url"`
	Branch string `json:"branch,omitempty"`
}

// ImportPreview is what importing a repository would add: the entities
// of its catalog files with their verdicts or, when it has none, a
// Component generated for it.
type ImportPreview struct {
	URL    string `json:"url"`
	Branch string `json:"branch"`
	Commit string `json:"commit"`
	// Path is the catalog file found ("" when none is): the first of
	// catalog-info.yaml, catalog-info.yml, .backstage/catalog-info.yaml
	// and catalog/catalog-info.yaml the repository has.
	Path string `json:"path,omitempty"`
	// Entities are the entity documents Path leads to, valid or not.
	Entities []ImportEntity `json:"entities"`
	// Errors are those of whole files (YAML syntax, unreadable files).
	Errors []ProcessingError `json:"errors"`
	// Generated is set when the repository has no catalog file.
	Generated *GeneratedEntity `json:"generated,omitempty"`
}

// ImportEntity is one entity document and the catalog's verdict on it.
type ImportEntity struct {
	Ref    string            `json:"ref"`
	Kind   string            `json:"kind"`
	File   string            `json:"file"`
	Line   int               `json:"line"`
	Valid  bool              `json:"valid"`
	Errors []ProcessingError `json:"errors"`
}

// GeneratedEntity is a Component written for a repository without a
// catalog file, and where each of its guesses came from.
type GeneratedEntity struct {
	// Path is where it would be committed: catalog-info.yaml.
	Path string `json:"path"`
	YAML string `json:"yaml"`
	Name string `json:"name"`
	// Owner is an entity ref; OwnerSource says where it came from:
	// "codeowners", "identity" (the user's team or the user) or "none".
	Owner       string `json:"owner"`
	OwnerSource string `json:"ownerSource"`
	// Language is the repository's main language ("" when none counts),
	// Type the spec.type it suggests.
	Language string `json:"language,omitempty"`
	Type     string `json:"type"`
}

// EntityValidation is the catalog's verdict on a catalog file's text.
type EntityValidation struct {
	Valid    bool              `json:"valid"`
	Entities []ImportEntity    `json:"entities"`
	Errors   []ProcessingError `json:"errors"`
}

// ImportRequest registers a repository with its catalog file at Path
// (catalog-info.yaml when empty). YAML, when set, is committed there
// first: the generated Component, as the user edited it.
type ImportRequest struct {
	URL    string `json:"url"`
	Branch string `json:"branch,omitempty"`
	Path   string `json:"path,omitempty"`
	YAML   string `json:"yaml,omitempty"`
}

// ImportResult is the location an import added, after its first sync,
// and the commit of the generated file ("" when none was written).
type ImportResult struct {
	Location Location `json:"location"`
	Entities []string `json:"entities"`
	Commit   string   `json:"commit,omitempty"`
}
