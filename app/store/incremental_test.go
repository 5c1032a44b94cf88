package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// chain is n components where svc-i depends on svc-(i+1), all owned by team.
func chain(n int, reused bool) Snapshot {
	snap := Snapshot{Commit: "c"}
	team := catalog.Ref{Kind: "group", Namespace: "default", Name: "team"}
	for i := range n {
		p := entity("Component", fmt.Sprintf("svc-%03d", i), map[string]any{"owner": "team"})
		p.Reused = reused
		snap.Entities = append(snap.Entities, p)
		snap.Edges = append(snap.Edges,
			catalog.Edge{Source: p.Entity.Ref(), Type: catalog.RelOwnedBy, Target: team},
			catalog.Edge{Source: team, Type: catalog.RelOwnerOf, Target: p.Entity.Ref()})
		if i+1 < n {
			next := catalog.Ref{Kind: "component", Namespace: "default", Name: fmt.Sprintf("svc-%03d", i+1)}
			snap.Edges = append(snap.Edges,
				catalog.Edge{Source: p.Entity.Ref(), Type: catalog.RelDependsOn, Target: next},
				catalog.Edge{Source: next, Type: catalog.RelDependencyOf, Target: p.Entity.Ref()})
		}
	}
	return snap
}

// state is everything a reader can see of the store.
func state(t *testing.T, db *DB) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	db.Entities(ctx, func(e Entity) bool {
		ref := e.Entity.Ref().String()
		in, _ := db.IncomingRelations(ctx, ref)
		rels, _ := db.Relations(ctx, ref)
		out[ref] = map[string]any{"description": e.Entity.Metadata.Description, "out": rels, "in": in}
		return true
	})
	in, _ := db.IncomingRelations(ctx, "group:default/team")
	rels, _ := db.Relations(ctx, "group:default/team")
	out["group:default/team"] = map[string]any{"out": rels, "in": in}
	return out
}

// A small change is applied in place, and leaves exactly what a full
// replace of the same set would.
func TestReplaceInPlaceMatchesAFullReplace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := Open(ctx, "", quiet)
	defer db.Close()
	db.PutLocation(ctx, Location{ID: "a"})
	if err := db.ReplaceLocation(ctx, "a", chain(50, false), t0); err != nil {
		t.Fatal(err)
	}
	before, _, _ := db.Location(ctx, "a")

	// Next commit: svc-010 changed, svc-049 removed (so svc-048 loses its
	// dependency), svc-new added depending on svc-000; the rest reused.
	next := chain(49, true)
	next.Commit = "c2"
	next.Entities[10].Reused = false
	next.Entities[10].Entity.Metadata.Description = "changed"
	added := entity("Component", "svc-new", map[string]any{"owner": "team"})
	next.Entities = append(next.Entities, added)
	first := catalog.Ref{Kind: "component", Namespace: "default", Name: "svc-000"}
	next.Edges = append(next.Edges,
		catalog.Edge{Source: added.Entity.Ref(), Type: catalog.RelDependsOn, Target: first},
		catalog.Edge{Source: first, Type: catalog.RelDependencyOf, Target: added.Entity.Ref()})
	if err := db.ReplaceLocation(ctx, "a", next, t0); err != nil {
		t.Fatal(err)
	}
	after, _, _ := db.Location(ctx, "a")
	if after.Gen != before.Gen || after.HeadCommit != "c2" || after.Entities != 50 {
		t.Errorf("location after = %+v: want the same generation, c2, 50 entities", after)
	}

	full, _ := Open(ctx, "", quiet)
	defer full.Close()
	full.PutLocation(ctx, Location{ID: "a"})
	if err := full.ReplaceLocation(ctx, "a", next, t0); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(state(t, full), state(t, db)); diff != "" {
		t.Errorf("in place differs from a full replace (-full +in place):\n%s", diff)
	}
	if n := countKeys(t, db, pClaim); n != 50 {
		t.Errorf("%d claims, want 50", n)
	}
}

// An entity another location provides stays refused on an in-place update.
func TestReplaceInPlaceRefusesDuplicates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := Open(ctx, "", quiet)
	defer db.Close()
	db.PutLocation(ctx, Location{ID: "a"})
	db.PutLocation(ctx, Location{ID: "b"})
	db.ReplaceLocation(ctx, "a", Snapshot{Commit: "a1", Entities: []catalog.Processed{entity("Group", "team", nil)}}, t0)
	db.ReplaceLocation(ctx, "b", chain(3, false), t0)
	dup := chain(3, true)
	dup.Entities = append(dup.Entities, entity("Group", "team", nil))
	if err := db.ReplaceLocation(ctx, "b", dup, t0); err != nil {
		t.Fatal(err)
	}
	b, _, _ := db.Location(ctx, "b")
	if len(b.Errors) != 1 || b.Entities != 3 {
		t.Errorf("location b = %d entities, errors %v", b.Entities, b.Errors)
	}
	if e, _, _ := db.Entity(ctx, "group:default/team"); e.LocationID != "a" {
		t.Errorf("group:default/team is provided by %q, want a", e.LocationID)
	}
}
