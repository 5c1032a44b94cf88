package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/outbox"
	"github.com/callboard/callboard/sync/remote"
)

// phases is an Emitter that remembers the sync:progress phases of each
// location, each phase once in the order first seen.
type phases struct {
	mu sync.Mutex
	by map[string][]string
}

func (p *phases) Emit(_ context.Context, name string, data any) {
	d, ok := data.(events.SyncProgressData)
	if name != events.SyncProgress || !ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !slices.Contains(p.by[d.LocationID], d.Phase) {
		p.by[d.LocationID] = append(p.by[d.LocationID], d.Phase)
	}
}

func orgFixture(t *testing.T, teams bool) (*Syncer, *store.DB, *forgetest.Server, *phases) {
	t.Helper()
	comp := func(name string) string { return string(comp(name)) }
	org := &forgetest.Org{Login: "acme",
		Members: []*forgetest.Member{{ID: 11, Login: "ada", Name: "Ada"}, {ID: 12, Login: "bob"}},
		Teams:   []*forgetest.Team{{ID: 1, Slug: "platform", Name: "Platform", Members: []string{"ada", "bob"}}},
		Repos: []*forgetest.Repo{
			{ID: 1, Name: "api", DefaultBranch: "main", Visibility: "private", Git: true, UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Files: map[string]string{"catalog-info.yaml": comp("api")}},
			{ID: 2, Name: "web", DefaultBranch: "main", Visibility: "public", Git: true, UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Files: map[string]string{"catalog-info.yaml": comp("web")}},
			{ID: 3, Name: "notes", DefaultBranch: "main", Visibility: "private", UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Files: map[string]string{"README.md": "# notes\n"}},
			{ID: 4, Name: "legacy", DefaultBranch: "main", Visibility: "private", Archived: true, UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Files: map[string]string{"catalog-info.yaml": comp("legacy")}},
		}}
	srv := forgetest.NewGitHub(t, org)
	src, err := discover.ParseSource(srv.URL+"/acme", remote.GitHub)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(src)
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), "", quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PutLocation(context.Background(), store.Location{ID: "acme", URL: src.URL(), Org: &store.Org{Source: raw, Teams: teams}}); err != nil {
		t.Fatal(err)
	}
	rec := &phases{by: map[string][]string{}}
	s := New(db, filepath.Join(t.TempDir(), "clones"), gitfetch.Credentials{}, rec, quiet, nil)
	s.orgClock = forgetest.NewClock(forgetest.Epoch.Add(24 * time.Hour))
	s.orgToken = func(_ context.Context, host string) (string, error) {
		if host != src.Host {
			t.Errorf("token asked for %s, want %s", host, src.Host)
		}
		return srv.Token, nil
	}
	return s, db, srv, rec
}

func locationsOf(t *testing.T, db *store.DB) map[string]store.Location {
	t.Helper()
	locs, err := db.Locations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Location{}
	for _, l := range locs {
		out[l.ID] = l
	}
	return out
}

func TestSyncOrg(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, srv, rec := orgFixture(t, true)
	if err := s.SyncTree(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	want := []string{"component:default/api", "component:default/web", "group:default/platform", "user:default/ada", "user:default/bob"}
	if diff := cmp.Diff(want, names(t, db)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	locs := locationsOf(t, db)
	for _, id := range []string{"api", "web"} {
		l := locs[id]
		if !l.Derived || l.RepoID == "" || !slices.Equal(l.ListedBy(), []string{"acme"}) || l.LastSuccess.IsZero() {
			t.Errorf("location %s = %+v; want a synced derived location listed by acme", id, l)
		}
	}
	if org := locs["acme"].Org; org == nil || org.Repos != 4 || org.Catalogued != 2 || org.ListedAt.IsZero() {
		t.Errorf("org summary = %+v", org)
	}
	listing, ok, err := db.OrgListing(ctx, "acme")
	if err != nil || !ok {
		t.Fatalf("OrgListing = %v, %v", ok, err)
	}
	skipped := map[string]string{}
	for _, r := range listing.Repos {
		skipped[r.FullName] = r.Skipped
	}
	if diff := cmp.Diff(map[string]string{"acme/api": "", "acme/web": "", "acme/notes": "noFile", "acme/legacy": "archived"}, skipped); diff != "" {
		t.Errorf("skip reasons (-want +got):\n%s", diff)
	}
	st, err := db.Settings(ctx)
	if err != nil || st.UserRef != "user:default/ada" {
		t.Errorf("identity = %q, %v; want the token's user", st.UserRef, err)
	}
	if got := rec.by["acme"]; len(got) == 0 || got[0] != "discover" {
		t.Errorf("org phases = %v, want discover first", got)
	}

	// An idle org costs one listing request (and the teams, imported).
	srv.ResetRequests()
	if err := s.SyncTree(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if n := srv.Requests("OrgRepos"); n != 0 {
		t.Errorf("an idle sync listed repositories again (%d requests)", n)
	}

	// Archiving a repository takes its location and entities.
	srv.Update(func(o *forgetest.Org) {
		o.Repos[1].Archived = true
		o.Repos[1].UpdatedAt = forgetest.Epoch.Add(1e9)
	})
	if err := s.SyncTree(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if _, ok := locationsOf(t, db)["web"]; ok {
		t.Error("the archived repository's location stayed")
	}
	if slices.Contains(names(t, db), "component:default/web") {
		t.Error("the archived repository's entities stayed")
	}

	// Offline: the sync fails and everything discovered stays, stale.
	s.orgTransport = roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("offline") })
	err = s.Sync(ctx, "acme")
	if err == nil {
		t.Fatal("an offline listing succeeded")
	}
	acme := locationsOf(t, db)["acme"]
	if acme.StaleSince.IsZero() || acme.Org.ListedAt.IsZero() {
		t.Errorf("offline org = %+v; want stale with its last listing time", acme)
	}
	if !slices.Contains(names(t, db), "component:default/api") || !slices.Contains(names(t, db), "user:default/ada") {
		t.Errorf("entities after an offline sync = %v", names(t, db))
	}
}

// Without teams, the token's own user is still the org location's User.
func TestSyncOrgViewerOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, srv, _ := orgFixture(t, false)
	if err := s.Sync(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"user:default/ada"}, names(t, db)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	srv.ResetRequests()
	if err := s.Sync(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if n := srv.Requests(""); n != 1 {
		t.Errorf("an idle sync made %d requests, want 1", n)
	}
}

// An org location has no clone: every call that reads or writes one
// refuses, naming the repositories' locations to ask instead.
func TestOrgHasNoRepository(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, _, _ := orgFixture(t, false)
	if err := s.SyncTree(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	_, _, _, readErr := s.ReadFile(ctx, "acme", "catalog-info.yaml")
	_, historyErr := s.History(ctx, "acme", "users/ada.yaml", "user:default/ada", 10)
	_, _, filesErr := s.Files(ctx, "acme")
	_, writeErr := s.Write(ctx, "acme", Write{Message: "add", Changes: []outbox.Change{{Path: "catalog-info.yaml", Content: []byte("x: 1\n")}}})
	for call, err := range map[string]error{"ReadFile": readErr, "History": historyErr, "Files": filesErr, "Write": writeErr} {
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "has no repository of its own") || !strings.Contains(err.Error(), "locations: api, web") {
			t.Errorf("%s on an org location = %v; want a refusal naming api and web", call, err)
		}
	}
}

func TestOrgHasNoRepoNames(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		listing []string
		want    string
	}{
		{nil, "show the history of"},
		{[]string{"api"}, "use location api, its repository, instead"},
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, "locations: a, b, c, d, e and 2 more"},
	} {
		err := orgHasNoRepo(store.Location{ID: "acme", Org: &store.Org{}, Links: store.Links{Listing: c.listing}})
		if !errors.Is(err, ErrRefused) || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("orgHasNoRepo(%v) = %v, want ending %q", c.listing, err, c.want)
		}
	}
}
