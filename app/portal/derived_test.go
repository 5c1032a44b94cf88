package portal

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// A root location lists two repositories (as its sync would record):
// they are shown under it, cannot be removed on their own, do not make
// their hosts trusted, and go with it.
func TestDerivedLocationsInThePortal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := New(Config{DB: db, Syncer: syncer.New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet, nil), DataDir: dir, Log: quiet})

	if err := db.PutLocation(ctx, store.Location{ID: "root", URL: "https://git.example/org/root.git", Branch: "main", Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	at := catalog.Error{File: "catalog-info.yaml", Line: 7, Field: "spec.targets.0"}
	rules := store.DerivedRules{
		Holds: func(l store.Location, url, branch string) bool { return l.URL == url && l.Branch == branch },
		NewID: func(url string, _ map[string]bool) string { return strings.TrimSuffix(filepath.Base(url), ".git") },
	}
	if _, err := db.SetDerived(ctx, "root", []store.DerivedTarget{
		{URL: "https://other.example/org/svc.git", Branch: "main", Entity: "location:default/org", Roots: []string{"catalog-info.yaml", "api.yaml"}, At: at},
		{URL: "https://git.example/org/root.git", Branch: "main", Entity: "location:default/org", Roots: []string{"x.yaml"}, At: at},
	}, nil, rules); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLocation(ctx, "svc", store.Snapshot{Commit: "c1", Entities: []catalog.Processed{{
		Entity: catalog.Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Group", Metadata: catalog.Metadata{Name: "svc-team", Namespace: "default"},
			Raw: map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": map[string]any{"name": "svc-team", "namespace": "default"}}},
		Source: catalog.Source{File: "catalog-info.yaml", Line: 1}}}}, time.Now()); err != nil {
		t.Fatal(err)
	}

	locs, err := s.ListLocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Location{}
	for _, l := range locs {
		byID[l.ID] = l
	}
	svc := byID["svc"]
	if !svc.Derived || !slices.Equal(svc.ListedBy, []string{"root"}) || !slices.Equal(svc.Roots, []string{"api.yaml", "catalog-info.yaml"}) {
		t.Errorf("svc = %+v", svc)
	}
	want := []ProcessingError{{File: "catalog-info.yaml", Line: 7, Field: "spec.targets.0",
		Message: "target https://git.example/org/root.git is not followed: that repository is location root, which this location is read for (root → root), so it would loop"}}
	if diff := cmp.Diff(want, byID["root"].Refused); diff != "" {
		t.Errorf("root refused (-want +got):\n%s", diff)
	}

	if err := s.RemoveLocation(ctx, "svc"); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "listed by the Location entities of root") {
		t.Errorf("removing a derived location: %v", err)
	}
	if _, err := s.AddLocation(ctx, NewLocation{URL: "https://other.example/org/svc.git", Branch: "main"}); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), `location "svc", listed by root`) {
		t.Errorf("adding a derived location again: %v", err)
	}
	if ok, err := (Trust{db}).TrustsHost(ctx, "other.example"); err != nil || ok {
		t.Errorf("a derived location's host is trusted: %v, %v", ok, err)
	}
	if ok, err := (Trust{db}).TrustsHost(ctx, "git.example"); err != nil || !ok {
		t.Errorf("the user's location's host is not trusted: %v, %v", ok, err)
	}

	if err := s.RemoveLocation(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	if locs, err := s.ListLocations(ctx); err != nil || len(locs) != 0 {
		t.Errorf("after removing root: %v, %v", locs, err)
	}
	if _, ok, err := db.Entity(ctx, "group:default/svc-team"); err != nil || ok {
		t.Errorf("svc's entity outlived it: %v, %v", ok, err)
	}
}
