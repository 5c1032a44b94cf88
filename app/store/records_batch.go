package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

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

// Records reads, from one snapshot, the stored record and the outgoing
// relations (of every location, each once) of each of refs, and calls fn
// with its index in refs; record is nil for a ref no location provides
// any more. A ref is read straight from its location's current
// generation, through its claims only when that location lost it.
func (d *DB) Records(ctx context.Context, refs []RefAt, fn func(i int, record []byte, rels []Relation) error) error {
	err := d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		ids := slices.Sorted(maps.Keys(gens))
		var rels []Relation
		for i, r := range refs {
			if err := ctx.Err(); err != nil {
				return err
			}
			record, err := recordOf(txn, r, gens)
			if err != nil {
				return err
			}
			rels = rels[:0]
			if record != nil {
				if rels, err = relationsOf(txn, r.Ref, ids, gens, rels); err != nil {
					return err
				}
			}
			if err := fn(i, record, rels); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read %d entities: %w", len(refs), err)
	}
	return nil
}

func recordOf(txn *badger.Txn, r RefAt, gens map[string]uint64) ([]byte, error) {
	if gen := gens[r.LocationID]; gen != 0 {
		b, ok, err := getRaw(txn, genPrefix(r.LocationID, gen)+sEntity+r.Ref)
		if err != nil || ok {
			return b, err
		}
	}
	claims, err := claimsOf(txn, r.Ref, gens)
	if err != nil || len(claims) == 0 {
		return nil, err
	}
	b, _, err := getRaw(txn, genPrefix(claims[0].id, claims[0].gen)+sEntity+r.Ref)
	return b, err
}

// relationsOf appends ref's outgoing relations in every current
// generation, each once, reading chunks by key while they are full.
func relationsOf(txn *badger.Txn, ref string, ids []string, gens map[string]uint64, out []Relation) ([]Relation, error) {
	start, from := len(out), 0
	for _, id := range ids {
		if gens[id] == 0 {
			continue
		}
		for chunk := 0; ; chunk++ {
			b, ok, err := getRaw(txn, fmt.Sprintf("%s%s%s\x00%08x", genPrefix(id, gens[id]), sOut, ref, chunk))
			if err != nil || !ok {
				if err != nil {
					return out, err
				}
				break
			}
			var rels []Relation
			if err := json.Unmarshal(b, &rels); err != nil {
				return out, fmt.Errorf("relations of %s: %w", ref, err)
			}
			if chunk == 0 {
				from++
			}
			out = append(out, rels...)
			if len(rels) < relationChunk {
				break
			}
		}
	}
	if from > 1 {
		seen := map[Relation]bool{}
		out = out[:start+len(slices.DeleteFunc(out[start:], func(r Relation) bool {
			if seen[r] {
				return true
			}
			seen[r] = true
			return false
		}))]
	}
	return out, nil
}

func getRaw(txn *badger.Txn, key string) ([]byte, bool, error) {
	item, err := txn.Get([]byte(key))
	if err == badger.ErrKeyNotFound {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	b, err := item.ValueCopy(nil)
	return b, err == nil, err
}
