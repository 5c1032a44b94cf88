package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

// The key layout (docs/architecture.md has the why). A location's data lives
// under its generation; the location record names the current one, so a
// new set of any size is written first and swapped in by one small
// transaction that updates the record. Keys of other generations are
// garbage, swept after the swap and at open.
const (
	formatKey   = "meta/format" // → the store format version
	settingsKey = "u/settings"  // → Settings: the user's choices
	starsKey    = "u/stars"     // → []string: refs the user starred, sorted
	recentKey   = "u/recent"    // → []string: refs the user opened last, newest first
	pLocation   = "l/"          // l/<id> → Location
	pGen        = "g/"          // g/<id>/<gen>/…: a generation's data
	pClaim      = "o/"          // o/<ref>\x00<id>\x00<gen> → first-claim time: who provides ref
	pOutbox     = "x/"          // x/<id>/<seq> → OutboxEntry; seq is hex time, so entries list in commit order
	pRun        = "s/"          // s/<id> → a template run's record (JSON); ids sort by start time
	sEntity     = "e/"          // g/<id>/<gen>/e/<ref> → Entity
	sOut        = "r/"          // g/<id>/<gen>/r/<source>\x00<chunk> → []Relation going out of source
	sIn         = "i/"          // g/<id>/<gen>/i/<target>\x00<chunk> → []Relation coming in (Target holds the source)
	// relationChunk is how many relations one key holds, so a group that
	// owns thousands of entities stays under Badger's value size limit.
	relationChunk = 1000
	// valueLogSize is the size of Badger's value log files, which is also
	// the largest value it takes: a bigger one fails the write it is in.
	valueLogSize = 64 << 20
)

// tooLarge is the error of an entity whose record is over d.maxEntity:
// it is left out of the location's set rather than failing the write.
func (d *DB) tooLarge(p catalog.Processed, size int) catalog.Error {
	ref := p.Entity.Ref().String()
	return catalog.Error{File: p.Source.File, Line: p.Source.Line, Column: p.Source.Column, Entity: ref,
		Message: fmt.Sprintf("%s is %.1f MB as stored, over the %.1f MB the store keeps of one entity", ref, float64(size)/(1<<20), float64(d.maxEntity)/(1<<20))}
}

// format is the store format this code reads and writes. Older formats
// are rebuilt from the clones: 1 kept one set per location, 2 stored each
// entity's metadata and spec twice (typed, and in its document).
const format = 3

func genPrefix(id string, gen uint64) string {
	return fmt.Sprintf("%s%s/%016x/", pGen, id, gen)
}

func claimKey(ref, id string, gen uint64) string {
	return fmt.Sprintf("%s%s\x00%s\x00%016x", pClaim, ref, id, gen)
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
			if err := d.PutLocation(context.Background(), Location{ID: l.ID, URL: l.URL, Branch: l.Branch, Path: l.Path}); err != nil {
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

// PutLocation creates or updates a location's record.
func (d *DB) PutLocation(ctx context.Context, loc Location) error {
	return d.update(ctx, func(txn *badger.Txn) error {
		return putJSON(txn, pLocation+loc.ID, loc)
	})
}

// Location returns a location; ok is false when there is none with that id.
func (d *DB) Location(ctx context.Context, id string) (loc Location, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		ok, err = getJSON(txn, pLocation+id, &loc)
		return err
	})
	return loc, ok, err
}

// Locations returns every location, ordered by id.
func (d *DB) Locations(ctx context.Context) ([]Location, error) {
	var out []Location
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pLocation, func(_, v []byte) error {
			var l Location
			if err := json.Unmarshal(v, &l); err != nil {
				return err
			}
			out = append(out, l)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	return out, nil
}

// Snapshot is a location's complete processed output at one commit.
type Snapshot struct {
	Commit   string
	Entities []catalog.Processed
	Edges    []catalog.Edge
	Errors   []catalog.Error
	// Kept holds, by ref, the entities of Entities that are a last good
	// version, because their newest version was refused.
	Kept map[string]Kept
	// Local is set for a snapshot of a commit made on this machine rather
	// than fetched: the location's sync state (last success, staleness)
	// stays as it was, so an offline location does not look fresh.
	Local bool
	// Outbox entries are written in the transaction that makes the set
	// visible: an entry that says its commit is in the catalog is never
	// seen without it.
	Outbox []OutboxEntry
}

// Kept says why an entity's newest version was refused and which commit
// the last good version given instead is from.
type Kept struct {
	Errors []catalog.Error
	Commit string
}

// synced records on l that snap is its set.
func (l *Location) synced(snap Snapshot, now time.Time) {
	l.Version++
	if snap.Local {
		return
	}
	l.LastSuccess, l.LastAttempt = now, now
	l.LastError, l.StaleSince, l.Failures = "", time.Time{}, 0
}

// ReplaceLocation swaps location id's entities and relations for snap. A
// small change (entities marked Reused are taken as unchanged) is applied
// in place in one transaction; a large one is written as a new generation,
// in as many batches as it needs, and becomes visible in one transaction
// that points the location at it. Either way a reader or a crash sees the
// old set or the new, never a mix, whatever its size. An entity another
// location already provides is not taken over: it becomes a processing
// error of this location, as in Backstage.
func (d *DB) ReplaceLocation(ctx context.Context, id string, snap Snapshot, now time.Time) error {
	d.writes.Lock()
	defer d.writes.Unlock()
	if err := d.CheckSpace(); err != nil {
		return fmt.Errorf("replace entities of location %s: %w", id, err)
	}
	loc, ok, err := d.Location(ctx, id)
	if err != nil {
		return fmt.Errorf("replace entities of location %s: %w", id, err)
	}
	if !ok {
		return fmt.Errorf("replace entities of location %s: location %s is not registered", id, id)
	}
	err = d.replaceInPlace(ctx, loc, snap, now)
	if err == nil {
		return nil
	}
	if !errors.Is(err, errTooBig) {
		return fmt.Errorf("update entities of location %s: %w", id, err)
	}
	if err := d.replace(ctx, loc, snap, now); err != nil {
		return fmt.Errorf("replace entities of location %s: %w", id, err)
	}
	return nil
}

// replace writes snap as a new generation of loc and swaps it in.
func (d *DB) replace(ctx context.Context, loc Location, snap Snapshot, now time.Time) error {
	id := loc.ID
	gen := loc.Gen + 1
	prefix := genPrefix(id, gen)
	errs := append([]catalog.Error(nil), snap.Errors...)
	owned := make(map[string]bool, len(snap.Entities))
	encoded, encodeErr := encodeEntities(id, snap)
	wb := d.db.NewWriteBatch()
	defer wb.Cancel()
	err := d.db.View(func(txn *badger.Txn) error {
		winners, err := allWinners(txn)
		if err != nil {
			return err
		}
		for i, p := range snap.Entities {
			if err := ctx.Err(); err != nil {
				return err
			}
			ref := p.Entity.Ref().String()
			var claims []claim
			if w, ok := winners[ref]; ok {
				claims = []claim{w}
			}
			since := uint64(now.UnixNano())
			if len(claims) > 0 && claims[0].id != id {
				errs = append(errs, catalog.Error{File: p.Source.File, Line: p.Source.Line, Column: p.Source.Column, Field: "metadata.name", Entity: ref,
					Message: fmt.Sprintf("%s is already provided by location %s; the first location keeps it", ref, claims[0].id)})
				continue
			}
			if len(claims) > 0 {
				since = claims[0].since // keep the original claim across generations
			}
			b := encoded[i]
			if len(b) > d.maxEntity {
				errs = append(errs, d.tooLarge(p, len(b)))
				encoded[i] = nil
				continue
			}
			owned[ref] = true
			if p.Reused && p.Entity.Raw == nil {
				// Unchanged since the last sync: copied as stored.
				item, err := txn.Get([]byte(genPrefix(id, loc.Gen) + sEntity + ref))
				if errors.Is(err, badger.ErrKeyNotFound) {
					return fmt.Errorf("%s: %w", ref, ErrStale)
				}
				if err != nil {
					return err
				}
				if b, err = item.ValueCopy(nil); err != nil {
					return err
				}
			}
			if b == nil {
				return fmt.Errorf("encode %s: %w", ref, encodeErr)
			}
			if err := wb.Set([]byte(prefix+sEntity+ref), b); err != nil {
				return err
			}
			encoded[i] = nil // the batch holds it until written, then it can go
			if err := wb.Set([]byte(claimKey(ref, id, gen)), binary.BigEndian.AppendUint64(nil, since)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Relations are grouped per entity, one key each way: a million
	// relations become a few hundred thousand keys.
	out, in := map[string][]Relation{}, map[string][]Relation{}
	for _, e := range snap.Edges {
		src, dst := e.Source.String(), e.Target.String()
		// An edge belongs to this location when it touches one of its entities.
		if !owned[src] && !owned[dst] {
			continue
		}
		out[src] = append(out[src], Relation{Type: e.Type, Target: dst})
		in[dst] = append(in[dst], Relation{Type: e.Type, Target: src})
	}
	for kind, group := range map[string]map[string][]Relation{sOut: out, sIn: in} {
		for ref, rels := range group {
			if err := setRelations(wb.Set, prefix, kind, ref, rels); err != nil {
				return err
			}
			delete(group, ref)
		}
	}
	if err := wb.Flush(); err != nil {
		d.dropGen(id, gen)
		return fmt.Errorf("write generation %d: %w", gen, err)
	}
	// The swap: one small transaction makes the new generation current.
	err = d.update(ctx, func(txn *badger.Txn) error {
		var cur Location
		ok, err := getJSON(txn, pLocation+id, &cur)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("location %s was removed during the sync", id)
		}
		cur.Gen, cur.HeadCommit = gen, snap.Commit
		cur.synced(snap, now)
		cur.Entities, cur.Errors = len(owned), errs
		if err := putOutbox(txn, snap.Outbox); err != nil {
			return err
		}
		return putJSON(txn, pLocation+id, cur)
	})
	if err != nil {
		d.dropGen(id, gen)
		return err
	}
	d.dropGen(id, loc.Gen)
	return nil
}

// encodeEntities marshals every entity of snap, one worker per CPU: at
// 100,000 entities encoding is a good part of a full write. A nil entry
// failed; err says why.
func encodeEntities(id string, snap Snapshot) ([][]byte, error) {
	out := make([][]byte, len(snap.Entities))
	var once sync.Once
	var firstErr error
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(snap.Entities); i += workers {
				p := snap.Entities[i]
				if p.Reused && p.Entity.Raw == nil {
					continue // copied from the store as it is
				}
				b, err := json.Marshal(record(id, snap, p))
				if err != nil {
					once.Do(func() { firstErr = err })
					continue
				}
				out[i] = b
			}
		})
	}
	wg.Wait()
	return out, firstErr
}

// record is what the store keeps of p, an entity of snap.
func record(id string, snap Snapshot, p catalog.Processed) Entity {
	e := Entity{Entity: p.Entity, LocationID: id, Source: p.Source}
	if kept, ok := snap.Kept[p.Entity.Ref().String()]; ok {
		e.Errors, e.Commit = kept.Errors, kept.Commit
	}
	return e
}

// setRelations writes ref's relations of one direction in chunks.
func setRelations(set func(k, v []byte) error, prefix, kind, ref string, rels []Relation) error {
	for i := 0; i < len(rels); i += relationChunk {
		b, err := json.Marshal(rels[i:min(i+relationChunk, len(rels))])
		if err != nil {
			return err
		}
		if err := set(fmt.Appendf(nil, "%s%s%s\x00%08x", prefix, kind, ref, i/relationChunk), b); err != nil {
			return err
		}
	}
	return nil
}

func binaryTime(t time.Time) []byte { return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())) }

// RemoveLocation unregisters a location; its entities and relations
// disappear with the record, in one transaction, and their keys are swept
// after. Removing an unknown location is not an error.
func (d *DB) RemoveLocation(ctx context.Context, id string) error {
	d.writes.Lock()
	defer d.writes.Unlock()
	loc, ok, err := d.Location(ctx, id)
	if err != nil || !ok {
		return err
	}
	err = d.update(ctx, func(txn *badger.Txn) error {
		var keys [][]byte
		if err := scanKeys(txn, pOutbox+id+"/", func(k []byte) error { keys = append(keys, bytes.Clone(k)); return nil }); err != nil {
			return err
		}
		for _, k := range append(keys, []byte(pLocation+id)) {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove location %s: %w", id, err)
	}
	d.dropGen(id, loc.Gen)
	return nil
}

// dropGen deletes a generation's keys and its claims. Failing leaves
// garbage, which readers ignore and the next open sweeps, so it only logs.
func (d *DB) dropGen(id string, gen uint64) {
	if gen == 0 {
		return
	}
	if err := d.deleteGen(id, gen); err != nil {
		d.log.Warn("sweep an old generation", "location", id, "gen", gen, "err", err)
	}
}

func (d *DB) deleteGen(id string, gen uint64) error {
	prefix := genPrefix(id, gen)
	wb := d.db.NewWriteBatch()
	defer wb.Cancel()
	err := d.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			if err := wb.Delete(k); err != nil {
				return err
			}
			if ref, ok := strings.CutPrefix(string(k[len(prefix):]), sEntity); ok {
				if err := wb.Delete([]byte(claimKey(ref, id, gen))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return wb.Flush()
}

// sweep deletes what a crash or a failed sweep left: generations and
// claims that are not their location's current one.
func (d *DB) sweep(ctx context.Context) error {
	var stale []struct {
		id  string
		gen uint64
	}
	var claims [][]byte
	err := d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pGen)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			id, rest, _ := strings.Cut(string(it.Item().Key()[len(pGen):]), "/")
			genHex, _, _ := strings.Cut(rest, "/")
			gen, _ := strconv.ParseUint(genHex, 16, 64)
			if cur, ok := gens[id]; (!ok || cur != gen) && !seen[id+"/"+genHex] {
				seen[id+"/"+genHex] = true
				stale = append(stale, struct {
					id  string
					gen uint64
				}{id, gen})
			}
		}
		return scanKeys(txn, pClaim, func(k []byte) error {
			_, id, gen := parseClaim(k)
			if cur, ok := gens[id]; !ok || cur != gen {
				claims = append(claims, bytes.Clone(k))
			}
			return ctx.Err()
		})
	})
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	for _, s := range stale {
		if err := d.deleteGen(s.id, s.gen); err != nil {
			return fmt.Errorf("sweep generation %d of %s: %w", s.gen, s.id, err)
		}
	}
	if len(claims) == 0 {
		return nil
	}
	wb := d.db.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range claims {
		if err := wb.Delete(k); err != nil {
			return err
		}
	}
	return wb.Flush()
}

// Settings returns the user's settings; zero values mean the defaults.
func (d *DB) Settings(ctx context.Context) (Settings, error) {
	var s Settings
	err := d.db.View(func(txn *badger.Txn) error {
		_, err := getJSON(txn, settingsKey, &s)
		return err
	})
	if err != nil {
		return Settings{}, fmt.Errorf("read settings: %w", err)
	}
	return s, nil
}

// UpdateSettings applies change to the user's settings in one transaction,
// so two changes made at once (two plugins' settings saved together) both
// land. An error from change is returned and nothing is written.
func (d *DB) UpdateSettings(ctx context.Context, change func(*Settings) error) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		var s Settings
		if _, err := getJSON(txn, settingsKey, &s); err != nil {
			return err
		}
		if err := change(&s); err != nil {
			return err
		}
		return putJSON(txn, settingsKey, s)
	})
	if err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	return nil
}

// MarkSynced records a sync that found the stored set current.
func (d *DB) MarkSynced(ctx context.Context, id string, now time.Time) error {
	return d.update(ctx, func(txn *badger.Txn) error {
		var loc Location
		ok, err := getJSON(txn, pLocation+id, &loc)
		if err != nil || !ok {
			return err
		}
		loc.LastSuccess, loc.LastAttempt = now, now
		loc.LastError, loc.StaleSince, loc.Failures = "", time.Time{}, 0
		return putJSON(txn, pLocation+id, loc)
	})
}

// MarkFailed records a failed sync without touching the location's entities;
// they stay, marked stale since the first failure after a success.
func (d *DB) MarkFailed(ctx context.Context, id string, cause error, now time.Time) error {
	return d.update(ctx, func(txn *badger.Txn) error {
		var loc Location
		ok, err := getJSON(txn, pLocation+id, &loc)
		if err != nil || !ok {
			return err
		}
		loc.LastAttempt, loc.LastError = now, cause.Error()
		loc.Failures++
		if loc.StaleSince.IsZero() && !loc.LastSuccess.IsZero() {
			loc.StaleSince = now
		}
		return putJSON(txn, pLocation+id, loc)
	})
}

// claim is one location's claim on an entity ref in its current generation.
type claim struct {
	id    string
	gen   uint64
	since uint64
}

// currentGens maps each location to its current generation.
func currentGens(txn *badger.Txn) (map[string]uint64, error) {
	gens := map[string]uint64{}
	err := scan(txn, pLocation, func(_, v []byte) error {
		var l Location
		if err := json.Unmarshal(v, &l); err != nil {
			return err
		}
		gens[l.ID] = l.Gen
		return nil
	})
	return gens, err
}

func parseClaim(k []byte) (ref, id string, gen uint64) {
	rest := string(k[len(pClaim):])
	ref, rest, _ = strings.Cut(rest, "\x00")
	id, genHex, _ := strings.Cut(rest, "\x00")
	gen, _ = strconv.ParseUint(genHex, 16, 64)
	return ref, id, gen
}

// claimsOf returns the current claims on ref, the winner (first claimed,
// then lowest location id) first.
func claimsOf(txn *badger.Txn, ref string, gens map[string]uint64) ([]claim, error) {
	var out []claim
	err := scan(txn, pClaim+ref+"\x00", func(k, v []byte) error {
		_, id, gen := parseClaim(k)
		if cur, ok := gens[id]; ok && cur == gen && len(v) == 8 {
			out = append(out, claim{id: id, gen: gen, since: binary.BigEndian.Uint64(v)})
		}
		return nil
	})
	slices.SortFunc(out, func(a, b claim) int {
		if a.since != b.since {
			return cmp.Compare(a.since, b.since)
		}
		return strings.Compare(a.id, b.id)
	})
	return out, err
}

// allWinners maps every ref to its winning current claim, in one scan:
// cheaper than a lookup per entity when a whole location is written.
func allWinners(txn *badger.Txn) (map[string]claim, error) {
	gens, err := currentGens(txn)
	if err != nil {
		return nil, err
	}
	out := map[string]claim{}
	err = scan(txn, pClaim, func(k, v []byte) error {
		ref, id, gen := parseClaim(k)
		if cur, ok := gens[id]; !ok || cur != gen || len(v) != 8 {
			return nil
		}
		c := claim{id: id, gen: gen, since: binary.BigEndian.Uint64(v)}
		if w, ok := out[ref]; !ok || c.since < w.since || c.since == w.since && c.id < w.id {
			out[ref] = c
		}
		return nil
	})
	return out, err
}

// Entity returns the entity with canonical ref; ok is false when absent.
func (d *DB) Entity(ctx context.Context, ref string) (e Entity, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		claims, err := claimsOf(txn, ref, gens)
		if err != nil || len(claims) == 0 {
			return err
		}
		ok, err = getJSON(txn, genPrefix(claims[0].id, claims[0].gen)+sEntity+ref, &e)
		return err
	})
	return e, ok, err
}

// Existing says which of refs some location provides, in one read,
// without loading the entities.
func (d *DB) Existing(ctx context.Context, refs []string) (map[string]bool, error) {
	out := make(map[string]bool, len(refs))
	err := d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		for _, ref := range refs {
			claims, err := claimsOf(txn, ref, gens)
			if err != nil {
				return err
			}
			out[ref] = len(claims) > 0
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up entities: %w", err)
	}
	return out, nil
}

// Entities calls fn for every entity in ref order until fn returns false.
// It reads one consistent snapshot of the store.
func (d *DB) Entities(ctx context.Context, fn func(Entity) bool) error {
	stop := errors.New("stop")
	err := d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		last := ""
		return scanKeys(txn, pClaim, func(k []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			ref, _, _ := parseClaim(k)
			if ref == last {
				return nil
			}
			last = ref
			claims, err := claimsOf(txn, ref, gens)
			if err != nil || len(claims) == 0 {
				return err
			}
			var e Entity
			ok, err := getJSON(txn, genPrefix(claims[0].id, claims[0].gen)+sEntity+ref, &e)
			if err != nil || !ok {
				return err
			}
			if !fn(e) {
				return stop
			}
			return nil
		})
	})
	if err != nil && !errors.Is(err, stop) {
		return fmt.Errorf("scan entities: %w", err)
	}
	return nil
}

// Relations returns the outgoing relations of the entity with canonical ref,
// whichever location's entities emitted them.
func (d *DB) Relations(ctx context.Context, ref string) ([]Relation, error) {
	return d.relations(ref, sOut)
}

// IncomingRelations returns the relations that point at ref, as
// (type, source) pairs.
func (d *DB) IncomingRelations(ctx context.Context, ref string) ([]Relation, error) {
	return d.relations(ref, sIn)
}

func (d *DB) relations(ref, kind string) ([]Relation, error) {
	var out []Relation
	err := d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		seen := map[Relation]bool{}
		for _, id := range slices.Sorted(maps.Keys(gens)) {
			if gens[id] == 0 {
				continue
			}
			err := scan(txn, genPrefix(id, gens[id])+kind+ref+"\x00", func(_, v []byte) error {
				var rels []Relation
				if err := json.Unmarshal(v, &rels); err != nil {
					return err
				}
				for _, r := range rels {
					if !seen[r] {
						seen[r] = true
						out = append(out, r)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("relations of %s: %w", ref, err)
	}
	slices.SortFunc(out, func(a, b Relation) int {
		return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Target, b.Target))
	})
	return out, nil
}

// scanKeys is scan without reading values.
func scanKeys(txn *badger.Txn, prefix string, fn func(k []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := fn(it.Item().Key()); err != nil {
			return err
		}
	}
	return nil
}

func scan(txn *badger.Txn, prefix string, fn func(k, v []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if err := fn(item.Key(), v); err != nil {
			return err
		}
	}
	return nil
}

func putJSON(txn *badger.Txn, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return txn.Set([]byte(key), b)
}

func getJSON(txn *badger.Txn, key string, v any) (bool, error) {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}

// badgerLogger routes Badger's own logging into slog.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) Errorf(f string, a ...any)   { l.log.Error("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Warningf(f string, a ...any) { l.log.Warn("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Infof(f string, a ...any)    { l.log.Debug("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Debugf(f string, a ...any)   { l.log.Debug("badger", "msg", fmt.Sprintf(f, a...)) }
