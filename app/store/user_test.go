package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Fifty writers at once, as fifty POST /api/v1/stars are: every one of them
// lands, none fails with Badger's "Transaction Conflict", none is lost.
func TestConcurrentReadModifyWrite(t *testing.T) {
	t.Parallel()
	const n = 50
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		write func(db *DB, i int) error
		check func(t *testing.T, db *DB)
	}{
		{"stars", func(db *DB, i int) error { return db.SetStar(ctx, ref(i), true) }, func(t *testing.T, db *DB) {
			got, err := db.Stars(ctx)
			if err != nil || len(got) != n || !slices.IsSorted(got) {
				t.Errorf("stars = %d refs, sorted %v, err %v: want %d", len(got), slices.IsSorted(got), err, n)
			}
		}},
		{"recent", func(db *DB, i int) error { return db.Visit(ctx, ref(i)) }, func(t *testing.T, db *DB) {
			if got, err := db.Recent(ctx); err != nil || len(got) != recentMax {
				t.Errorf("recent = %d refs, err %v: want %d", len(got), err, recentMax)
			}
		}},
		{"plugin prefs", func(db *DB, i int) error {
			return db.UpdateSettings(ctx, func(s *Settings) error {
				if s.Plugins == nil {
					s.Plugins = map[string]PluginPrefs{}
				}
				s.Plugins[fmt.Sprint("p", i)] = PluginPrefs{Disabled: true}
				return nil
			})
		}, func(t *testing.T, db *DB) {
			if s, err := db.Settings(ctx); err != nil || len(s.Plugins) != n {
				t.Errorf("settings hold %d plugins' prefs, err %v: want %d", len(s.Plugins), err, n)
			}
		}},
		{"location state", func(db *DB, i int) error {
			if i%2 == 0 {
				return db.MarkSynced(ctx, "loc", t0.Add(time.Duration(i)))
			}
			return db.MarkFailed(ctx, "loc", fmt.Errorf("offline %d", i), t0.Add(time.Duration(i)))
		}, func(t *testing.T, db *DB) {
			if loc, ok, err := db.Location(ctx, "loc"); err != nil || !ok || loc.LastAttempt.IsZero() {
				t.Errorf("location = %+v, %v, %v", loc, ok, err)
			}
		}},
		{"runs", func(db *DB, i int) error { return db.PutRun(ctx, Run{ID: fmt.Sprintf("run-%03d", i)}) }, func(t *testing.T, db *DB) {
			got := 0
			if err := db.Runs(ctx, func(Run) error { got++; return nil }); err != nil || got != n {
				t.Errorf("runs = %d, err %v: want %d", got, err, n)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			backends(t, func(t *testing.T, db *DB) {
				if err := db.PutLocation(ctx, Location{ID: "loc", URL: "https://example.invalid/r.git"}); err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				errs := make([]error, n)
				start := make(chan struct{})
				for i := range n {
					wg.Go(func() {
						<-start
						errs[i] = tc.write(db, i)
					})
				}
				close(start)
				wg.Wait()
				failed := 0
				for _, err := range errs {
					if err != nil {
						failed++
						t.Log(err)
					}
				}
				if failed > 0 {
					t.Errorf("%d of %d concurrent writes failed", failed, n)
				}
				tc.check(t, db)
			})
		})
	}
}

func ref(i int) string { return fmt.Sprintf("component:default/c%02d", i) }
