package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	// 0: the set given whole; else streamed in windows of that many
	// relations (several runs on file, or one window held).
	for _, window := range []int{0, 1000, scratchWindow} {
		dir := t.TempDir()
		db, err := Open(ctx, dir, quiet)
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
		if window == 0 {
			if err := db.ReplaceLocation(ctx, "b", whole, t0); err != nil {
				t.Fatal(err)
			}
		} else {
			g, err := db.NewGeneration(ctx, "b", t0)
			if err != nil {
				t.Fatal(err)
			}
			g.window = window
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
		stores[fmt.Sprint(window)] = genKeys(t, db, "b")
		if left, _ := filepath.Glob(filepath.Join(dir, runPattern)); len(left) > 0 {
			t.Errorf("window %d: relation runs left after the write: %v", window, left)
		}
	}
	if len(stores["0"]) < 2*n {
		t.Fatalf("%d keys stored, want at least %d", len(stores["0"]), 2*n)
	}
	for _, window := range []string{"1000", fmt.Sprint(scratchWindow)} {
		if diff := cmp.Diff(stores["0"], stores[window]); diff != "" {
			t.Errorf("keys (-whole +streamed in windows of %s):\n%s", window, diff)
		}
	}
}

// Relation runs a crash left beside the store are removed when it opens.
func TestOpenRemovesLeftRelationRuns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, err := Open(context.Background(), dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	left := filepath.Join(dir, strings.Replace(runPattern, "*", "123", 1))
	if err := os.WriteFile(left, []byte("runs"), 0o600); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(context.Background(), dir, quiet); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s is still there after an open: %v", left, err)
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

// readHeld reads back what appendHeld wrote, and refuses, without
// panicking or allocating what a length says, bytes it did not write.
func FuzzReadHeld(f *testing.F) {
	f.Add(appendHeld(appendHeld(nil, heldRel{sOut, "component:default/a", scratchRel{1, "ownedBy", "group:default/team"}}), heldRel{sIn, "", scratchRel{300, "", ""}}))
	f.Add([]byte{0x80})
	f.Add([]byte{1, 5, 'a'})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bufio.NewReader(bytes.NewReader(b))
		var rels []heldRel
		for {
			h, err := readHeld(r)
			if err == io.EOF {
				break
			}
			if err != nil {
				if !errors.Is(err, errRun) {
					t.Fatalf("%q: %v, not errRun", b, err)
				}
				return
			}
			rels = append(rels, h)
		}
		var again []byte
		for _, h := range rels {
			again = appendHeld(again, h)
		}
		r = bufio.NewReader(bytes.NewReader(again))
		for i := range rels {
			if h, err := readHeld(r); err != nil || h != rels[i] {
				t.Fatalf("%q read as %v, written again and read as %v, %v", b, rels[i], h, err)
			}
		}
	})
}
