package syncer

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// recorder is an Emitter that remembers event names.
type recorder struct {
	mu    sync.Mutex
	names []string
}

func (r *recorder) Emit(_ context.Context, name string, _ any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, name)
}

func comp(name string) []byte {
	return []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n")
}

const root = "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./a.yaml, ./b.yaml]\n"

func setup(t *testing.T, url string) (*Syncer, *store.DB, *recorder) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), "", quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PutLocation(context.Background(), store.Location{ID: "loc", URL: url, Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	return New(db, filepath.Join(t.TempDir(), "clones"), gitfetch.Credentials{}, rec, quiet, nil), db, rec
}

func names(t testing.TB, db *store.DB) []string {
	t.Helper()
	var out []string
	db.Entities(context.Background(), func(e store.Entity) bool {
		out = append(out, e.Entity.Ref().String())
		return true
	})
	return out
}

func TestSyncFollowsTheRepository(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	first := repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte(root), "a.yaml": comp("alpha"), "b.yaml": comp("beta")})
	s, db, rec := setup(t, repo.Dir)

	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	want := []string{"component:default/alpha", "component:default/beta", "location:default/root"}
	if diff := cmp.Diff(want, names(t, db)); diff != "" {
		t.Errorf("after clone (-want +got):\n%s", diff)
	}
	loc, _, _ := db.Location(ctx, "loc")
	if loc.HeadCommit != first || loc.LastError != "" {
		t.Errorf("location after clone = %+v", loc)
	}
	alpha, _, _ := db.Entity(ctx, "component:default/alpha")
	if got, want := alpha.Entity.Metadata.Annotations[catalog.AnnotationLocation], "url:"+repo.Dir+"/blob/main/a.yaml"; got != want {
		t.Errorf("%s = %q, want %q", catalog.AnnotationLocation, got, want)
	}

	// Deleting b.yaml removes beta and fails the Location that still names
	// it: as in Backstage, the Location's last good version stays, with the
	// error; alpha is renamed to gamma.
	second := repo.Commit("second", map[string][]byte{"b.yaml": nil, "a.yaml": comp("gamma")})
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	want = []string{"component:default/gamma", "location:default/root"}
	if diff := cmp.Diff(want, names(t, db)); diff != "" {
		t.Errorf("after fetch (-want +got):\n%s", diff)
	}
	if root, _, _ := db.Entity(ctx, "location:default/root"); len(root.Errors) != 1 || !strings.Contains(root.Errors[0].Message, "target b.yaml does not exist") {
		t.Errorf("kept Location's errors = %v", root.Errors)
	}
	loc, _, _ = db.Location(ctx, "loc")
	if loc.HeadCommit != second || len(loc.Errors) != 1 || !strings.Contains(loc.Errors[0].Message, "target b.yaml does not exist") {
		t.Errorf("location after fetch = %+v", loc)
	}
	got := strings.Join(rec.names, " ")
	if !strings.Contains(got, events.SyncProgress) || !strings.HasSuffix(got, events.SyncDone+" "+events.CatalogChanged) {
		t.Errorf("events = %s", got)
	}
}

func TestSyncDeadRemoteKeepsEntities(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": comp("alpha")})
	s, db, rec := setup(t, repo.Dir)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	// The remote disappears: the sync fails, the entities stay, marked stale.
	loc, _, _ := db.Location(ctx, "loc")
	loc.URL = filepath.Join(t.TempDir(), "gone")
	db.PutLocation(ctx, loc)
	if err := s.Sync(ctx, "loc"); err == nil {
		t.Fatal("sync of a dead remote succeeded")
	}
	loc, _, _ = db.Location(ctx, "loc")
	if loc.LastError == "" || loc.StaleSince.IsZero() {
		t.Errorf("failure not recorded: %+v", loc)
	}
	if diff := cmp.Diff([]string{"component:default/alpha"}, names(t, db)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	if last := rec.names[len(rec.names)-1]; last != events.SyncError {
		t.Errorf("last event = %s, want %s", last, events.SyncError)
	}
}

func TestSyncNeverClonedRemote(t *testing.T) {
	t.Parallel()
	s, db, _ := setup(t, filepath.Join(t.TempDir(), "missing"))
	err := s.Sync(context.Background(), "loc")
	if err == nil || !strings.Contains(err.Error(), "clone") {
		t.Fatalf("error = %v, want a clone error", err)
	}
	loc, _, _ := db.Location(context.Background(), "loc")
	if loc.LastError == "" || !loc.StaleSince.IsZero() {
		t.Errorf("location = %+v: want the error, and not stale (it never had data)", loc)
	}
}

// sourcesOf is an Emitter that keeps, per location, the SourceOf of its
// sync:progress events, each value once.
type sourcesOf struct {
	mu sync.Mutex
	by map[string][]string
}

func (p *sourcesOf) Emit(_ context.Context, name string, data any) {
	d, ok := data.(events.SyncProgressData)
	if name != events.SyncProgress || !ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !slices.Contains(p.by[d.LocationID], d.SourceOf) {
		p.by[d.LocationID] = append(p.by[d.LocationID], d.SourceOf)
	}
}

// A source clone made for a Backstage location's entities reports its
// progress naming that location, so the entity page waiting on it can
// show a bar; a location of the user's own names none.
func TestSourceCloneProgressNamesItsBackstage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, "", quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	repo := gittest.New(t)
	repo.Commit("init", map[string][]byte{"catalog-info.yaml": comp("svc")})
	for _, l := range []store.Location{{ID: "own", URL: repo.Bare()}, {ID: "svc-source", URL: repo.Bare(), SourceOf: "acme-backstage"}} {
		if err := db.PutLocation(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	got := &sourcesOf{by: map[string][]string{}}
	s := New(db, t.TempDir(), gitfetch.Credentials{}, got, quiet, nil)
	for _, id := range []string{"own", "svc-source"} {
		if err := s.Sync(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string][]string{"own": {""}, "svc-source": {"acme-backstage"}}
	if diff := cmp.Diff(want, got.by); diff != "" {
		t.Errorf("progress events' sourceOf (-want +got):\n%s", diff)
	}
}
