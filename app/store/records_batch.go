package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
)

// LocationRecords calls fn with the ref and stored record (an Entity as
// JSON) of every entity location id provides, in ref order, from one
// snapshot; ok is false when there is no such location.
func (d *DB) LocationRecords(ctx context.Context, id string, fn func(ref string, record []byte) error) (loc Location, ok bool, err error) {
	return d.entitiesOf(ctx, id, fn)
}

// AllRelations calls fn with every stored group of outgoing relations of
// every location's current generation, source by source; a source whose
// relations several locations emitted is met once per location.
func (d *DB) AllRelations(ctx context.Context, fn func(source string, rels []Relation) error) error {
	err := d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(gens)) {
			if gens[id] == 0 {
				continue
			}
			prefix := genPrefix(id, gens[id]) + sOut
			err := scan(txn, prefix, func(k, v []byte) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				var rels []Relation
				if err := json.Unmarshal(v, &rels); err != nil {
					return err
				}
				src := string(k[len(prefix):])
				if i := len(src) - 9; i >= 0 && src[i] == 0 {
					src = src[:i]
				}
				return fn(src, rels)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read every relation: %w", err)
	}
	return nil
}

// RefAt names an entity and the location an index last saw provide it,
// so Records can read it without looking up its claims.
type RefAt struct {
	Ref, LocationID string
}

// Records reads, from one snapshot, the stored record of each of refs
// and calls fn with its index in refs; record is nil for a ref no
// location provides any more, and is only valid until fn returns (it is
// Badger's own copy, so a page of answers copies each record once, into
// the answer). A ref is read straight from its location's current
// generation, through its claims only when that location lost it.
func (d *DB) Records(ctx context.Context, refs []RefAt, fn func(i int, record []byte) error) error {
	return d.RecordsParallel(ctx, refs, 1, func(_, i int, record []byte) error { return fn(i, record) })
}

// RecordsParallel is Records with the reads shared by up to workers
// goroutines, so a page of answers is read and written on every CPU:
// fn is called concurrently, once per ref, with the number of the
// worker calling it (0 ≤ w < workers), so it can keep state per worker
// without locks. Each worker reads in a transaction of its own, since
// Badger's are not safe for concurrent use, all at one read timestamp,
// so every record still comes from one snapshot; when a write lands
// while they are opened, fewer workers read.
func (d *DB) RecordsParallel(ctx context.Context, refs []RefAt, workers int, fn func(w, i int, record []byte) error) error {
	main := d.db.NewTransaction(false)
	defer main.Discard()
	txns := []*badger.Txn{main}
	for len(txns) < min(workers, len(refs)) {
		txn := d.db.NewTransaction(false)
		if txn.ReadTs() != main.ReadTs() {
			txn.Discard()
			break
		}
		defer txn.Discard()
		txns = append(txns, txn)
	}
	err := d.readRecords(ctx, txns, refs, fn)
	if err != nil {
		return fmt.Errorf("read %d entities: %w", len(refs), err)
	}
	return nil
}

// readRecords reads refs with one worker per transaction, each taking
// the next ref not yet taken, until all are read or one fails.
func (d *DB) readRecords(ctx context.Context, txns []*badger.Txn, refs []RefAt, fn func(w, i int, record []byte) error) error {
	gens, err := d.gens.of(txns[0])
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	work := func(w int) {
		for {
			i := int(next.Add(1)) - 1
			if i >= len(refs) || ctx.Err() != nil {
				return
			}
			if err := withRecord(txns[w], refs[i], gens, func(record []byte) error { return fn(w, i, record) }); err != nil {
				cancel(err)
				return
			}
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < len(txns); w++ {
		wg.Go(func() { work(w) })
	}
	work(0)
	wg.Wait()
	return context.Cause(ctx)
}

// Version grows with every write committed to the store, whatever it
// wrote: an unchanged Version means nothing changed, so a reader can keep
// what it derived from the store until it moves.
func (d *DB) Version() uint64 {
	txn := d.db.NewTransaction(false)
	defer txn.Discard()
	return txn.ReadTs()
}

// gensCache keeps currentGens as of one read timestamp: every request of
// the catalog API reads records, and every location record would
// otherwise be decoded again each time.
type gensCache struct {
	mu   sync.Mutex
	ts   uint64
	gens map[string]uint64 // never changed once cached
}

// of is currentGens as txn sees it.
func (c *gensCache) of(txn *badger.Txn) (map[string]uint64, error) {
	ts := txn.ReadTs()
	c.mu.Lock()
	if c.gens != nil && c.ts == ts {
		defer c.mu.Unlock()
		return c.gens, nil
	}
	c.mu.Unlock()
	gens, err := currentGens(txn)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if ts >= c.ts {
		c.ts, c.gens = ts, gens
	}
	return gens, nil
}

// withRecord calls fn with r's stored record, nil when no location
// provides it any more.
func withRecord(txn *badger.Txn, r RefAt, gens map[string]uint64, fn func(record []byte) error) error {
	if gen := gens[r.LocationID]; gen != 0 {
		done, err := withValue(txn, genPrefix(r.LocationID, gen)+sEntity+r.Ref, fn)
		if err != nil || done {
			return err
		}
	}
	claims, err := claimsOf(txn, r.Ref, gens)
	if err != nil {
		return err
	}
	if len(claims) > 0 {
		if done, err := withValue(txn, genPrefix(claims[0].id, claims[0].gen)+sEntity+r.Ref, fn); err != nil || done {
			return err
		}
	}
	return fn(nil)
}

// withValue calls fn with key's value, without copying it, when there
// is one; done says whether there was.
func withValue(txn *badger.Txn, key string, fn func(v []byte) error) (done bool, err error) {
	item, err := txn.Get([]byte(key))
	if err == badger.ErrKeyNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(fn)
}
