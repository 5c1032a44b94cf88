package store

import "fmt"

// minFree is the free space the store wants before it writes a sync: a
// value log file and both memtables (see Open), which Badger maps into
// memory and fills in place, and a margin. Running out of space inside a
// mapped file is a crash, not an error, so the store refuses early instead.
const minFree = 64<<20 + 2*8<<20 + 16<<20

// CheckSpace returns an error wrapping ErrDiskFull, naming the folder and
// the space free, when the disk of the store has less than it needs.
func (d *DB) CheckSpace() error {
	if d.dir == "" {
		return nil
	}
	free, err := freeSpace(d.dir)
	if err != nil {
		return nil // unknown: let the write try, and fail on its own if it must
	}
	if free < minFree {
		return fmt.Errorf("%w: the disk holding %s has %d MiB free, the store needs %d MiB to write safely: free some space, then sync again",
			ErrDiskFull, d.dir, free>>20, minFree>>20)
	}
	return nil
}
