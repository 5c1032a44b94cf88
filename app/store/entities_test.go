package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// EntitiesWith reads in one snapshot what Entity and Relations read one
// by one: relations from several locations and in several chunks, refs
// claimed twice, refs no location provides.
func TestEntitiesWith(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for _, id := range []string{"a", "b"} {
			if err := db.PutLocation(ctx, Location{ID: id}); err != nil {
				t.Fatal(err)
			}
		}
		// team owns more components than one relation key holds.
		a := chain(relationChunk+200, false)
		if err := db.ReplaceLocation(ctx, "a", a, t0); err != nil {
			t.Fatal(err)
		}
		// b provides team, with a relation of its own out of it besides
		// a's, and claims svc-000 again (a keeps it).
		team := entity("Group", "team", nil)
		svc := a.Entities[0]
		b := Snapshot{Commit: "c", Entities: []catalog.Processed{team, svc},
			Edges: []catalog.Edge{{Source: team.Entity.Ref(), Type: catalog.RelPartOf, Target: catalog.Ref{Kind: "system", Namespace: "default", Name: "pay"}}}}
		if err := db.ReplaceLocation(ctx, "b", b, t0); err != nil {
			t.Fatal(err)
		}
		refs := []string{"group:default/team", "component:default/svc-000", "component:default/none", "component:default/svc-100", "group:default/team"}
		type read struct {
			Entity    Entity
			Relations []Relation
		}
		var want []read
		for _, ref := range []string{"component:default/svc-000", "component:default/svc-100", "group:default/team"} {
			e, ok, err := db.Entity(ctx, ref)
			if err != nil || !ok {
				t.Fatalf("Entity(%s) = %v, %v", ref, ok, err)
			}
			rels, err := db.Relations(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, read{e, rels})
		}
		if n := len(want[2].Relations); n != relationChunk+201 {
			t.Fatalf("team has %d relations, want %d (from both locations)", n, relationChunk+201)
		}
		var got []read
		err := db.EntitiesWith(ctx, refs, func(e Entity, rels []Relation) error {
			got = append(got, read{e, rels})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("EntitiesWith (-one by one +together):\n%s", d)
		}
	})
}
