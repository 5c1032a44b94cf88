package store

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

var (
	quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
	t0    = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// backends runs a test against the store in memory and on disk.
func backends(t *testing.T, fn func(t *testing.T, db *DB)) {
	for _, b := range []struct{ name, dir string }{{"memory", ""}, {"disk", t.TempDir()}} {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db, err := Open(context.Background(), b.dir, quiet)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, db)
		})
	}
}

func entity(kind, name string, spec map[string]any) catalog.Processed {
	e := catalog.Entity{APIVersion: "backstage.io/v1alpha1", Kind: kind, Spec: spec,
		Metadata: catalog.Metadata{Name: name, Namespace: "default"}}
	e.Raw = map[string]any{"apiVersion": e.APIVersion, "kind": kind, "metadata": map[string]any{"name": name, "namespace": "default"}}
	if spec != nil {
		e.Raw["spec"] = spec
	}
	return catalog.Processed{Entity: e, Source: catalog.Source{File: "catalog-info.yaml", Line: 1}}
}

func refs(t *testing.T, db *DB) []string {
	t.Helper()
	var out []string
	if err := db.Entities(context.Background(), func(e Entity) bool {
		out = append(out, e.Entity.Ref().String()+"@"+e.LocationID)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReplaceLocation(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for _, id := range []string{"a", "b"} {
			if err := db.PutLocation(ctx, Location{ID: id, URL: "/repo/" + id, Path: "catalog-info.yaml"}); err != nil {
				t.Fatal(err)
			}
		}
		svc := entity("Component", "svc", map[string]any{"owner": "team"})
		edges := []catalog.Edge{{Source: svc.Entity.Ref(), Type: catalog.RelOwnedBy, Target: catalog.Ref{Kind: "group", Namespace: "default", Name: "team"}}}
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c1", Entities: []catalog.Processed{svc, entity("API", "api", nil)}, Edges: edges}, t0); err != nil {
			t.Fatal(err)
		}
		// b emits svc too: a keeps it, b gets a processing error naming a.
		if err := db.ReplaceLocation(ctx, "b", Snapshot{Commit: "c9", Entities: []catalog.Processed{svc, entity("Group", "team", nil)}}, t0); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"api:default/api@a", "component:default/svc@a", "group:default/team@b"}, refs(t, db)); diff != "" {
			t.Errorf("entities (-want +got):\n%s", diff)
		}
		b, _, _ := db.Location(ctx, "b")
		if len(b.Errors) != 1 || b.Errors[0].Message != "component:default/svc is already provided by location a; the first location keeps it" {
			t.Errorf("location b errors = %v", b.Errors)
		}
		rels, err := db.Relations(ctx, "component:default/svc")
		if err != nil || len(rels) != 1 || rels[0] != (Relation{Type: "ownedBy", Target: "group:default/team"}) {
			t.Errorf("relations = %v, %v", rels, err)
		}
		// A new commit of a drops api and svc's relation: both go.
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c2", Entities: []catalog.Processed{svc}}, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"component:default/svc@a", "group:default/team@b"}, refs(t, db)); diff != "" {
			t.Errorf("after second commit (-want +got):\n%s", diff)
		}
		if rels, _ := db.Relations(ctx, "component:default/svc"); len(rels) != 0 {
			t.Errorf("stale relations kept: %v", rels)
		}
		a, _, _ := db.Location(ctx, "a")
		if a.HeadCommit != "c2" || a.Entities != 1 || !a.LastSuccess.Equal(t0.Add(time.Hour)) {
			t.Errorf("location a = %+v", a)
		}
	})
}

func TestMarkFailedKeepsEntitiesAndMarksStale(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		db.PutLocation(ctx, Location{ID: "a"})
		if err := db.ReplaceLocation(ctx, "a", Snapshot{Commit: "c1", Entities: []catalog.Processed{entity("Component", "svc", nil)}}, t0); err != nil {
			t.Fatal(err)
		}
		later := t0.Add(time.Minute)
		if err := db.MarkFailed(ctx, "a", errors.New("remote hung up"), later); err != nil {
			t.Fatal(err)
		}
		loc, _, _ := db.Location(ctx, "a")
		if loc.LastError != "remote hung up" || !loc.StaleSince.Equal(later) || loc.HeadCommit != "c1" {
			t.Errorf("location = %+v", loc)
		}
		if got := refs(t, db); len(got) != 1 {
			t.Errorf("entities after failure = %v", got)
		}
	})
}

func TestReplaceUnknownLocation(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		err := db.ReplaceLocation(context.Background(), "nope", Snapshot{}, t0)
		if err == nil {
			t.Fatal("want an error for an unregistered location")
		}
	})
}

func TestOpenLockedAndReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, dir, quiet); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open error = %v, want ErrLocked", err)
	}
	db.PutLocation(ctx, Location{ID: "a", URL: "u"})
	db.Close()
	db, err = Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, ok, _ := db.Location(ctx, "a"); !ok {
		t.Error("location lost across reopen")
	}
}
