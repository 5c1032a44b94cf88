package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

func bigSnapshot(commit string, n int) Snapshot {
	snap := Snapshot{Commit: commit}
	team := catalog.Ref{Kind: "group", Namespace: "default", Name: "team"}
	for i := range n {
		p := entity("Component", fmt.Sprintf("svc-%05d", i), map[string]any{"owner": "team", "description": strings.Repeat("x", 300)})
		snap.Entities = append(snap.Entities, p)
		snap.Edges = append(snap.Edges,
			catalog.Edge{Source: p.Entity.Ref(), Type: catalog.RelOwnedBy, Target: team},
			catalog.Edge{Source: team, Type: catalog.RelOwnerOf, Target: p.Entity.Ref()})
	}
	return snap
}

// Badger refuses one transaction of this size; the generation swap must not.
func TestReplaceLocationOfAnySize(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		db.PutLocation(ctx, Location{ID: "a"})
		for i, n := range []int{30000, 100} {
			if err := db.ReplaceLocation(ctx, "a", bigSnapshot(fmt.Sprint("c", i), n), t0); err != nil {
				t.Fatal(err)
			}
			if got := len(refs(t, db)); got != n {
				t.Errorf("sync %d: %d entities, want %d", i, got, n)
			}
			in, err := db.IncomingRelations(ctx, "component:default/svc-00042")
			if err != nil || len(in) != 1 || in[0] != (Relation{Type: catalog.RelOwnerOf, Target: "group:default/team"}) {
				t.Errorf("incoming relations = %v, %v", in, err)
			}
		}
		if keys := countKeys(t, db, pGen); keys != 302 { // 100 entities, their relations out and in, and the team's (one chunk each)
			t.Errorf("%d generation keys after the swap, want %d: the old generation was not swept", keys, 302)
		}
	})
}

func countKeys(t *testing.T, db *DB, prefix string) int {
	t.Helper()
	n := 0
	err := db.db.View(func(txn *badger.Txn) error {
		return scanKeys(txn, prefix, func([]byte) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A crash after a new generation was written but before the swap leaves
// the old set in place; reopening sweeps the orphaned generation.
func TestCrashBeforeSwapKeepsTheOldSet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	db.PutLocation(ctx, Location{ID: "a"})
	if err := db.ReplaceLocation(ctx, "a", bigSnapshot("old", 10), t0); err != nil {
		t.Fatal(err)
	}
	// What a sync interrupted between writing generation 2 and the swap leaves.
	wb := db.db.NewWriteBatch()
	for i := range 50 {
		ref := fmt.Sprintf("component:default/new-%d", i)
		wb.Set([]byte(entityKey(genPrefix("a", 2), ref)), []byte(`{}`))
		wb.Set([]byte(claimKey(ref, "a", 2)), make([]byte, 8))
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := len(refs(t, db)); got != 10 {
		t.Errorf("before the swap readers see %d entities, want the old 10", got)
	}
	db.Close()
	db, err = Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := len(refs(t, db)); got != 10 {
		t.Errorf("after reopen %d entities, want the old 10", got)
	}
	if n := countKeys(t, db, genPrefix("a", 2)); n != 0 {
		t.Errorf("%d keys of the unfinished generation survived the sweep", n)
	}
	if n := countKeys(t, db, pClaim); n != 10 {
		t.Errorf("%d claims, want 10", n)
	}
	// The next sync completes as if nothing happened.
	if err := db.ReplaceLocation(ctx, "a", bigSnapshot("new", 20), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := len(refs(t, db)); got != 20 {
		t.Errorf("after the next sync %d entities, want 20", got)
	}
}

func TestRemoveLocation(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for _, id := range []string{"a", "b"} {
			db.PutLocation(ctx, Location{ID: id})
		}
		db.ReplaceLocation(ctx, "a", bigSnapshot("c", 5), t0)
		db.ReplaceLocation(ctx, "b", Snapshot{Commit: "c", Entities: []catalog.Processed{entity("Group", "team", nil), entity("Component", "svc-00001", nil)}}, t0)
		if err := db.RemoveLocation(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.Location(ctx, "a"); ok {
			t.Error("location a is still registered")
		}
		if got := refs(t, db); len(got) != 1 || got[0] != "group:default/team@b" {
			t.Errorf("entities = %v", got)
		}
		if n := countKeys(t, db, genPrefix("a", 1)); n != 0 {
			t.Errorf("%d keys of the removed location remain", n)
		}
		if got, err := db.Existing(ctx, []string{"group:default/team", "component:default/svc-00000"}); err != nil || !got["group:default/team"] || got["component:default/svc-00000"] {
			t.Errorf("Existing = %v, %v", got, err)
		}
		// b's svc-00001 was refused while a had it; b's next sync takes it.
		db.ReplaceLocation(ctx, "b", Snapshot{Commit: "c2", Entities: []catalog.Processed{entity("Group", "team", nil), entity("Component", "svc-00001", nil)}}, t0)
		if got := refs(t, db); len(got) != 2 {
			t.Errorf("after b's next sync = %v", got)
		}
		if err := db.RemoveLocation(ctx, "never-added"); err != nil {
			t.Errorf("removing an unknown location: %v", err)
		}
	})
}

func TestStoreFormat(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("newer is refused", func(t *testing.T) {
		dir := t.TempDir()
		db, err := Open(ctx, dir, quiet)
		if err != nil {
			t.Fatal(err)
		}
		db.db.Update(func(txn *badger.Txn) error { return putJSON(txn, formatKey, format+1) })
		db.Close()
		if _, err := Open(ctx, dir, quiet); err == nil || !strings.Contains(err.Error(), "newer than this Callboard reads") {
			t.Errorf("Open = %v", err)
		}
	})
	t.Run("older is rebuilt, locations kept", func(t *testing.T) {
		dir := t.TempDir()
		raw, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
		if err != nil {
			t.Fatal(err)
		}
		// Format 1: no format key, entities straight under e/.
		raw.Update(func(txn *badger.Txn) error {
			putJSON(txn, pLocation+"a", Location{ID: "a", URL: "u", Path: "p", HeadCommit: "c1", Entities: 3})
			return txn.Set([]byte("e/component:default/x"), []byte(`{}`))
		})
		raw.Close()
		db, err := Open(ctx, dir, quiet)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		loc, ok, _ := db.Location(ctx, "a")
		if !ok || loc.URL != "u" || loc.HeadCommit != "" || loc.Entities != 0 {
			t.Errorf("location after rebuild = %+v, %v", loc, ok)
		}
		if n := countKeys(t, db, "e/"); n != 0 {
			t.Errorf("%d format-1 keys left", n)
		}
	})
}

// A sync cancelled while its generation is dropped leaves that
// generation's keys (the instance closing does not wait for them), and the
// next generation, which has the same number, starts clean of them.
func TestCancelledDropLeavesNothingInTheNextGeneration(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := db.PutLocation(ctx, Location{ID: "a"}); err != nil {
			t.Fatal(err)
		}
		g, err := db.NewGeneration(ctx, "a", t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := g.Add(ctx, chain(3000, false).Entities); err != nil {
			t.Fatal(err)
		}
		if err := g.wb.Flush(); err != nil {
			t.Fatal(err)
		}
		g.wb = db.db.NewWriteBatch()
		closing, cancel := context.WithCancel(ctx)
		cancel()
		g.Cancel(closing)
		if left := countKeys(t, db, genPrefix("a", 1)); left < 3000 {
			t.Fatalf("%d keys of the dropped generation left, want those of 3000 entities (the drop should have stopped)", left)
		}
		one := entity("Component", "only", nil)
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c", Entities: []catalog.Processed{one}}, t0); err != nil {
			t.Fatal(err)
		}
		if got := refs(t, db); len(got) != 1 || got[0] != "component:default/only@a" {
			t.Errorf("%d entities (first %s), want only component:default/only@a", len(got), got[0])
		}
		if got, _ := db.Existing(ctx, []string{"component:default/svc-001"}); got["component:default/svc-001"] {
			t.Error("a claim of the dropped generation is current")
		}
		if n := len(genKeys(t, db, "a")); n > 3 {
			t.Errorf("the new generation holds %d keys, want only its one entity's", n)
		}
	})
}
