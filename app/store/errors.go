package store

import "errors"

// ErrLocked means another process holds the data dir's store open.
var ErrLocked = errors.New("store is in use by another process")

// ErrDiskFull means the disk holding the store has too little free space
// to write safely; nothing was written.
var ErrDiskFull = errors.New("disk full")

// ErrStale means a snapshot reused an entity (catalog.Processed.Reused)
// that the store does not hold: the caller must process again without
// reuse. It happens when an entity another location held is given up.
var ErrStale = errors.New("the snapshot reuses an entity the store does not hold")

// ErrTooLarge means a record is over what the store keeps of one; nothing
// was written.
var ErrTooLarge = errors.New("record too large")

// ErrNewerRecord means a record was written in a newer format than this
// code reads, by a newer Callboard.
var ErrNewerRecord = errors.New("record written by a newer Callboard")

// ErrNotOrg means a location asked for its organisation's listing is not
// a discovered organisation (or is gone).
var ErrNotOrg = errors.New("not an organisation's location")

// ErrNotReadable means a store cannot be read without writing to it
// first: there is none yet, its format is older, or a writer must finish
// something. OpenReadOnly returns it; the caller opens the store for
// writing instead.
var ErrNotReadable = errors.New("store needs a writer first")

// ErrNewerStore means a store is in a newer format than this build reads:
// a newer Callboard wrote it. The error is a *NewerError, which says which
// Callboard to install.
var ErrNewerStore = errors.New("store written by a newer Callboard")

// ErrNotIncremental means a Patch cannot be applied on its own (the
// set changed since it was computed, or what it touches meets another
// file's or location's entities): nothing was written, and the caller
// writes the whole set instead.
var ErrNotIncremental = errors.New("the change needs the whole set")

// ErrNotBackstage means a location asked for its Backstage sync state is
// not an organisation's Backstage (or is gone).
var ErrNotBackstage = errors.New("not a Backstage location")
