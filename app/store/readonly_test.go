package store

import (
	"context"
	"errors"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// written makes a store on disk holding location a and entity svc,
	// closed unless keep, after change has had its say.
	written := func(t *testing.T, keep bool, change func(db *DB)) string {
		dir := t.TempDir()
		db, err := Open(ctx, dir, quiet)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PutLocation(ctx, Location{ID: "a", URL: "/repo/a"}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c1", Entities: []catalog.Processed{entity("Component", "svc", nil)}}, t0); err != nil {
			t.Fatal(err)
		}
		if change != nil {
			change(db)
		}
		if keep {
			t.Cleanup(func() { db.Close() })
		} else if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
		want error // nil: opens and reads
	}{
		{"written and closed", func(t *testing.T) string { return written(t, false, nil) }, nil},
		{"no store yet", func(t *testing.T) string { return t.TempDir() + "/store" }, ErrNotReadable},
		{"held by a writer", func(t *testing.T) string { return written(t, true, nil) }, ErrLocked},
		{"older format", func(t *testing.T) string {
			return written(t, false, func(db *DB) {
				if err := db.db.Update(func(txn *badger.Txn) error { return putJSON(txn, formatKey, format-1) }); err != nil {
					t.Fatal(err)
				}
			})
		}, ErrNotReadable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := tc.dir(t)
			db, err := OpenReadOnly(ctx, dir, quiet)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("OpenReadOnly error = %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// Readers share the store.
			other, err := OpenReadOnly(ctx, dir, quiet)
			if err != nil {
				t.Fatalf("second reader: %v", err)
			}
			defer other.Close()
			if _, ok, err := other.Entity(ctx, "component:default/svc"); err != nil || !ok {
				t.Errorf("Entity = ok %v, err %v; want the entity", ok, err)
			}
			if err := db.PutLocation(ctx, Location{ID: "b", URL: "/repo/b"}); err == nil {
				t.Error("PutLocation on a read-only store succeeded")
			}
		})
	}
}
