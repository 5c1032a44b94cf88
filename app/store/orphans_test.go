package store

import (
	"context"
	"slices"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// An entity's facts and scorecard results outlive it until the sweep:
// its file deleted, its location removed, its plugin uninstalled.
func TestSweepOrphans(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for _, id := range []string{"a", "b"} {
			if err := db.PutLocation(ctx, Location{ID: id, URL: "/repo/" + id, Path: "catalog-info.yaml"}); err != nil {
				t.Fatal(err)
			}
		}
		put := func(id string, names ...string) {
			t.Helper()
			var es []catalog.Processed
			for _, n := range names {
				es = append(es, entity("Component", n, nil))
			}
			if err := db.ReplaceLocation(ctx, id, Snapshot{Commit: "c-" + id, Entities: es}, t0); err != nil {
				t.Fatal(err)
			}
		}
		put("a", "kept", "dropped")
		put("b", "elsewhere")
		results := map[string][]byte{}
		for _, ref := range []string{"component:default/kept", "component:default/dropped", "component:default/elsewhere"} {
			for _, plugin := range []string{"git-insights", "removed-plugin"} {
				if err := db.PutFacts(ctx, ref, plugin, t0, []StoredFact{{Name: "n", Type: "number", Value: 1.0}}); err != nil {
					t.Fatal(err)
				}
			}
			results[ref] = []byte("{}")
		}
		if err := db.UpdateScorecardResults(ctx, results, nil); err != nil {
			t.Fatal(err)
		}
		state := func() (facts, scored []string) {
			t.Helper()
			all, err := db.AllFacts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for ref, pfs := range all {
				for _, pf := range pfs {
					facts = append(facts, ref+" "+pf.Plugin)
				}
			}
			err = db.ScorecardResults(ctx, func(ref string, _ []byte) error { scored = append(scored, ref); return nil })
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(facts)
			return facts, scored
		}

		if n, err := db.SweepOrphans(ctx, nil); err != nil || n != (Swept{}) {
			t.Fatalf("a sweep with nothing orphaned = %+v, %v", n, err)
		}
		put("a", "kept") // dropped's file is deleted
		if err := db.RemoveLocation(ctx, "b"); err != nil {
			t.Fatal(err)
		}
		n, err := db.SweepOrphans(ctx, func(p string) bool { return p != "removed-plugin" })
		if err != nil || n != (Swept{Facts: 5, Results: 2}) {
			t.Fatalf("SweepOrphans = %+v, %v; want 5 facts and 2 results", n, err)
		}
		facts, scored := state()
		if !slices.Equal(facts, []string{"component:default/kept git-insights"}) || !slices.Equal(scored, []string{"component:default/kept"}) {
			t.Errorf("after the sweep: facts %q, results %q", facts, scored)
		}
	})
}
