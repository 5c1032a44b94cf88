package store

import "errors"

// ErrLocked means another process holds the data dir's store open.
var ErrLocked = errors.New("store is in use by another process")
