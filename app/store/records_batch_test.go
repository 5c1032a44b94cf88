package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/google/go-cmp/cmp"
)

// TestRecords checks that Records reads each ref from the generation
// current when it is called, also after a write replaced the one it read
// before, and that Version moves with that write and not without one.
func TestRecords(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := db.PutLocation(ctx, Location{ID: "a", URL: "/repo/a", Path: "catalog-info.yaml"}); err != nil {
			t.Fatal(err)
		}
		read := func() []string {
			t.Helper()
			var out []string
			refs := []RefAt{{Ref: "component:default/svc", LocationID: "a"}, {Ref: "component:default/gone", LocationID: "a"}}
			if err := db.Records(ctx, refs, func(i int, record []byte) error {
				s := "nil"
				if record != nil {
					s = "spec owner " + map[bool]string{true: "x", false: "y"}[strings.Contains(string(record), `"owner":"x"`)]
				}
				out = append(out, refs[i].Ref+": "+s)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c1", Entities: []catalog.Processed{entity("Component", "svc", map[string]any{"owner": "x"})}}, t0); err != nil {
			t.Fatal(err)
		}
		v1 := db.Version()
		if diff := cmp.Diff([]string{"component:default/svc: spec owner x", "component:default/gone: nil"}, read()); diff != "" {
			t.Errorf("first read (-want +got):\n%s", diff)
		}
		if v := db.Version(); v != v1 {
			t.Errorf("a read moved Version from %d to %d", v1, v)
		}
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c2", Entities: []catalog.Processed{entity("Component", "svc", map[string]any{"owner": "y"})}}, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if v := db.Version(); v <= v1 {
			t.Errorf("Version %d after a write, %d before", v, v1)
		}
		if diff := cmp.Diff([]string{"component:default/svc: spec owner y", "component:default/gone: nil"}, read()); diff != "" {
			t.Errorf("after the write (-want +got):\n%s", diff)
		}
	})
}
