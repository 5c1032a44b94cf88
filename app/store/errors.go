package store

import "errors"

// ErrLocked means another process holds the data dir's store open.
var ErrLocked = errors.New("store is in use by another process")

// ErrDiskFull means the disk holding the store has too little free space
// to write safely; nothing was written.
var ErrDiskFull = errors.New("disk full")
