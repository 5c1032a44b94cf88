package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// fileStates reads location id's file state as file → entry.
func fileStates(t *testing.T, db *DB, id string) (map[string]string, bool) {
	t.Helper()
	got := map[string]string{}
	version, ok, err := db.FileStates(context.Background(), id, func(file string, data []byte) error {
		got[file] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if loc, _, _ := db.Location(context.Background(), id); ok && version != loc.Version {
		t.Errorf("FileStates version = %d, location's = %d", version, loc.Version)
	}
	return got, ok
}

func cached(pairs ...string) []catalog.CachedFile {
	out := []catalog.CachedFile{}
	for i := 0; i < len(pairs); i += 2 {
		f := catalog.CachedFile{File: pairs[i]}
		if pairs[i+1] != "" {
			f.Data = []byte(pairs[i+1])
		}
		out = append(out, f)
	}
	return out
}

// The file state is written with the set it describes, by an in-place
// update and by a new generation alike: changed entries written, unchanged
// ones kept (copied into a new generation), those of files gone dropped.
func TestFileStatesFollowTheSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := Open(ctx, t.TempDir(), quiet)
	defer db.Close()
	db.PutLocation(ctx, Location{ID: "a"})
	if _, ok := fileStates(t, db, "a"); ok {
		t.Fatal("a location never synced has a file state")
	}

	snap := chain(10, false)
	snap.Files = cached("a.yaml", "A1", "b.yaml", "B1", "c.yaml", "C1")
	if err := db.ReplaceLocation(ctx, "a", snap, t0); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.yaml": "A1", "b.yaml": "B1", "c.yaml": "C1"}
	if got, ok := fileStates(t, db, "a"); !ok || !cmp.Equal(got, want) {
		t.Fatalf("after the first generation: %v %v, want %v", got, ok, want)
	}

	// In place: a.yaml changed, b.yaml unchanged, c.yaml gone, d.yaml new.
	small := chain(10, true)
	small.Entities[0].Reused = false
	small.Files = cached("a.yaml", "A2", "b.yaml", "", "d.yaml", "D1")
	gen := mustLocation(t, db, "a").Gen
	if err := db.ReplaceLocation(ctx, "a", small, t0); err != nil {
		t.Fatal(err)
	}
	if mustLocation(t, db, "a").Gen != gen {
		t.Fatal("a small change made a new generation")
	}
	want = map[string]string{"a.yaml": "A2", "b.yaml": "B1", "d.yaml": "D1"}
	if got, ok := fileStates(t, db, "a"); !ok || !cmp.Equal(got, want) {
		t.Fatalf("after an in-place update: %v %v, want %v", got, ok, want)
	}

	// A new generation: unchanged entries are copied from the old one.
	big := chain(maxInPlace+10, false)
	big.Files = cached("a.yaml", "", "b.yaml", "", "e.yaml", "E1")
	if err := db.ReplaceLocation(ctx, "a", big, t0); err != nil {
		t.Fatal(err)
	}
	if mustLocation(t, db, "a").Gen == gen {
		t.Fatal("a large change was applied in place")
	}
	want = map[string]string{"a.yaml": "A2", "b.yaml": "B1", "e.yaml": "E1"}
	if got, ok := fileStates(t, db, "a"); !ok || !cmp.Equal(got, want) {
		t.Fatalf("after a new generation: %v %v, want %v", got, ok, want)
	}
}

// A file state the entities moved on from is not trusted: a write that
// kept none (Files nil), or one by an older Callboard, which bumps the
// location's Version and leaves the marker as it was.
func TestFileStatesDistrustedAfterAWriteWithout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, write := range map[string]func(db *DB) error{
		"in place without files": func(db *DB) error { return db.ReplaceLocation(ctx, "a", chain(10, true), t0) },
		"new generation without files": func(db *DB) error {
			return db.ReplaceLocation(ctx, "a", chain(maxInPlace+10, false), t0)
		},
		"an older Callboard": func(db *DB) error {
			loc, _, err := db.Location(ctx, "a")
			if err != nil {
				return err
			}
			loc.Version++
			return db.PutLocation(ctx, loc)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db, _ := Open(ctx, "", quiet)
			defer db.Close()
			db.PutLocation(ctx, Location{ID: "a"})
			snap := chain(10, false)
			snap.Files = cached("a.yaml", "A1")
			if err := db.ReplaceLocation(ctx, "a", snap, t0); err != nil {
				t.Fatal(err)
			}
			if err := write(db); err != nil {
				t.Fatal(err)
			}
			if got, ok := fileStates(t, db, "a"); ok {
				t.Errorf("file state trusted after the write: %v", got)
			}
		})
	}
}

// A generation swept (a crash before its swap) takes its file state with it.
func TestFileStatesOfAnUnswappedGenerationAreSwept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, _ := Open(ctx, dir, quiet)
	db.PutLocation(ctx, Location{ID: "a"})
	snap := chain(10, false)
	snap.Files = cached("a.yaml", "A1")
	if err := db.ReplaceLocation(ctx, "a", snap, t0); err != nil {
		t.Fatal(err)
	}
	loc := mustLocation(t, db, "a")
	// What a crash between the batches and the swap leaves.
	orphan := genPrefix("a", loc.Gen+1) + sFile + "x.yaml"
	wb := db.db.NewWriteBatch()
	wb.Set([]byte(orphan), []byte("X"))
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := countKeys(t, db, orphan); n != 0 {
		t.Errorf("%d keys of the unswapped generation left after open", n)
	}
	if got, ok := fileStates(t, db, "a"); !ok || fmt.Sprint(got) != "map[a.yaml:A1]" {
		t.Errorf("file state = %v %v", got, ok)
	}
}

func mustLocation(t *testing.T, db *DB, id string) Location {
	t.Helper()
	loc, ok, err := db.Location(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("location %s: %v %v", id, ok, err)
	}
	return loc
}
