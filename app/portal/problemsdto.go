package portal

// Problem kinds: what went wrong, from the location down to one field.
const (
	// ProblemSyncFailed: the location's last sync failed; its entities are
	// those of the last good sync, if any.
	ProblemSyncFailed = "sync-failed"
	// ProblemFileRefused: a file (or one document of it) could not be
	// read: YAML syntax, not UTF-8, too large, a missing target.
	ProblemFileRefused = "file-refused"
	// ProblemEntityRefused: an entity's newest version was refused and no
	// earlier version is kept (new and already broken, or another location
	// provides it).
	ProblemEntityRefused = "entity-refused"
	// ProblemEntityKept: an entity's newest version was refused, or its
	// file no longer reads; its last good version is kept and shown.
	ProblemEntityKept = "entity-kept"
	// ProblemTargetRefused: a Location target into another repository is
	// not followed, since it would loop.
	ProblemTargetRefused = "target-refused"
	// ProblemPushFailed: a commit made in the app did not reach the remote
	// at the last try.
	ProblemPushFailed = "push-failed"
	// ProblemPushConflict: a commit made in the app conflicts with the
	// remote's changes and waits on a branch to be settled.
	ProblemPushConflict = "push-conflict"
)

// ProblemQuery selects problems. Empty fields match all.
type ProblemQuery struct {
	// Location keeps the problems of one location, by id.
	Location string `json:"location,omitempty"`
	// Owner keeps problems of entities owned by this entity ref ("group"
	// is the default kind); "me" is the user and their groups, as "Owned
	// by me" in the catalog. Problems of no known entity never match.
	Owner string `json:"owner,omitempty"`
	// Kind keeps one kind of problem (ProblemSyncFailed, ...).
	Kind string `json:"kind,omitempty"`
	// EntityKind keeps problems of entities of one kind, case-insensitively.
	EntityKind string `json:"entityKind,omitempty"`
	// Text matches message, file, field, entity and location,
	// case-insensitively.
	Text string `json:"text,omitempty"`
	// Offset and Limit page the list; Limit 0 is 100, at most 1000.
	Offset int `json:"offset,omitempty"`
	Limit  int `json:"limit,omitempty"`
}

// Problem is one thing keeping the catalog from showing what its files
// say, with where it is and who last changed it.
type Problem struct {
	// Kind is one of the Problem* kinds.
	Kind        string `json:"kind"`
	LocationID  string `json:"locationId"`
	LocationURL string `json:"locationUrl"`
	// File is a path in the location's repository, or a URL for a file
	// read by URL; empty for a location's own problem.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Entity is the ref of the entity concerned, when known; EntityKind
	// and Owner (an entity ref) are known for one the catalog holds.
	Entity     string `json:"entity,omitempty"`
	EntityKind string `json:"entityKind,omitempty"`
	Owner      string `json:"owner,omitempty"`
	// Commit is the last commit that changed File in the local clone, with
	// its author and time: most often the one that brought the problem.
	// Empty when the clone cannot tell in time.
	Commit      string `json:"commit,omitempty"`
	Author      string `json:"author,omitempty"`
	CommittedAt string `json:"committedAt,omitempty"`
	// Since is when the problem is known to have begun: the first failed
	// sync, the commit's time, or when the outbox entry was made.
	Since string `json:"since,omitempty"`
	// LocalFile is File in the user's own checkout of a local location,
	// for Open; empty when there is none.
	LocalFile string `json:"localFile,omitempty"`
}

// ProblemList is a page of problems, ordered by location, file and
// position; Total counts all matches.
type ProblemList struct {
	Items []Problem `json:"items"`
	Total int       `json:"total"`
}
