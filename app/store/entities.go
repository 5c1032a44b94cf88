package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

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
		ok, err = getJSON(txn, entityKey(genPrefix(claims[0].id, claims[0].gen), ref), &e)
		return err
	})
	return e, ok, err
}

// EntitiesWith reads the entities of refs with their outgoing relations
// (as Relations gives them) from one consistent snapshot, calling fn in
// ref order; refs no location provides are left out. Many entities cost
// a seek each, where Entity and Relations cost a transaction and
// iterators each.
func (d *DB) EntitiesWith(ctx context.Context, refs []string, fn func(Entity, []Relation) error) error {
	refs = slices.Compact(slices.Sorted(slices.Values(refs)))
	err := d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		claims := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pClaim)})
		defer claims.Close()
		rr := newRelationReader(txn, gens, sOut)
		defer rr.close()
		for _, ref := range refs {
			if err := ctx.Err(); err != nil {
				return err
			}
			cs, err := claimsAt(claims, ref, gens)
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				continue
			}
			var e Entity
			ok, err := getJSON(txn, entityKey(genPrefix(cs[0].id, cs[0].gen), ref), &e)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			rels, err := rr.of(ref)
			if err != nil {
				return fmt.Errorf("relations of %s: %w", ref, err)
			}
			if err := fn(e, rels); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read entities: %w", err)
	}
	return nil
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
			ok, err := getJSON(txn, entityKey(genPrefix(claims[0].id, claims[0].gen), ref), &e)
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

// entitiesOf reads the entities location id provides, in uid order
// (entityKey), with the location record they belong to, from one
// consistent snapshot; fn gets each entity's JSON (decode it with
// json.Unmarshal into an Entity).
// ok is false when there is no such location.
func (d *DB) entitiesOf(ctx context.Context, id string, fn func(ref string, record []byte) error) (loc Location, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		if ok, err = getJSON(txn, pLocation+id, &loc); err != nil || !ok || loc.Gen == 0 {
			return err
		}
		prefix := genPrefix(id, loc.Gen) + sEntity
		return scan(txn, prefix, func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return fn(entityRef(k[len(prefix):]), v)
		})
	})
	if err != nil {
		return loc, ok, fmt.Errorf("read the entities of location %s: %w", id, err)
	}
	return loc, ok, nil
}
