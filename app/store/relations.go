package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// relationChunk is how many relations one key holds, so a group that
// owns thousands of entities stays under Badger's value size limit.
const relationChunk = 1000

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
		rr := newRelationReader(txn, gens, kind)
		defer rr.close()
		out, err = rr.of(ref)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("relations of %s: %w", ref, err)
	}
	return out, nil
}

// relationReader reads the relations of one direction from every
// location's current generation, with an iterator per location kept
// across refs: reading many entities' relations costs a seek each, not
// an iterator per location each.
type relationReader struct {
	its      []*badger.Iterator
	prefixes []string
}

func newRelationReader(txn *badger.Txn, gens map[string]uint64, kind string) *relationReader {
	rr := &relationReader{}
	for _, id := range slices.Sorted(maps.Keys(gens)) {
		if gens[id] == 0 {
			continue
		}
		p := genPrefix(id, gens[id]) + kind
		rr.prefixes = append(rr.prefixes, p)
		rr.its = append(rr.its, txn.NewIterator(badger.IteratorOptions{Prefix: []byte(p), PrefetchValues: true, PrefetchSize: 10}))
	}
	return rr
}

// of is ref's relations, each once, in CompareRelations order.
func (rr *relationReader) of(ref string) ([]Relation, error) {
	var out []Relation
	seen := map[Relation]bool{}
	for i, it := range rr.its {
		err := scanAt(it, rr.prefixes[i]+ref+"\x00", func(_, v []byte) error {
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
			return nil, err
		}
	}
	slices.SortFunc(out, CompareRelations)
	return out, nil
}

func (rr *relationReader) close() {
	for _, it := range rr.its {
		it.Close()
	}
}

// CompareRelations orders relations as Relations gives them: by type,
// then target.
func CompareRelations(a, b Relation) int {
	return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Target, b.Target))
}
