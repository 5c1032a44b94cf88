package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFacts(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a := []StoredFact{{Name: "lastCommitAt", Type: "time", Value: "2026-01-01T00:00:00Z"}, {Name: "commits90d", Type: "number", Value: 4.0}}
		b := []StoredFact{{Name: "defaultBranchLastRunPassed", Type: "flag", Value: true, AsOf: t0.Add(-time.Hour), Description: "main, run 12"}}
		for _, put := range []struct {
			ref, plugin string
			facts       []StoredFact
		}{
			{"component:default/payments", "git-insights", []StoredFact{{Name: "old", Type: "flag", Value: false}}},
			{"component:default/payments", "git-insights", a}, // replaces the one before
			{"component:default/payments", "ci", b},
			{"component:default/payments-ui", "git-insights", a}, // a ref the first is a prefix of
		} {
			if err := db.PutFacts(ctx, put.ref, put.plugin, t0, put.facts); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Facts(ctx, "component:default/payments")
		if err != nil {
			t.Fatal(err)
		}
		want := []PluginFacts{{Plugin: "ci", ReadAt: t0, Facts: b}, {Plugin: "git-insights", ReadAt: t0, Facts: a}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("Facts (-want +got):\n%s", d)
		}
		all, err := db.AllFacts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || len(all["component:default/payments"]) != 2 || len(all["component:default/payments-ui"]) != 1 {
			t.Errorf("AllFacts: %+v", all)
		}
		// Many refs in one read: the same as one by one, the prefix ref
		// apart, refs without facts left out, duplicates once.
		of, err := db.FactsOf(ctx, []string{"component:default/payments-ui", "component:default/none", "component:default/payments", "component:default/payments-ui"})
		if err != nil {
			t.Fatal(err)
		}
		ui, _ := db.Facts(ctx, "component:default/payments-ui")
		if d := cmp.Diff(map[string][]PluginFacts{"component:default/payments": want, "component:default/payments-ui": ui}, of); d != "" {
			t.Errorf("FactsOf (-want +got):\n%s", d)
		}
		if err := db.DeleteFacts(ctx, "component:default/payments", "ci"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Facts(ctx, "component:default/payments"); len(got) != 1 || got[0].Plugin != "git-insights" {
			t.Errorf("after DeleteFacts: %+v", got)
		}
	})
}

// Facts survive closing and opening the store: an offline start
// evaluates scorecards from the last ones known.
func TestFactsSurviveReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	facts := []StoredFact{{Name: "replicas", Type: "number", Value: 2.0}}
	if err := db.PutFacts(ctx, "component:default/payments", "kubernetes", t0, facts); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Facts(ctx, "component:default/payments")
	if err != nil {
		t.Fatal(err)
	}
	if want := []PluginFacts{{Plugin: "kubernetes", ReadAt: t0, Facts: facts}}; !cmp.Equal(want, got) {
		t.Errorf("after reopening (-want +got):\n%s", cmp.Diff(want, got))
	}
}

func TestFactStats(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i, ref := range []string{"component:default/a", "component:default/b"} {
			facts := []StoredFact{{Name: "lastCommitAt", Type: "time", Value: "2026-01-01T00:00:00Z"}, {Name: "contributors", Type: "number", Value: 3.0}}
			if err := db.PutFacts(ctx, ref, "git-insights", t0.Add(time.Duration(i)*time.Hour), facts); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.PutFacts(ctx, "component:default/a", "ci", t0, []StoredFact{{Name: "defaultBranchLastRunPassed", Type: "flag", Value: true}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FactStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]FactStats{
			"git-insights": {Entities: 2, Oldest: t0, Newest: t0.Add(time.Hour), Types: map[string]string{"lastCommitAt": "time", "contributors": "number"}},
			"ci":           {Entities: 1, Oldest: t0, Newest: t0, Types: map[string]string{"defaultBranchLastRunPassed": "flag"}},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("FactStats (-want +got):\n%s", d)
		}
	})
}
