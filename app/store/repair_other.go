//go:build !unix

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// dropMemtable removes nothing where there is no flock to keep a running
// writer's files safe: the store stays as Badger left it.
func dropMemtable(dir, _ string) error {
	return fmt.Errorf("no lock to repair %s under", dir)
}

// heldByWriter says whether a writer's pid file is in dir (see the unix
// version; here a lock is a file Windows removes with its last handle).
func heldByWriter(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "LOCK"))
	return !errors.Is(err, fs.ErrNotExist)
}
