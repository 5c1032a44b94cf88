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
	"github.com/callboard/callboard/app/workers"
)

// option changes a test Service's Config before New builds the areas
// from it; the options run in order, with DB and Log already set.
type option func(*Config)

// keep is an option that copies the Config, as the options before it
// left it, into cfg.
func keep(cfg *Config) option { return func(c *Config) { *cfg = *c } }

// newService is a Service over a fresh store in memory.
func newService(t testing.TB, opts ...option) (*Service, *store.DB) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), "", quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := Config{DB: db, Log: quiet, Workers: testWorkers(t)}
	for _, o := range opts {
		o(&cfg)
	}
	return New(cfg), db
}

// testWorkers owns a test service's background work, as the instance
// does: the test's cleanup stops it and waits, before the store closes
// (cleanups registered earlier run later).
func testWorkers(t testing.TB) *workers.Group {
	g := workers.New(slog.New(slog.DiscardHandler))
	t.Cleanup(func() {
		if err := g.Close(time.Minute); err != nil {
			t.Error(err)
		}
	})
	return g
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
		{NewLocation{URL: "https://x:tok@github.com/org/r.git"}, "https://github.com has a user name or password before the host"},
		{NewLocation{URL: "https://hunter2@example.com/org/repo.git"}, "has a user name or password before the host; take it out and store the token with `callboard token set example.com`"},
		{NewLocation{URL: "https://example.com/org/repo.git?access_token=hunter2"}, `has "access_token" in its query`},
		{NewLocation{URL: "https://example.com/org/repo.git?private_token=hunter2"}, `has "private_token" in its query`},
		{NewLocation{URL: "ssh://git@example.com/org/repo.git"}, "ssh://git@example.com/org/repo.git||catalog-info.yaml"},
		{NewLocation{URL: "https://github.com/org/r.git", Path: "../outside.yaml"}, `path "../outside.yaml" must name a file or glob inside the repository`},
		{NewLocation{URL: "https://github.com/org/r.git", Branch: "has space"}, `"has space" is not a branch name`},
		{NewLocation{URL: dir + "/nope"}, "is not a directory"},
	}
	for _, tt := range tests {
		loc, err := normalizeLocation(tt.in)
		got := loc.URL + "|" + loc.Branch + "|" + loc.Path
		if err != nil {
			got = err.Error()
			if !errors.Is(err, ErrInvalid) || strings.Contains(got, "hunter2") || strings.Contains(got, "tok@") {
				t.Errorf("normalizeLocation(%+v) = %v: want ErrInvalid, without the secret", tt.in, err)
			}
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

func TestTrustedGitHostsSetting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	got, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, TrustedGitHosts: []string{" GitHub.com ", "git.example:8443", "", "github.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"git.example:8443", "github.com"}, got.TrustedGitHosts); diff != "" {
		t.Errorf("trusted hosts (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"https://github.com", "user@github.com", "github.com/org", "git hub.com", "-x.com"} {
		if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, TrustedGitHosts: []string{bad}}); !errors.Is(err, ErrInvalid) {
			t.Errorf("trusting %q = %v, want ErrInvalid", bad, err)
		}
	}
	if err := db.PutLocation(ctx, store.Location{ID: "corp", URL: "https://git.corp.example/org/catalog.git"}); err != nil {
		t.Fatal(err)
	}
	db.PutLocation(ctx, store.Location{ID: "ssh", URL: "git@gitlab.example:org/catalog.git"})
	db.PutLocation(ctx, store.Location{ID: "local", URL: "/home/ada/catalog"})
	for host, want := range map[string]bool{"github.com": true, "GITHUB.COM": true, "git.example:8443": true, "git.example": false, "git.corp.example": true, "gitlab.example": true, "evil.example": false, "": false} {
		if ok, err := (Trust{db}).TrustsHost(ctx, host); err != nil || ok != want {
			t.Errorf("TrustsHost(%q) = %v, %v; want %v", host, ok, err, want)
		}
	}
}

// An entity whose placeholders were read by URL says when, and whether
// the copies kept offline were used.
func TestEntityRemoteParts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	db.PutLocation(ctx, store.Location{ID: "a"})
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\nspec: {type: service, lifecycle: production, owner: team}\n"}, catalog.Options{}, "c.yaml")
	read := time.Date(2026, 3, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	res.Entities[0].Remote = &catalog.Remote{URLs: []string{"https://specs.example/a.yaml"}, ReadAt: read, Stale: "specs.example cannot be reached"}
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c", Entities: res.Entities}, time.Now()); err != nil {
		t.Fatal(err)
	}
	d, err := s.GetEntity(ctx, "component:svc")
	if err != nil {
		t.Fatal(err)
	}
	want := &RemoteParts{URLs: []string{"https://specs.example/a.yaml"}, ReadAt: "2026-03-01T08:00:00Z", Stale: "specs.example cannot be reached"}
	if diff := cmp.Diff(want, d.Remote); diff != "" {
		t.Errorf("remote parts (-want +got):\n%s", diff)
	}

	// Read again, and confirmed unchanged since: the kept file says when.
	res.Entities[0].Remote.Stale = ""
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c", Entities: res.Entities}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.PutRemoteFile(ctx, "https://specs.example/a.yaml", store.RemoteFile{ReadAt: read.Add(3 * time.Hour), Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if d, err = s.GetEntity(ctx, "component:svc"); err != nil {
		t.Fatal(err)
	}
	if d.Remote == nil || d.Remote.ReadAt != "2026-03-01T11:00:00Z" || d.Remote.Stale != "" {
		t.Errorf("remote parts after a confirmation = %+v", d.Remote)
	}
}

func TestRemoteReadHostsSetting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	got, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, RemoteReadHosts: []string{"Specs.Example.com", "specs.example.com", "127.0.0.1:8443"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"127.0.0.1:8443", "specs.example.com"}, got.RemoteReadHosts); diff != "" {
		t.Errorf("remote read hosts (-want +got):\n%s", diff)
	}
	if st, _ := db.Settings(ctx); !cmp.Equal(st.RemoteReadHosts, got.RemoteReadHosts) {
		t.Errorf("stored %v", st.RemoteReadHosts)
	}
	if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, RemoteReadHosts: []string{"https://specs.example.com/x"}}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "remote read host") {
		t.Errorf("a URL as a host: %v, want ErrInvalid naming the setting", err)
	}
}

// A location stored before secrets in URLs were refused is listed without
// the secret and with what to do, and is not synced.
func TestStoredLocationWithSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var cfg Config
	s := demoService(t, keep(&cfg))
	for id, url := range map[string]string{"user": "https://hunter2@127.0.0.1:1/org/repo.git", "query": "https://127.0.0.1:1/org/repo.git?access_token=hunter2"} {
		if err := cfg.DB.PutLocation(ctx, store.Location{ID: id, URL: url, Path: "catalog-info.yaml"}); err != nil {
			t.Fatal(err)
		}
	}
	locs, err := s.Sync(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, l := range locs {
		if l.ID != "user" && l.ID != "query" {
			continue
		}
		seen++
		if strings.Contains(l.URL, "hunter2") || strings.Contains(l.LastError, "hunter2") {
			t.Errorf("location %s shows the secret: %+v", l.ID, l)
		}
		if l.Status != "error" || !strings.Contains(l.LastError, "this location's URL holds a secret, so Callboard no longer syncs it: remove the location and add it again without the secret") {
			t.Errorf("location %s: %s %q", l.ID, l.Status, l.LastError)
		}
		stored, _, _ := cfg.DB.Location(ctx, l.ID)
		if !strings.Contains(stored.LastError, "the URL holds a secret") || strings.Contains(stored.LastError, "hunter2") {
			t.Errorf("the sync of %s failed with %q", l.ID, stored.LastError)
		}
	}
	if seen != 2 {
		t.Errorf("listed %d of the 2 locations", seen)
	}
}
