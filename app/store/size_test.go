package store

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// An entity too big for one Badger value is refused on its own, with an
// error naming it, by a new generation and by an in-place update alike;
// the location's other entities are written. Value log files of 1 MB (the
// least Badger takes) keep the entities small.
func TestReplaceRefusesOversizedEntity(t *testing.T) {
	t.Parallel()
	const vlog = 1 << 20
	for _, dir := range []string{"", t.TempDir()} {
		db, err := open(context.Background(), dir, "", quiet, vlog)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		ctx := context.Background()
		if err := db.PutLocation(ctx, Location{ID: "a", URL: "/repo/a", Path: "catalog-info.yaml"}); err != nil {
			t.Fatal(err)
		}
		huge := func(name string) catalog.Processed {
			p := entity("Component", name, map[string]any{"blob": strings.Repeat("x", vlog+1)})
			p.Source = catalog.Source{File: name + ".yaml", Line: 3}
			return p
		}
		steps := []struct {
			name     string
			entities []catalog.Processed
			want     []string
		}{
			{"new generation", []catalog.Processed{entity("Component", "small", nil), huge("huge"), entity("Component", "later", nil)},
				[]string{"component:default/later@a", "component:default/small@a"}},
			{"in place", []catalog.Processed{entity("Component", "small", nil), huge("later")},
				[]string{"component:default/small@a"}},
		}
		for _, s := range steps {
			if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: s.name, Entities: s.entities}, t0); err != nil {
				t.Fatalf("%s: the write failed whole: %.200v", s.name, err)
			}
			if diff := cmp.Diff(s.want, refs(t, db)); diff != "" {
				t.Errorf("%s: entities (-want +got):\n%s", s.name, diff)
			}
			loc, _, _ := db.Location(ctx, "a")
			if len(loc.Errors) != 1 || !strings.HasSuffix(loc.Errors[0].File, ".yaml") || loc.Errors[0].Line != 3 ||
				!strings.Contains(loc.Errors[0].Message, "MB as stored, over the 0.5 MB the store keeps of one entity") {
				t.Errorf("%s: errors = %v", s.name, loc.Errors)
			}
		}
	}
}
