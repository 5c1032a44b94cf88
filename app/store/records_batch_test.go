package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// TestRecordsParallel checks that every ref is read once, by a worker
// in range, with its own record, and that an error from fn ends the
// read and is returned: in ref order (a lookup each), in uid order (runs
// through iterators, as a by-query page reads), every fifth in uid
// order (runs that seek), and with a ref another location now holds.
func TestRecordsParallel(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for _, id := range []string{"a", "b"} {
			if err := db.PutLocation(ctx, Location{ID: id, URL: "/repo/" + id, Path: "catalog-info.yaml"}); err != nil {
				t.Fatal(err)
			}
		}
		var ents []catalog.Processed
		var want []RefAt
		for i := range 200 {
			name := fmt.Sprintf("svc-%03d", i)
			ents = append(ents, entity("Component", name, map[string]any{"owner": name}))
			want = append(want, RefAt{Ref: "component:default/" + name, LocationID: "a"})
		}
		want = append(want, RefAt{Ref: "component:default/gone", LocationID: "a"})
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c1", Entities: ents}, t0); err != nil {
			t.Fatal(err)
		}
		// moved is listed as a's, as an index that saw it there would.
		if err := db.ReplaceLocation(ctx, "b", Snapshot{Commit: "c1", Entities: []catalog.Processed{entity("Component", "moved", map[string]any{"owner": "moved"})}}, t0); err != nil {
			t.Fatal(err)
		}
		want = append(want, RefAt{Ref: "component:default/moved", LocationID: "a"})
		byUID := slices.Clone(want)
		slices.SortFunc(byUID, func(a, b RefAt) int { return strings.Compare(UID(a.Ref), UID(b.Ref)) })
		var sparse []RefAt
		for i, r := range byUID {
			if i%5 == 0 || !strings.HasPrefix(r.Ref, "component:default/svc-") {
				sparse = append(sparse, r)
			}
		}
		for name, refs := range map[string][]RefAt{"by ref": want, "by uid": byUID, "every fifth by uid": sparse} {
			for _, workers := range []int{1, 2, 4, 1000} {
				t.Run(fmt.Sprint(name, "/", workers), func(t *testing.T) {
					got := make([]string, len(refs))
					var mu sync.Mutex
					err := db.RecordsParallel(ctx, refs, workers, func(w, i int, record []byte) error {
						mu.Lock()
						defer mu.Unlock()
						if w < 0 || w >= workers {
							t.Errorf("worker %d of %d", w, workers)
						}
						if got[i] != "" {
							t.Errorf("%s read twice", refs[i].Ref)
						}
						got[i] = "nil"
						if record != nil {
							got[i] = string(record)
						}
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					for i, r := range refs {
						name := strings.TrimPrefix(r.Ref, "component:default/")
						if name == "gone" {
							if got[i] != "nil" {
								t.Errorf("gone: read %.80q, want nil", got[i])
							}
						} else if !strings.Contains(got[i], `"owner":"`+name+`"`) {
							t.Errorf("%s: read %.80q", r.Ref, got[i])
						}
					}
				})
			}
		}
		boom := errors.New("boom")
		for _, workers := range []int{1, 4} {
			var calls atomic.Int64
			err := db.RecordsParallel(ctx, want, workers, func(_, i int, _ []byte) error {
				calls.Add(1)
				if i == 10 {
					return boom
				}
				return nil
			})
			if !errors.Is(err, boom) {
				t.Errorf("%d workers: err = %v, want boom", workers, err)
			}
			// One worker stops at the error; several stop soon after it.
			if n := calls.Load(); workers == 1 && n != 11 {
				t.Errorf("one worker: %d calls, want 11", n)
			}
		}
	})
}
