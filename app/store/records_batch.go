package store

import (
	"bytes"
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
// JSON) of every entity location id provides, in uid order (UID), from one
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
// location provides any more, and is only valid until fn returns (so a
// page of answers copies each record once, into the answer). A ref is
// read straight from its location's current generation, through its
// claims only when that location lost it.
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
// the next unit of refs not yet taken, until all are read or one fails.
// When each location's keys ascend through refs (a by-query page, in uid
// order like the keys), a unit is a run of refs read through one
// iterator per location: neighbouring entities share a block, which is
// then read and decompressed once, and nothing is copied. Otherwise a
// unit is one ref, read with its own lookup.
func (d *DB) readRecords(ctx context.Context, txns []*badger.Txn, refs []RefAt, fn func(w, i int, record []byte) error) error {
	gens, err := d.gens.of(txns[0])
	if err != nil {
		return err
	}
	keys, ascending := entityKeys(refs, gens)
	unit := 1
	if ascending {
		unit = readRun
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	work := func(w int) {
		iters := map[string]*badger.Iterator{} // by location, for runs
		defer func() {
			for _, it := range iters {
				it.Close()
			}
		}()
		for {
			start := int(next.Add(1)-1) * unit
			if start >= len(refs) || ctx.Err() != nil {
				return
			}
			for i := start; i < min(start+unit, len(refs)); i++ {
				read := func(record []byte) error { return fn(w, i, record) }
				var err error
				if unit > 1 && keys[i] != nil {
					err = readAt(txns[w], iters, refs[i], keys[i], gens, read)
				} else {
					err = withRecord(txns[w], refs[i], keys[i], gens, read)
				}
				if err != nil {
					cancel(err)
					return
				}
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

// readRun is how many refs one worker reads through its iterators at a
// time: a page of 500 gives each of two workers several runs.
const readRun = 64

// entityKeys is the key of each ref's entity in the generation of the
// location named with it (nil for a location with none), and whether
// each location's keys ascend through refs.
func entityKeys(refs []RefAt, gens map[string]uint64) (keys [][]byte, ascending bool) {
	keys = make([][]byte, len(refs))
	prefixes := map[string]string{}
	last := map[string][]byte{}
	ascending = true
	for i, r := range refs {
		gen := gens[r.LocationID]
		if gen == 0 {
			continue
		}
		prefix, ok := prefixes[r.LocationID]
		if !ok {
			prefix = genPrefix(r.LocationID, gen)
			prefixes[r.LocationID] = prefix
		}
		keys[i] = []byte(entityKey(prefix, r.Ref))
		if l, ok := last[r.LocationID]; ok && bytes.Compare(l, keys[i]) >= 0 {
			ascending = false
		}
		last[r.LocationID] = keys[i]
	}
	return keys, ascending
}

// readAt calls fn with the record at key, read through the iterator
// over r's location's entities (made on first use), or, when the key is
// not there, as withRecord finds it.
func readAt(txn *badger.Txn, iters map[string]*badger.Iterator, r RefAt, key []byte, gens map[string]uint64, fn func(record []byte) error) error {
	it := iters[r.LocationID]
	if it == nil {
		prefix := genPrefix(r.LocationID, gens[r.LocationID]) + sEntity
		it = txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
		iters[r.LocationID] = it
	}
	if !seekTo(it, key) {
		return withRecord(txn, r, nil, gens, fn) // not in r's location
	}
	return it.Item().Value(fn)
}

// seekTo moves it to key, stepping when key is among the next few keys
// (a page without a filter reads every key in turn) and seeking
// otherwise; false when key is not there.
func seekTo(it *badger.Iterator, key []byte) bool {
	for range 4 {
		if !it.Valid() {
			break
		}
		switch c := bytes.Compare(it.Item().Key(), key); {
		case c == 0:
			return true
		case c > 0:
			it.Seek(key)
			return it.Valid() && bytes.Equal(it.Item().Key(), key)
		}
		it.Next()
	}
	it.Seek(key)
	return it.Valid() && bytes.Equal(it.Item().Key(), key)
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
// provides it any more. key is where r's location would keep it
// (entityKeys), looked at first; nil goes straight to r's claims.
func withRecord(txn *badger.Txn, r RefAt, key []byte, gens map[string]uint64, fn func(record []byte) error) error {
	if key != nil {
		done, err := withValue(txn, string(key), fn)
		if err != nil || done {
			return err
		}
	}
	claims, err := claimsOf(txn, r.Ref, gens)
	if err != nil {
		return err
	}
	if len(claims) > 0 {
		if done, err := withValue(txn, entityKey(genPrefix(claims[0].id, claims[0].gen), r.Ref), fn); err != nil || done {
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
