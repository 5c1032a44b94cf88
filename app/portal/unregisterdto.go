package portal

// What unregistering an entity does.
const (
	// UnregisterLocation removes the location the app added, whose root
	// file holds the entity, with every entity it provides.
	UnregisterLocation = "remove-location"
	// UnregisterFile commits the removal of the entity's file, which a
	// commit made in the app added, through the outbox.
	UnregisterFile = "delete-file"
	// UnregisterNone: the entity was not registered from the app; the
	// inspector's ancestry says how it got here, and its file is where
	// to take it out.
	UnregisterNone = "none"
)

// Unregistration says how an entity leaves the catalog, and, once done,
// what was done.
type Unregistration struct {
	Ref string `json:"ref"`
	// Action is UnregisterLocation, UnregisterFile or UnregisterNone.
	Action     string `json:"action"`
	LocationID string `json:"locationId"`
	// File is the entity's file in the location's repository.
	File string `json:"file"`
	// Reason says why this action, or why none, in a sentence.
	Reason string `json:"reason"`
	// Leaving are the other entities that go with it: the location's or
	// the file's, at most 50; LeavingTotal counts them all.
	Leaving      []string `json:"leaving"`
	LeavingTotal int      `json:"leavingTotal"`
	// Done is set when the entity was unregistered (not on a dry run).
	Done bool `json:"done,omitempty"`
	// Commit is the outbox commit that removed the file (UnregisterFile).
	Commit string `json:"commit,omitempty"`
}
