package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// format is the store format this code reads and writes. migrate.go takes
// every older one here; docs/architecture.md ("Store") says how to add a
// format.
const format = 4

// Meta is what a store says about itself.
type Meta struct {
	// Format is the store's format: 1 for a store from before formats were
	// recorded, 0 for an empty one.
	Format int
	// Writer is the Callboard version that last opened the store for
	// writing, "" when none recorded it.
	Writer string
	// Migrating is the format a migration that has not finished started
	// from; 0 when none is under way.
	Migrating int
}

// writerRecord is meta/writer's value.
type writerRecord struct {
	Version string `json:"version"`
	Format  int    `json:"format"`
}

// NewerError is a store in a newer format than this build reads: Open and
// OpenReadOnly refuse it and leave it as it is. It matches ErrNewerStore.
type NewerError struct {
	Dir    string // the store's directory
	Format int    // the store's format
	Writer string // the Callboard that wrote it; "" when unknown
	App    string // this Callboard's version; "" when unknown
}

func (e *NewerError) Error() string {
	this := "this Callboard"
	if e.App != "" {
		this += " (" + e.App + ")"
	}
	install := fmt.Sprintf("a Callboard that reads format %d", e.Format)
	by := ""
	if e.Writer != "" {
		install = "Callboard " + e.Writer + " or newer"
		by = " by Callboard " + e.Writer
	}
	return fmt.Sprintf("the store in %s was written%s in format %d, newer than %s reads (format %d and older): install %s, or use another data dir",
		e.Dir, by, e.Format, this, format, install)
}

// Is makes errors.Is(err, ErrNewerStore) true.
func (e *NewerError) Is(target error) bool { return target == ErrNewerStore }

// readMeta reads the store's own records; ok is false for an empty store.
func readMeta(txn *badger.Txn) (m Meta, ok bool, err error) {
	if ok, err = getJSON(txn, formatKey, &m.Format); err != nil {
		return m, false, fmt.Errorf("read the store format: %w", err)
	}
	var w writerRecord
	if _, err := getJSON(txn, writerKey, &w); err != nil {
		return m, false, fmt.Errorf("read the store's writer: %w", err)
	}
	m.Writer = w.Version
	if _, err := getJSON(txn, migratingKey, &m.Migrating); err != nil {
		return m, false, fmt.Errorf("read the store's migration: %w", err)
	}
	if ok {
		return m, true, nil
	}
	// Format 1 recorded no format.
	it := txn.NewIterator(badger.IteratorOptions{})
	defer it.Close()
	if it.Rewind(); it.Valid() {
		m.Format = 1
		return m, true, nil
	}
	return m, false, nil
}

// ReadMeta reads what the store in dir says about itself without changing
// it, for `callboard version`: ok is false when there is no store. It
// returns an error wrapping ErrLocked while a writer has the store open.
func ReadMeta(ctx context.Context, dir string) (m Meta, ok bool, err error) {
	if _, err := os.Stat(filepath.Join(dir, badger.ManifestFilename)); errors.Is(err, fs.ErrNotExist) {
		return m, false, nil
	}
	db, err := openBadger(ctx, readOnlyOptions(dir, nil))
	if err != nil {
		if isLocked(err) {
			return m, false, fmt.Errorf("read store %s: %w", dir, ErrLocked)
		}
		return m, false, fmt.Errorf("read store %s: %w", dir, err)
	}
	defer db.Close()
	err = db.View(func(txn *badger.Txn) error {
		m, ok, err = readMeta(txn)
		return err
	})
	if err != nil {
		return m, false, fmt.Errorf("read store %s: %w", dir, err)
	}
	return m, ok, ctx.Err()
}

// refuseNewer reads the format of the store in dir before Open writes to
// it (a writer's open alone may rewrite Badger's files), so a store of a
// newer format is left byte for byte as it was. A store it cannot read
// this way is left to the writer's open, which meets the same trouble
// and reports it.
func refuseNewer(ctx context.Context, dir, app string) error {
	if dir == "" {
		return nil
	}
	m, ok, err := ReadMeta(ctx, dir)
	if err != nil || !ok || m.Format <= format {
		return nil
	}
	return &NewerError{Dir: dir, Format: m.Format, Writer: m.Writer, App: app}
}

// upgrade brings the store to this code's format, refusing a newer one
// (NewerError) and migrating an older one, and records app as its writer.
func (d *DB) upgrade(ctx context.Context, app string) error {
	var m Meta
	var ok bool
	err := d.db.View(func(txn *badger.Txn) error {
		var err error
		m, ok, err = readMeta(txn)
		return err
	})
	switch {
	case err != nil:
		return err
	case m.Format > format:
		return &NewerError{Dir: d.dir, Format: m.Format, Writer: m.Writer, App: app}
	case !ok:
		m.Format = format
	case m.Migrating != 0:
		d.log.Warn("finishing a migration a stopped process began", "from", m.Migrating, "to", m.Format)
		if err := d.migrate(ctx, m.Migrating, true); err != nil {
			return err
		}
	case m.Format < format:
		if err := d.migrate(ctx, m.Format, false); err != nil {
			return err
		}
	}
	return d.db.Update(func(txn *badger.Txn) error {
		if err := putJSON(txn, formatKey, format); err != nil {
			return err
		}
		if app == "" || (m.Writer == app && m.Format == format) {
			return nil
		}
		return putJSON(txn, writerKey, writerRecord{Version: app, Format: format})
	})
}

// Format is the store format this build reads and writes; `callboard
// version` shows it, so a user can tell which builds share a data dir.
const Format = format
