package portal

// EntityInspection is how an entity came to be in the catalog: the
// chain of locations and Location files that reached its file, what
// else that file and location hold, the entity as stored, and the YAML
// document it was read from.
type EntityInspection struct {
	Ref string `json:"ref"`
	// Ancestry is the chain that led to the entity's file, from the
	// location the user registered (or the organisation discovered) down
	// to the file itself, its last step.
	Ancestry  []AncestryStep  `json:"ancestry"`
	Colocated Colocated       `json:"colocated"`
	Processed ProcessedEntity `json:"processed"`
	Raw       RawDocument     `json:"raw"`
}

// AncestryKind says what one step of an entity's ancestry is.
type AncestryKind string

// The steps of an ancestry.
const (
	// AncestryOrg is a discovered organisation listing a repository.
	AncestryOrg AncestryKind = "org"
	// AncestryLocation is a location and the root file it reads.
	AncestryLocation AncestryKind = "location"
	// AncestryLocationEntity is a Location entity whose target names the
	// next step's file.
	AncestryLocationEntity AncestryKind = "locationEntity"
	// AncestryFile is the entity's own file.
	AncestryFile AncestryKind = "file"
)

// AncestryStep is one link of an entity's ancestry.
type AncestryStep struct {
	Kind       AncestryKind `json:"kind"`
	LocationID string       `json:"locationId"`
	// File is the step's file in the location's repository (a location's
	// root, a Location entity's file, the entity's file); "" for an
	// organisation.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// EntityRef is the Location entity of a locationEntity step, for a
	// link to its page.
	EntityRef string `json:"entityRef,omitempty"`
	// Target is the target, as written, that names the next step's file.
	Target string `json:"target,omitempty"`
	// URL is where the step can be seen: the file on its forge's web UI,
	// or a location's or organisation's URL; "" when there is none.
	URL string `json:"url,omitempty"`
	// LocalFile is the step's file on this disk when its location is a
	// local repository, for Open; "" otherwise.
	LocalFile string `json:"localFile,omitempty"`
	// Derived marks a location Callboard added for another location's
	// targets.
	Derived bool `json:"derived,omitempty"`
}

// Colocated are the other entities of an entity's file and location.
type Colocated struct {
	// File are the other entities of the same file, all of them.
	File []EntitySummary `json:"file"`
	// Location are the first of the location's other entities, by ref;
	// LocationTotal counts them all.
	Location      []EntitySummary `json:"location"`
	LocationTotal int             `json:"locationTotal"`
}

// ProcessedEntity is an entity as the catalog stored it.
type ProcessedEntity struct {
	// Entity is the stored document, the annotations the catalog adds
	// included.
	Entity    map[string]any `json:"entity"`
	Relations []Relation     `json:"relations"`
	// Annotations are those Backstage adds to an entity read from a
	// location: managed-by-location and managed-by-origin-location as
	// stored, and view-url, edit-url and source-location where the file
	// has a web address.
	Annotations map[string]string `json:"annotations"`
	// Errors are why the newest version was refused (Kept is then set);
	// FileErrors are the problems of its file that belong to no entity.
	Errors     []ProcessingError `json:"errors"`
	FileErrors []ProcessingError `json:"fileErrors"`
	Kept       bool              `json:"kept,omitempty"`
	// Commit is the commit the stored version was read at; SyncedAt is
	// when its location last synced well (RFC 3339, "" never).
	Commit   string `json:"commit"`
	SyncedAt string `json:"syncedAt,omitempty"`
}

// RawDocument is the YAML document an entity was read from, at the
// commit it was processed at.
type RawDocument struct {
	File   string `json:"file"`
	Commit string `json:"commit"`
	// Line is the document's first line in its file.
	Line int    `json:"line,omitempty"`
	YAML string `json:"yaml"`
	// Missing says why YAML is empty: an organisation's generated
	// entities, a file read by URL, a document too large to show.
	Missing string `json:"missing,omitempty"`
}
