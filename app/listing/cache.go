package listing

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/callboard/callboard/app/store"
)

// Cache keeps each location's rows in a file between starts: with 100,000
// entities, reading them back is several times quicker than projecting
// every entity from the store again. It is derived data, saved with the
// location's store Version and used only while that Version holds.
type Cache struct {
	// Dir holds the files, listing-<location id>.bin; "" keeps nothing.
	Dir string
}

func (c Cache) path(id string) string {
	return filepath.Join(c.Dir, "listing-"+id+".bin")
}

// Load returns the rows saved for location id at its store Version
// version. ok is false when there are none: no file, rows of another
// Version, or a file written by another codec version. An error wrapping
// ErrCorrupt means the file does not decode; either way the caller reads
// the rows from the store and saves them again.
func (c Cache) Load(id string, version uint64) (rows []store.Row, ok bool, err error) {
	if c.Dir == "" {
		return nil, false, nil
	}
	b, err := os.ReadFile(c.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read the listing cache of location %s: %w", id, err)
	}
	rows, ok, err = decode(b, version)
	if err != nil {
		return nil, false, fmt.Errorf("read the listing cache of location %s: %w", id, err)
	}
	return rows, ok, nil
}

// Save writes rows as location id's at store Version version. The file
// is replaced whole (written aside, then renamed), so a crash leaves the
// old cache or the new one.
func (c Cache) Save(id string, version uint64, rows []store.Row) error {
	if c.Dir == "" {
		return nil
	}
	path := c.path(id)
	tmp := path + ".tmp"
	err := os.MkdirAll(c.Dir, 0o700)
	if err == nil {
		err = os.WriteFile(tmp, encode(version, rows), 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("save the listing cache of location %s: %w", id, err)
	}
	return nil
}
