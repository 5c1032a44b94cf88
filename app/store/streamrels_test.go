package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// A set whose entities and relations are given to a Generation as they
// come is stored key for key as the same set given whole: relation groups
// that span several windows, the relations of an entity another location
// holds (kept when they reach one of the set's), and relations given only
// at the end (a kept entity's), those the set already has not repeated.
func TestStreamedRelationsMatchTheWholeSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const n = 3000 // 12,000 relations: several windows of 1,000
	snap := bigSnapshot("c1", n)
	taken := snap.Entities[7].Entity.Ref()
	other := catalog.Edge{Source: taken, Type: catalog.RelDependsOn, Target: snap.Entities[8].Entity.Ref()}
	snap.Edges = append(snap.Edges[:16], append([]catalog.Edge{other}, snap.Edges[16:]...)...)
	// What the syncer adds at the end for an entity it keeps: its stored
	// relations, one of which the set gives again.
	kept := []catalog.Edge{snap.Edges[3], {Source: snap.Entities[1].Entity.Ref(), Type: catalog.RelDependsOn, Target: snap.Entities[2].Entity.Ref()}}

	stores := map[string]map[string]string{}
	for _, streamed := range []bool{false, true} {
		db, err := Open(ctx, t.TempDir(), quiet)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, id := range []string{"a", "b"} {
			if err := db.PutLocation(ctx, Location{ID: id}); err != nil {
				t.Fatal(err)
			}
		}
		// Location a holds one of the entities first.
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c0", Entities: []catalog.Processed{snap.Entities[7]}}, t0); err != nil {
			t.Fatal(err)
		}
		whole := snap
		whole.Edges = append(append([]catalog.Edge(nil), snap.Edges...), kept[1])
		if !streamed {
			if err := db.ReplaceLocation(ctx, "b", whole, t0); err != nil {
				t.Fatal(err)
			}
		} else {
			g, err := db.NewGeneration(ctx, "b", t0)
			if err != nil {
				t.Fatal(err)
			}
			g.window = 1000
			edges := snap.Edges
			rest := Snapshot{Commit: snap.Commit, Edges: kept}
			for i, p := range snap.Entities {
				k := 2
				if i == 7 {
					k = 3
				}
				p.Edges, edges = edges[:k], edges[k:]
				if err := g.Add(ctx, []catalog.Processed{p}); err != nil {
					t.Fatal(err)
				}
				p.Handed, p.Edges = true, nil
				rest.Entities = append(rest.Entities, p)
			}
			if err := db.ReplaceLocationWith(ctx, "b", g, rest, t0); err != nil {
				t.Fatal(err)
			}
		}
		stores[fmt.Sprint(streamed)] = genKeys(t, db, "b")
	}
	if len(stores["false"]) < 2*n {
		t.Fatalf("%d keys stored, want at least %d", len(stores["false"]), 2*n)
	}
	if diff := cmp.Diff(stores["false"], stores["true"]); diff != "" {
		t.Errorf("keys (-whole +streamed):\n%s", diff)
	}
}

// genKeys are the keys of location id's current generation, without the
// generation's number, with their values.
func genKeys(t *testing.T, db *DB, id string) map[string]string {
	t.Helper()
	loc, _, err := db.Location(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	prefix := genPrefix(id, loc.Gen)
	out := map[string]string{}
	err = db.db.View(func(txn *badger.Txn) error {
		return scan(txn, "g/", func(k, v []byte) error {
			if key, ok := strings.CutPrefix(string(k), prefix); ok {
				out[key] = string(v)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readScratch reads back what appendScratch wrote, and refuses, without
// panicking, bytes it did not write.
func FuzzReadScratch(f *testing.F) {
	f.Add(appendScratch(appendScratch(nil, scratchRel{1, "ownedBy", "group:default/team"}), scratchRel{300, "", ""}))
	f.Add([]byte{0x80})
	f.Add([]byte{1, 5, 'a'})
	f.Fuzz(func(t *testing.T, b []byte) {
		rels, err := readScratch(nil, b)
		if err != nil {
			return
		}
		var again []byte
		for _, r := range rels {
			again = appendScratch(again, r)
		}
		back, err := readScratch(nil, again)
		if err != nil || !slices.Equal(back, rels) {
			t.Errorf("%q read as %v, written again and read as %v, %v", b, rels, back, err)
		}
	})
}
