package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// format is the store format this code reads and writes. Older formats
// are rebuilt from the clones: 1 kept one set per location, 2 stored each
// entity's metadata and spec twice (typed, and in its document).
const format = 3

// valueLogSize is the size of Badger's value log files, which is also
// the largest value it takes: a bigger one fails the write it is in.
const valueLogSize = 64 << 20

// DB is the Badger-backed store of one data dir.
type DB struct {
	db  *badger.DB
	log *slog.Logger
	dir string // "" in memory
	// writes serialises location writers, so two syncs never claim the
	// same entity at once.
	writes sync.Mutex
	// maxEntity is the largest entity record written: half a value log
	// file, so Badger never refuses one and fails a location's whole write.
	// The catalog already refuses entities over catalog.MaxEntitySize;
	// this guards the store on its own.
	maxEntity int
	// retries lets transactions that lost a conflict try again one at a
	// time (update).
	retries sync.Mutex
}

// Open opens the store in dir, or in memory when dir is "". It returns an
// error wrapping ErrLocked when another process has dir open.
func Open(ctx context.Context, dir string, log *slog.Logger) (*DB, error) {
	return open(ctx, dir, log, valueLogSize)
}

// open is Open with value log files of vlog bytes (tests make them small).
func open(ctx context.Context, dir string, log *slog.Logger, vlog int64) (*DB, error) {
	opts := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithLoggingLevel(badger.WARNING).
		WithNumVersionsToKeep(1).
		// Sized for a laptop app, not a server: Badger's defaults (64 MB
		// memtables, a 256 MB block cache) would dwarf the catalog itself.
		WithValueLogFileSize(vlog).
		WithMemTableSize(8 << 20).
		WithNumMemtables(2).
		WithBlockCacheSize(16 << 20).
		WithIndexCacheSize(8 << 20)
	if dir == "" {
		opts = opts.WithInMemory(true)
	}
	db, err := badger.Open(opts)
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, fmt.Errorf("open store %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	d := &DB{db: db, log: log, dir: dir, maxEntity: int(vlog / 2)}
	if err := d.checkFormat(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if err := d.sweep(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return d, ctx.Err()
}

// checkFormat refuses a store written by a newer Callboard and rebuilds
// an older one: its data is dropped and its locations are kept, marked
// never synced, so the next sync fills it again from the clones.
func (d *DB) checkFormat() error {
	var got int
	var empty bool
	err := d.db.View(func(txn *badger.Txn) error {
		ok, err := getJSON(txn, formatKey, &got)
		if err != nil || ok {
			return err
		}
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		it.Rewind()
		empty = !it.Valid()
		return nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("read store format: %w", err)
	case got > format:
		return fmt.Errorf("the store has format %d, newer than this Callboard reads (%d): use a newer Callboard or another --data-dir", got, format)
	case got == format:
		return nil
	case got == 0 && !empty:
		got = 1
	}
	if got != 0 {
		d.log.Info("rebuilding an older store", "format", got, "now", format)
		locs, err := d.Locations(context.Background())
		if err != nil {
			return err
		}
		if err := d.db.DropAll(); err != nil {
			return fmt.Errorf("drop the old store: %w", err)
		}
		for _, l := range locs {
			if err := d.PutLocation(context.Background(), Location{ID: l.ID, URL: l.URL, Branch: l.Branch, Path: l.Path, Org: orgSource(l.Org), FullHistory: l.FullHistory,
				Links: Links{Parents: l.Parents, Derived: l.Derived, RepoID: l.RepoID}}); err != nil {
				return err
			}
		}
	}
	return d.db.Update(func(txn *badger.Txn) error { return putJSON(txn, formatKey, format) })
}

// Close flushes and closes the store.
func (d *DB) Close() error {
	return d.db.Close()
}

// badgerLogger routes Badger's own logging into slog.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) Errorf(f string, a ...any)   { l.log.Error("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Warningf(f string, a ...any) { l.log.Warn("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Infof(f string, a ...any)    { l.log.Debug("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Debugf(f string, a ...any)   { l.log.Debug("badger", "msg", fmt.Sprintf(f, a...)) }

// orgSource is what a rebuild keeps of an organisation: what to discover.
func orgSource(o *Org) *Org {
	if o == nil {
		return nil
	}
	return &Org{Source: o.Source, Teams: o.Teams}
}
