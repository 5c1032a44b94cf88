package portal

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
)

// newService is a Service over a fresh store in memory.
func newService(t testing.TB) (*Service, *store.DB) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), "", quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(Config{DB: db, Log: quiet}), db
}

func TestRelationsToMissingEntitiesAreKeptAndMarked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	db.PutLocation(ctx, store.Location{ID: "a"})
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\nspec: {type: service, lifecycle: production, owner: team, dependsOn: [component:other]}\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: other}\nspec: {type: service, lifecycle: production, owner: team}\n"}, catalog.Options{}, "c.yaml")
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c", Entities: res.Entities, Edges: res.Edges}, time.Now()); err != nil {
		t.Fatal(err)
	}
	d, err := s.GetEntity(ctx, "component:svc")
	if err != nil {
		t.Fatal(err)
	}
	want := []Relation{
		{Type: "dependsOn", TargetRef: "component:default/other"},
		{Type: "ownedBy", TargetRef: "group:default/team", Missing: true},
	}
	if diff := cmp.Diff(want, d.Relations); diff != "" {
		t.Errorf("relations (-want +got):\n%s", diff)
	}
}

func TestNormalizeLocation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		in   NewLocation
		want string // URL|branch|path, or the error
	}{
		{NewLocation{URL: "https://github.com/org/catalog.git"}, "https://github.com/org/catalog.git||catalog-info.yaml"},
		{NewLocation{URL: " git@github.com:org/catalog.git ", Branch: "main", Path: "./teams/*.yaml"}, "git@github.com:org/catalog.git|main|teams/*.yaml"},
		{NewLocation{URL: dir}, dir + "||catalog-info.yaml"},
		{NewLocation{URL: ""}, "a location needs a repository URL or path"},
		{NewLocation{URL: "https://x:tok@github.com/org/r.git"}, "put no password or token in the URL"},
		{NewLocation{URL: "https://github.com/org/r.git", Path: "../outside.yaml"}, `path "../outside.yaml" must name a file or glob inside the repository`},
		{NewLocation{URL: "https://github.com/org/r.git", Branch: "has space"}, `"has space" is not a branch name`},
		{NewLocation{URL: dir + "/nope"}, "is not a directory"},
	}
	for _, tt := range tests {
		loc, err := normalizeLocation(tt.in)
		got := loc.URL + "|" + loc.Branch + "|" + loc.Path
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("normalizeLocation(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	taken := map[string]bool{"catalog": true}
	for in, want := range map[string]string{"https://github.com/org/catalog.git": "catalog-2", "git@host:org/Team_Services.git": "team-services", "/": "location"} {
		if got := locationID(in, taken); got != want {
			t.Errorf("locationID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	if got, err := s.Settings(ctx); err != nil || got.SyncIntervalMinutes != 5 || s.SyncInterval(ctx) != 5*time.Minute {
		t.Errorf("defaults = %+v, %v", got, err)
	}
	if got, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 15}); err != nil || got.SyncIntervalMinutes != 15 || s.SyncInterval(ctx) != 15*time.Minute {
		t.Errorf("after update = %+v, %v", got, err)
	}
	for _, bad := range []int{0, -1, 24*60 + 1} {
		if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: bad}); !errors.Is(err, ErrInvalid) {
			t.Errorf("UpdateSettings(%d) = %v, want ErrInvalid", bad, err)
		}
	}
}
