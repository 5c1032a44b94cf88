package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// valueLogSize is the size of Badger's value log files, which is also
// the largest value it takes: a bigger one fails the write it is in.
const valueLogSize = 64 << 20

// memTableSize is the size of Badger's memtables (open).
const memTableSize = 4 << 20

// memTableFor is the memtable size to open dir with: memTableSize, or
// more when a memtable file is larger than its log would be (twice the
// memtable): one a crash left from a version with larger memtables, whose
// entries Badger replays into a memtable of the size opened with, and
// exits when they do not fit.
func memTableFor(dir string) int64 {
	size := int64(memTableSize)
	if dir == "" {
		return size
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		return size // a new store, or one Badger will say what is wrong with
	}
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".mem") {
			continue
		}
		if fi, err := f.Info(); err == nil && fi.Size() > 2*size {
			size = fi.Size() / 2
		}
	}
	return size
}

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
	// gens is the current generations last read by Records.
	gens gensCache
	// keptNotificationKeys bounds the notification keys remembered; 0 is
	// MaxNotificationKeys (tests lower it).
	keptNotificationKeys int
}

// Open opens the store in dir, or in memory when dir is "", as OpenAs with
// no version to record.
func Open(ctx context.Context, dir string, log *slog.Logger) (*DB, error) {
	return open(ctx, dir, "", log, valueLogSize)
}

// OpenAs opens the store in dir for Callboard version app, which it
// records as the store's writer. It migrates a store of an older format
// (migrate.go) and returns a *NewerError for a newer one, and an error
// wrapping ErrLocked when another process has dir open.
func OpenAs(ctx context.Context, dir, app string, log *slog.Logger) (*DB, error) {
	return open(ctx, dir, app, log, valueLogSize)
}

// open is OpenAs with value log files of vlog bytes (tests make them small).
func open(ctx context.Context, dir, app string, log *slog.Logger, vlog int64) (*DB, error) {
	if err := refuseNewer(ctx, dir, app); err != nil {
		return nil, err
	}
	opts := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithLoggingLevel(badger.WARNING).
		WithNumVersionsToKeep(1).
		// Sized for a laptop app, not a server: Badger's defaults (64 MB
		// memtables, a 256 MB block cache) would dwarf the catalog itself.
		// The block cache hit 4% of reads in a full index build
		// (BENCHMARKS.md, issue 20): a small one costs little.
		// A memtable's flush builds its level-0 table in memory, in
		// buffers that double from twice the base table size: 4 MB
		// memtables fit in 14 MB of them where 8 MB ones took 28 MB, a
		// third of a first sync's live heap at 10,000 entities
		// (BENCHMARKS.md, issue 20). Badger wants the value threshold
		// under a batch (15% of a memtable).
		WithValueLogFileSize(vlog).
		WithMemTableSize(memTableFor(dir)).
		WithValueThreshold(memTableSize / 8).
		// Level 0 compacted from 8 tables, not 5, and writes stalled at
		// 16, not 15: a first sync rewrites level 0 into the base level
		// fewer times while it writes (10,000 entities: 120-131 MiB at
		// the peak against 139-146; BENCHMARKS.md, issue 20).
		WithNumLevelZeroTables(8).
		WithNumLevelZeroTablesStall(16).
		WithNumMemtables(2).
		WithBlockCacheSize(4 << 20).
		WithIndexCacheSize(8 << 20).
		// Tables of 1 MB at every level, not 2 MB doubling per level:
		// a compaction holds each table it builds in memory whole, its
		// blocks uncompressed (about three times the table, which is
		// filled to its size compressed) and their compressed copies,
		// with up to 8 + splits builders at once. At 100,000 entities
		// a first sync's compactions held 340 MB of them at the peak,
		// now 120 (BENCHMARKS.md, issue 20).
		WithBaseTableSize(1 << 20)
	opts.TableSizeMultiplier = 1
	if dir == "" {
		opts = opts.WithInMemory(true)
	}
	db, err := openRepairing(ctx, opts)
	if err != nil {
		if isLocked(err) {
			return nil, fmt.Errorf("open store %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	d := &DB{db: db, log: log, dir: dir, maxEntity: int(vlog / 2)}
	if err := d.upgrade(ctx, app); err != nil {
		db.Close()
		if errors.Is(err, ErrNewerStore) {
			return nil, err
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if err := d.sweep(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if dir != "" {
		// What a crash left of a streamed generation's relation runs
		// (relruns.go); the directory lock says no writer owns it.
		if err := removeRelRuns(dir); err != nil {
			log.Warn("remove what a crash left", "err", err)
		}
	}
	return d, ctx.Err()
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
