package portal

// The DTOs below are the JSON shapes every front end sees (Wails bindings,
// the HTTP API and the CLI's --json). Times are RFC 3339 strings because
// Wails' TypeScript generator mishandles time.Time. The TypeScript mirror is
// frontend/src/api/types.ts; keep both in step.

// Info describes the running instance.
type Info struct {
	Version   string `json:"version"`
	DataDir   string `json:"dataDir"`
	Mode      string `json:"mode"` // "desktop", "serve" or "cli"
	Entities  int    `json:"entities"`
	Locations int    `json:"locations"`
	StartedAt string `json:"startedAt"`
}

// EntityQuery selects entities for the catalog list. Empty fields match all.
type EntityQuery struct {
	Kind string `json:"kind,omitempty"`
	// Text matches name, title and description, case-insensitively.
	Text string `json:"text,omitempty"`
	// Filters match entity fields by dotted path, e.g. "spec.type": "service".
	Filters map[string]string `json:"filters,omitempty"`
	Limit   int               `json:"limit,omitempty"`
}

// EntitySummary is one row of the catalog list.
type EntitySummary struct {
	Ref         string   `json:"ref"` // kind:namespace/name, lower-cased
	Kind        string   `json:"kind"`
	Namespace   string   `json:"namespace"`
	Name        string   `json:"name"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Owner       string   `json:"owner,omitempty"` // an entity ref
	Type        string   `json:"type,omitempty"`
	Lifecycle   string   `json:"lifecycle,omitempty"`
	System      string   `json:"system,omitempty"`
	Tags        []string `json:"tags"`
}

// EntityList is a page of catalog rows; Total counts all matches.
type EntityList struct {
	Items []EntitySummary `json:"items"`
	Total int             `json:"total"`
}

// Relation is one outgoing edge of an entity.
type Relation struct {
	Type      string `json:"type"`
	TargetRef string `json:"targetRef"`
	// Missing is set when no location provides the target: the relation is
	// kept, as in Backstage, and shown as pointing nowhere.
	Missing bool `json:"missing,omitempty"`
}

// Source says where an entity was read from.
type Source struct {
	LocationID string `json:"locationId"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	Commit     string `json:"commit"`
}

// EntityDetail is everything the entity page shows.
type EntityDetail struct {
	EntitySummary
	Entity    map[string]any `json:"entity"`
	Relations []Relation     `json:"relations"`
	Source    Source         `json:"source"`
	YAML      string         `json:"yaml"`
	// Errors are why the newest version in git was refused; the entity
	// shown is then its last good version.
	Errors []ProcessingError `json:"errors,omitempty"`
}

// ProcessingError is one problem found processing a catalog file.
type ProcessingError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Location is a registered catalog repository and its sync state.
type Location struct {
	ID     string `json:"id"`
	URL    string `json:"url"`
	Branch string `json:"branch,omitempty"`
	Path   string `json:"path"`
	// Status is "pending" (never synced), "ok", "stale" (the last sync
	// failed; the entities of the last good one are kept) or "error"
	// (never synced successfully).
	Status      string `json:"status"`
	HeadCommit  string `json:"headCommit,omitempty"`
	LastSyncAt  string `json:"lastSyncAt,omitempty"`
	StaleSince  string `json:"staleSince,omitempty"`
	LastError   string `json:"lastError,omitempty"`
	Entities    int    `json:"entities"`
	ProcessErrs int    `json:"processingErrors"`
}

// NewLocation is a catalog repository to register: a URL (https, ssh,
// file://) or a local path, an optional branch (the remote's default when
// empty), and the catalog file or glob inside it (catalog-info.yaml when empty).
type NewLocation struct {
	URL    string `json:"url"`
	Branch string `json:"branch,omitempty"`
	Path   string `json:"path,omitempty"`
}

// Settings are the user's choices.
type Settings struct {
	// SyncIntervalMinutes is how often every location syncs in the
	// background, from 1 to 1440 (a day).
	SyncIntervalMinutes int `json:"syncIntervalMinutes"`
}
