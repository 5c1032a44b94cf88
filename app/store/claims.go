package store

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// claim is one location's claim on an entity ref in its current generation.
type claim struct {
	id    string
	gen   uint64
	since uint64
}

// claimsOf returns the current claims on ref, the winner (first claimed,
// then lowest location id) first.
func claimsOf(txn *badger.Txn, ref string, gens map[string]uint64) ([]claim, error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pClaim + ref + "\x00")})
	defer it.Close()
	return claimsAt(it, ref, gens)
}

// claimsAt is claimsOf through an iterator over claims kept across refs.
func claimsAt(it *badger.Iterator, ref string, gens map[string]uint64) ([]claim, error) {
	var out []claim
	err := scanAt(it, pClaim+ref+"\x00", func(k, v []byte) error {
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
