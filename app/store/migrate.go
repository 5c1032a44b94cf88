package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// migration takes a store from format from to from+1. Its run must be
// idempotent: a process stopped during it runs it again at the next open.
// It keeps every record the user made (settings, stars, recent, the
// outbox, runs, the locations as added) and may drop derived data it
// cannot convert, leaving the locations that held it never synced.
type migration struct {
	from  int
	about string
	run   func(ctx context.Context, d *DB) error
}

// migrations are every format's way to the next, in order.
func migrations() []migration {
	return []migration{
		{from: 1, about: "one entity set per location becomes generations",
			run: func(ctx context.Context, d *DB) error { return d.rebuild(ctx, "e/", "r/", "le/", "lr/") }},
		{from: 2, about: "entities stored typed and as their document become their document only",
			run: func(ctx context.Context, d *DB) error { return d.rebuild(ctx, pGen, pClaim) }},
		{from: 3, about: "entities keyed by uid, in the order the catalog API pages them",
			run: func(ctx context.Context, d *DB) error { return d.rekeyEntities(ctx) }},
	}
}

// rekeyEntities moves every generation's entities from their format-3
// keys (g/<id>/<gen>/e/<ref>) to entityKey, values as they are, so no
// location needs a sync (or the network) again. The copies are written
// in the order of their new keys and the old keys deleted in theirs:
// written in the order they are found, the new keys would land all over
// the key range, and Badger's compactions would merge every table with
// every other (a 100,000-entity store's migration peaked 165 MB higher).
// Keys already moved are left, so a stopped run resumes.
func (d *DB) rekeyEntities(ctx context.Context) error {
	type move struct{ from, to string }
	var moves []move // in the order of from
	err := d.db.View(func(txn *badger.Txn) error {
		return scanKeys(txn, pGen, func(k []byte) error {
			if prefix, ref, ok := format3EntityKey(string(k)); ok {
				moves = append(moves, move{from: string(k), to: entityKey(prefix, ref)})
			}
			return ctx.Err()
		})
	})
	if err != nil {
		return fmt.Errorf("rekey entities: list them: %w", err)
	}
	byTo := slices.Clone(moves)
	slices.SortFunc(byTo, func(a, b move) int { return strings.Compare(a.to, b.to) })
	if err := writeEach(ctx, d.db, byTo, func(txn *badger.Txn, wb *badger.WriteBatch, m move) error {
		item, err := txn.Get([]byte(m.from))
		if err != nil {
			return fmt.Errorf("read %s: %w", m.from, err)
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return fmt.Errorf("read %s: %w", m.from, err)
		}
		return wb.Set([]byte(m.to), v)
	}); err != nil {
		return fmt.Errorf("rekey entities: copy them: %w", err)
	}
	if err := writeEach(ctx, d.db, moves, func(_ *badger.Txn, wb *badger.WriteBatch, m move) error {
		return wb.Delete([]byte(m.from))
	}); err != nil {
		return fmt.Errorf("rekey entities: delete the old keys: %w", err)
	}
	d.log.Info("rekeyed entities", "entities", len(moves))
	return nil
}

// writeEach calls fn for each of items in turn, with a read transaction
// and a write batch it then flushes.
func writeEach[T any](ctx context.Context, db *badger.DB, items []T, fn func(*badger.Txn, *badger.WriteBatch, T) error) error {
	wb := db.NewWriteBatch()
	defer wb.Cancel()
	err := db.View(func(txn *badger.Txn) error {
		for _, it := range items {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(txn, wb, it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return wb.Flush()
}

// format3EntityKey splits an entity's key of format 3 into its
// generation's prefix and the ref; ok is false for any other key,
// including one already in the form of entityKey.
func format3EntityKey(k string) (prefix, ref string, ok bool) {
	id, rest, _ := strings.Cut(k[len(pGen):], "/") // ids hold no slash
	gen, rest, _ := strings.Cut(rest, "/")
	ref, ok = strings.CutPrefix(rest, sEntity)
	if !ok || id == "" || len(gen) != 16 {
		return "", "", false
	}
	if uid, r, _ := strings.Cut(ref, "/"); len(uid) == 36 && UID(r) == uid {
		return "", "", false
	}
	return pGen + id + "/" + gen + "/", ref, true
}

// locationBatch is how many location records one transaction rewrites: an
// organisation's location lists its repositories, so a record may be
// large, and Badger refuses a transaction past a fraction of its memtable.
const locationBatch = 100

// BackupName is the file in the data dir holding the user's records as
// they were before the last migration, in Badger's backup format.
const BackupName = "store-backup.badger"

// migrate runs the migrations from format from to this code's. Each step
// first records, in one transaction, the step's target format and a
// marker: an older Callboard then refuses the store rather than read it
// half-migrated, and the next open resumes the step (resume) after a
// stop.
func (d *DB) migrate(ctx context.Context, from int, resume bool) error {
	if !resume && d.dir != "" {
		if err := d.backup(ctx, filepath.Join(filepath.Dir(d.dir), BackupName)); err != nil {
			return err
		}
	}
	steps := migrations()
	for f := from; f < format; f++ {
		i := slices.IndexFunc(steps, func(m migration) bool { return m.from == f })
		if i < 0 {
			return fmt.Errorf("migrate the store from format %d: no migration", f)
		}
		d.log.Info("migrating the store", "from", f, "to", f+1, "step", steps[i].about)
		if err := d.db.Update(func(txn *badger.Txn) error {
			if err := putJSON(txn, migratingKey, f); err != nil {
				return err
			}
			return putJSON(txn, formatKey, f+1)
		}); err != nil {
			return fmt.Errorf("migrate the store from format %d: mark it: %w", f, err)
		}
		if err := steps[i].run(ctx, d); err != nil {
			return fmt.Errorf("migrate the store from format %d: %w", f, err)
		}
		if err := d.db.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(migratingKey)) }); err != nil {
			return fmt.Errorf("migrate the store from format %d: finish: %w", f, err)
		}
	}
	return nil
}

// rebuild drops the derived data under prefixes, which a migration cannot
// convert, and marks every location never synced, so the window shows it
// waiting for a sync rather than stale entities, and the next sync reads
// the clone again. Locations go first: a stop between the two leaves keys
// of generations no location points at, which Open sweeps anyway.
func (d *DB) rebuild(ctx context.Context, prefixes ...string) error {
	var locs []Location
	if err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pLocation, func(k, v []byte) error {
			var l Location
			if err := json.Unmarshal(v, &l); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			locs = append(locs, l)
			return nil
		})
	}); err != nil {
		return fmt.Errorf("read locations: %w", err)
	}
	for batch := range slices.Chunk(locs, locationBatch) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := d.db.Update(func(txn *badger.Txn) error {
			for _, l := range batch {
				if err := putJSON(txn, pLocation+l.ID, neverSynced(l)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("mark locations never synced: %w", err)
		}
	}
	bs := make([][]byte, len(prefixes))
	for i, p := range prefixes {
		bs[i] = []byte(p)
	}
	if err := d.db.DropPrefix(bs...); err != nil {
		return fmt.Errorf("drop %s: %w", strings.Join(prefixes, ", "), err)
	}
	return nil
}

// neverSynced is what a rebuild keeps of a location: what the user added
// (URL, branch, path, what an organisation discovers, whether its history
// is wanted whole) and where it sits among derived locations. Its Version
// moves on, so nothing cached for the entities it held is used again.
func neverSynced(l Location) Location {
	return Location{ID: l.ID, URL: l.URL, Branch: l.Branch, Path: l.Path, Version: l.Version + 1, Org: orgSource(l.Org), FullHistory: l.FullHistory,
		Links: Links{Parents: l.Parents, Derived: l.Derived, RepoID: l.RepoID}}
}

// orgSource is what a rebuild keeps of an organisation: what to discover.
func orgSource(o *Org) *Org {
	if o == nil {
		return nil
	}
	return &Org{Source: o.Source, Teams: o.Teams}
}

// backup writes every key but derived data to path, replacing the backup
// an earlier migration left: one is kept, of the user's records alone
// (kilobytes where the whole store may be hundreds of megabytes). It is
// written beside and renamed into place, so a stop leaves the old one.
func (d *DB) backup(ctx context.Context, path string) error {
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("back up the store: %w", err)
	}
	defer os.Remove(tmp)
	tops, err := d.recordPrefixes()
	if err != nil {
		f.Close()
		return fmt.Errorf("back up the store: %w", err)
	}
	// One stream per namespace of records, each appending to the file
	// (Load reads the lists one after another): a stream over the whole
	// store reads every generation only to leave it out, which at
	// 100,000 entities took 10 s and 742 MB of heap.
	for _, top := range tops {
		st := d.db.NewStream()
		st.LogPrefix = "store backup"
		st.Prefix = []byte(top)
		st.NumGo = 1
		st.ChooseKey = func(item *badger.Item) bool { return !isDerived(item.Key()) }
		if _, err := st.Backup(f, 0); err != nil {
			f.Close()
			return fmt.Errorf("back up the store to %s: %w", tmp, err)
		}
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("back up the store to %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("back up the store: %w", err)
	}
	d.log.Info("backed up the store's records", "path", path)
	return ctx.Err()
}

// recordPrefixes are the namespaces of the store's keys (the part up to
// and including the first slash, or a whole key without one) that hold
// something isDerived leaves out, found by seeking past each namespace.
func (d *DB) recordPrefixes() ([]string, error) {
	var tops []string
	err := d.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); {
			k := it.Item().Key()
			top := string(k)
			if i := bytes.IndexByte(k, '/'); i >= 0 {
				top = string(k[:i+1])
			}
			if !isDerived([]byte(top)) {
				tops = append(tops, top)
			}
			// Every key with the prefix top sorts before top with its
			// last byte one higher: a slash becomes a zero.
			next := []byte(top)
			next[len(next)-1]++
			it.Seek(next)
		}
		return nil
	})
	return tops, err
}

// isDerived says whether k holds data read again from the clones or the
// network, in any format: a backup leaves it out.
func isDerived(k []byte) bool {
	for _, p := range []string{pGen, pClaim, pOrgListing, pBackstage, pRemoteFile, pRemoteUses, pFacts, pScorecard, pQuestion, pQuestionState, pDecision, pDecisionFolder, pDecisionState, "e/", "r/", "le/", "lr/"} {
		if strings.HasPrefix(string(k), p) {
			return true
		}
	}
	return false
}
