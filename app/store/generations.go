package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

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
	// Roots are the files the set was read from (Location.RootsRead).
	Roots []string
	// Files are the file cache entries of the run that read the set
	// (catalog.FileCache.Used), kept with it so that the next sync, in
	// any process, skips the files they vouch for. Nil keeps none.
	Files []catalog.CachedFile
	// Uncached are the files the run reached without an entry in Files
	// (Location files, files it could not cache), kept with Files.
	Uncached []string
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
	l.RootsRead = snap.Roots
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
	if err := d.replace(ctx, loc, snap, now, nil); err != nil {
		return fmt.Errorf("replace entities of location %s: %w", id, err)
	}
	return nil
}

// replace writes snap as a new generation of loc and swaps it in. g, when
// not nil, holds the entities already written (snap's Handed ones).
func (d *DB) replace(ctx context.Context, loc Location, snap Snapshot, now time.Time, g *Generation) error {
	if g == nil {
		var err error
		if g, err = d.newGeneration(ctx, loc, now); err != nil {
			return err
		}
	} else if g.loc.Gen != loc.Gen {
		g.Cancel(ctx)
		return fmt.Errorf("location %s changed during the sync", loc.ID)
	}
	defer func() {
		g.wb.Cancel()
		g.closeRuns()
	}()
	id, gen, prefix := loc.ID, g.gen, g.prefix
	errs := append(append([]catalog.Error(nil), snap.Errors...), g.errs...)
	owned := g.owned
	encoded, encodeErr := encodeEntities(id, snap)
	err := d.db.View(func(txn *badger.Txn) error {
		for i, p := range snap.Entities {
			if err := ctx.Err(); err != nil {
				return err
			}
			if p.Handed {
				continue // written as it came
			}
			b := encoded[i]
			if p.Reused && p.Entity.Raw == nil {
				// Unchanged since the last sync: copied as stored.
				ref := p.Entity.Ref().String()
				item, err := txn.Get([]byte(entityKey(genPrefix(id, loc.Gen), ref)))
				if errors.Is(err, badger.ErrKeyNotFound) {
					if w, ok := g.winners[ref]; ok && w.id != id {
						b = []byte{} // refused below as another location's
					} else {
						return fmt.Errorf("%s: %w", ref, ErrStale)
					}
				} else if err != nil {
					return err
				} else if b, err = item.ValueCopy(nil); err != nil {
					return err
				}
			}
			if b == nil {
				return fmt.Errorf("encode %s: %w", p.Entity.Ref(), encodeErr)
			}
			errs = g.put(p, b, errs)
			encoded[i] = nil // the batch holds it until written, then it can go
			if g.err != nil {
				return g.err
			}
		}
		return copyFileStates(txn, g.wb.Set, genPrefix(id, loc.Gen), prefix, snap.Files)
	})
	if err != nil {
		d.dropGen(ctx, id, gen)
		return err
	}
	if snap.Files != nil {
		if err := writeFileShape(g.wb.Set, prefix, snap.Files, snap.Uncached); err != nil {
			d.dropGen(ctx, id, gen)
			return err
		}
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
	rest := map[string]map[string][]Relation{sOut: out, sIn: in}
	if err := g.mergeScratch(rest); err != nil {
		d.dropGen(ctx, id, gen)
		return fmt.Errorf("write generation %d: %w", gen, err)
	}
	wb := g.wb
	for kind, group := range rest {
		for ref, rels := range group {
			if err := setRelations(wb.Set, prefix, kind, ref, rels); err != nil {
				return err
			}
			delete(group, ref)
		}
	}
	if err := wb.Flush(); err != nil {
		d.dropGen(ctx, id, gen)
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
		if cur.Gen != loc.Gen {
			return fmt.Errorf("location %s changed during the sync", id)
		}
		cur.Gen, cur.HeadCommit = gen, snap.Commit
		cur.synced(snap, now)
		cur.Entities, cur.Errors = len(owned), errs
		if err := putOutbox(txn, snap.Outbox); err != nil {
			return err
		}
		if err := markFileStates(txn, prefix, snap.Files, cur.Version); err != nil {
			return err
		}
		return putJSON(txn, pLocation+id, cur)
	})
	if err != nil {
		d.dropGen(ctx, id, gen)
		return err
	}
	d.dropGen(ctx, id, loc.Gen)
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
				if p.Reused && p.Entity.Raw == nil || p.Handed {
					continue // copied from the store as it is, or written already
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
	e := Entity{Entity: p.Entity, LocationID: id, Source: p.Source, Remote: p.Remote}
	if kept, ok := snap.Kept[p.Entity.Ref().String()]; ok {
		e.Errors, e.Commit = kept.Errors, kept.Commit
	}
	return e
}

// tooLarge is the error of an entity whose record is over d.maxEntity:
// it is left out of the location's set rather than failing the write.
func (d *DB) tooLarge(p catalog.Processed, size int) catalog.Error {
	ref := p.Entity.Ref().String()
	return catalog.Error{File: p.Source.File, Line: p.Source.Line, Column: p.Source.Column, Entity: ref,
		Message: fmt.Sprintf("%s is %.1f MB as stored, over the %.1f MB the store keeps of one entity", ref, float64(size)/(1<<20), float64(d.maxEntity)/(1<<20))}
}

// dropGen deletes a generation's keys and its claims. Failing leaves
// garbage, which readers ignore and the next open sweeps, so it only logs;
// so does stopping when ctx ends, as an instance closing does not wait for
// hundreds of thousands of deletes.
func (d *DB) dropGen(ctx context.Context, id string, gen uint64) {
	if gen == 0 {
		return
	}
	if err := d.deleteGen(ctx, id, gen); err != nil && ctx.Err() == nil {
		d.log.Warn("sweep an old generation", "location", id, "gen", gen, "err", err)
	}
}

// deleteGen deletes a generation's keys and its claims, each claim before
// its entity: cut short, it leaves entities without a claim, which no
// reader sees and a new generation of the same number clears
// (newGeneration), never a claim without its entity.
func (d *DB) deleteGen(ctx context.Context, id string, gen uint64) error {
	prefix := genPrefix(id, gen)
	wb := d.db.NewWriteBatch()
	defer wb.Cancel()
	err := d.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid(); it.Next() {
			if n++; n%1000 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			k := it.Item().KeyCopy(nil)
			if rest, ok := bytes.CutPrefix(k[len(prefix):], []byte(sEntity)); ok {
				if err := wb.Delete([]byte(claimKey(entityRef(rest), id, gen))); err != nil {
					return err
				}
			}
			if err := wb.Delete(k); err != nil {
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
		// One key of each generation is enough: the iterator seeks past
		// the rest, so an open costs the number of generations, not of
		// keys (a location's set may have hundreds of thousands).
		for it.Rewind(); it.Valid(); {
			k := it.Item().Key()
			id, rest, _ := strings.Cut(string(k[len(pGen):]), "/")
			genHex, _, _ := strings.Cut(rest, "/")
			gen, _ := strconv.ParseUint(genHex, 16, 64)
			if cur, ok := gens[id]; (!ok || cur != gen) && !seen[id+"/"+genHex] {
				seen[id+"/"+genHex] = true
				stale = append(stale, struct {
					id  string
					gen uint64
				}{id, gen})
			}
			// Past every key of g/<id>/<gen>/: the next prefix ends in "0", after "/".
			it.Seek([]byte(pGen + id + "/" + genHex + "0"))
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
		if err := d.deleteGen(ctx, s.id, s.gen); err != nil {
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
