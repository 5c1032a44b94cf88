package syncer

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gittest"
)

// processedFiles says how many files the last sync of location id read
// and judged again, and how many it took from the file cache.
func processedFiles(t *testing.T, s *Syncer, id string) (processed, reused int) {
	t.Helper()
	v, ok := s.runs.Load(id)
	if !ok {
		t.Fatalf("location %s was not processed", id)
	}
	return v.(runStats).processed, v.(runStats).reused
}

// Each commit is synced by a new process (a store opened again, a new
// syncer: nothing in memory) and from scratch: the stores read the same,
// and the new process reads only the files that changed, and the root
// Location, which is always read.
func TestRestartedSyncIsIncremental(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	dir := t.TempDir()
	db, _ := openDataDir(t, dir)
	if err := db.PutLocation(ctx, store.Location{ID: "loc", URL: repo.Dir, Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Files each step reads: what the step changed (api.yaml when its
	// placeholder's file changed), and the root Location when files were
	// added or removed, which the whole set is read again for; from step
	// 5 on, svc/a2.yaml too, which repeats a and is read on every run.
	want := []int{5, 1, 1, 2, 1, 3, 3}
	for i, files := range incrementalSteps() {
		repo.Commit(fmt.Sprint("step ", i), files)
		db, s := openDataDir(t, dir)
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatalf("step %d: sync after a restart: %v", i, err)
		}
		got := view(t, db)
		if processed, reused := processedFiles(t, s, "loc"); processed != want[i] {
			t.Errorf("step %d: a new process read %d files (%d reused), want %d", i, processed, reused, want[i])
		}
		db.Close()
		fresh, fdb, _ := setup(t, repo.Dir)
		if err := fresh.Sync(ctx, "loc"); err != nil {
			t.Fatalf("step %d: fresh sync: %v", i, err)
		}
		if diff := cmp.Diff(view(t, fdb), got); diff != "" {
			t.Errorf("step %d: the restarted store differs (-fresh +restarted):\n%s", i, diff)
		}
	}
}
