package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// OpenReadOnly opens the store in dir for reading alone, as a one-shot
// command does: several such readers may share it, but not with a writer
// (ErrLocked). It starts no compaction or value log GC, keeps small
// caches, and neither sweeps nor upgrades: a store that is missing,
// written in another format or holding a crash's leftovers Badger would
// have to repair yields an error wrapping ErrNotReadable, and Open is the
// way in. Every write through the DB fails.
func OpenReadOnly(ctx context.Context, dir string, log *slog.Logger) (*DB, error) {
	if _, err := os.Stat(filepath.Join(dir, badger.ManifestFilename)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open store %s: %w", dir, ErrNotReadable)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	db, err := openBadger(ctx, readOnlyOptions(dir, log))
	if err != nil {
		if isLocked(err) {
			return nil, fmt.Errorf("open store %s: %w", dir, ErrLocked)
		}
		// A log Badger would truncate or replay in a writer: let one do it.
		return nil, fmt.Errorf("open store %s read-only: %w: %v", dir, ErrNotReadable, err)
	}
	d := &DB{db: db, log: log, dir: dir, maxEntity: valueLogSize / 2}
	var m Meta
	if err := db.View(func(txn *badger.Txn) error {
		var err error
		m, _, err = readMeta(txn)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	switch {
	case m.Format > format:
		db.Close()
		return nil, &NewerError{Dir: dir, Format: m.Format, Writer: m.Writer}
	case m.Format != format || m.Migrating != 0:
		db.Close()
		return nil, fmt.Errorf("open store %s: format %d, not %d, or a migration to finish: %w", dir, m.Format, format, ErrNotReadable)
	}
	return d, ctx.Err()
}

// readOnlyOptions open a store for reading a few keys: Badger's 64 MB
// table and 256 MB cache defaults would be paid in memory and start-up
// for nothing. log may be nil (no logging).
func readOnlyOptions(dir string, log *slog.Logger) badger.Options {
	opts := badger.DefaultOptions(dir).
		WithReadOnly(true).
		WithLoggingLevel(badger.ERROR).
		WithNumVersionsToKeep(1).
		WithValueLogFileSize(valueLogSize).
		WithMemTableSize(8 << 20).
		WithNumMemtables(2).
		WithBlockCacheSize(1 << 20).
		WithIndexCacheSize(1 << 20).
		WithNumCompactors(0).
		WithDetectConflicts(false)
	if log == nil {
		return opts.WithLogger(nil)
	}
	return opts.WithLogger(badgerLogger{log})
}
