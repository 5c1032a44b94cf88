package portal

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/listing"
	"github.com/callboard/callboard/app/store"
)

func refsOf(items []EntitySummary) []string {
	out := []string{}
	for _, e := range items {
		out = append(out, e.Ref)
	}
	return out
}

func TestListEntitiesFromTheListing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := demoService(t)
	all, err := s.ListEntities(ctx, EntityQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total < 70 || len(all.Items) != all.Total {
		t.Fatalf("all: %d items of %d", len(all.Items), all.Total)
	}
	services, err := s.ListEntities(ctx, EntityQuery{Facets: map[string][]string{"kind": {"component"}, "type": {"service"}}, Sort: "name", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(services.Items) != 3 || services.Total <= 3 {
		t.Errorf("services: %d items of %d", len(services.Items), services.Total)
	}
	for _, e := range services.Items {
		if e.Kind != "Component" || e.Type != "service" {
			t.Errorf("a service page holds %s (%s)", e.Ref, e.Type)
		}
	}
	kinds := map[string]int{}
	for _, c := range services.Facets["kind"] {
		kinds[c.Value] = c.Count
	}
	if kinds["component"] != services.Total || len(kinds) < 2 {
		t.Errorf("kind facet = %v: want every kind of type service counted (the kind filter is ignored for its own facet)", services.Facets["kind"])
	}
	if page2, _ := s.ListEntities(ctx, EntityQuery{Facets: map[string][]string{"kind": {"component"}, "type": {"service"}}, Sort: "name", Offset: 3, Limit: 3}); slices.Contains(refsOf(page2.Items), services.Items[0].Ref) {
		t.Errorf("the second page repeats the first: %v", refsOf(page2.Items))
	}
}

func TestStarsRecentAndIdentity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := demoService(t)
	if err := s.SetStar(ctx, "component:booking-service", true); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"component:fare-engine", "api:payments-api", "component:fare-engine"} {
		if err := s.Visit(ctx, ref); err != nil {
			t.Fatal(err)
		}
	}
	starred, err := s.ListEntities(ctx, EntityQuery{Starred: true, Limit: 10})
	if err != nil || !slices.Equal(refsOf(starred.Items), []string{"component:default/booking-service"}) || !starred.Items[0].Starred {
		t.Errorf("starred = %v, %v", refsOf(starred.Items), err)
	}
	if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, UserRef: "amara-okafor"}); err != nil {
		t.Fatal(err)
	}
	st, err := s.UserState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Identity.UserRef != "user:default/amara-okafor" || st.Identity.Source != "settings" || len(st.Identity.Groups) == 0 {
		t.Errorf("identity = %+v", st.Identity)
	}
	if !slices.Equal(refsOf(st.Recent), []string{"component:default/fare-engine", "api:default/payments-api"}) {
		t.Errorf("recent = %v", refsOf(st.Recent))
	}
	if !slices.Equal(refsOf(st.Starred), []string{"component:default/booking-service"}) {
		t.Errorf("starred = %v", refsOf(st.Starred))
	}
	mine, err := s.ListEntities(ctx, EntityQuery{Mine: true, Limit: 100})
	if err != nil || mine.Total == 0 {
		t.Fatalf("owned by me: %d, %v", mine.Total, err)
	}
	for _, e := range mine.Items {
		if !slices.Contains(append(st.Identity.Groups, st.Identity.UserRef), e.Owner) {
			t.Errorf("%s owned by %s is not the user's", e.Ref, e.Owner)
		}
	}
	if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, UserRef: "group:team-harbour"}); err == nil {
		t.Error("a group accepted as the user")
	}
	if d, _ := s.GetEntity(ctx, "component:booking-service"); !d.Starred {
		t.Error("the entity page does not say it is starred")
	}
}

func TestToolkitSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	got, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, Toolkit: []Link{{Title: " Grafana ", URL: "https://grafana.example/d/x"}, {URL: "http://wiki.example/"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Link{{Title: "Grafana", URL: "https://grafana.example/d/x"}, {Title: "wiki.example", URL: "http://wiki.example/"}}
	if !slices.Equal(got.Toolkit, want) {
		t.Errorf("toolkit = %v, want %v", got.Toolkit, want)
	}
	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "not a url", ""} {
		if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, Toolkit: []Link{{Title: "x", URL: bad}}}); err == nil {
			t.Errorf("toolkit link %q accepted", bad)
		}
	}
}

// The catalog table's rows are saved in the data dir and read back by the
// next start while the location's Version holds; a cache that does not
// read is rebuilt from the store.
func TestListingCacheBetweenStarts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, db := newService(t, func(c *Config) { c.DataDir = dir })
	if err := db.PutLocation(ctx, store.Location{ID: "a"}); err != nil {
		t.Fatal(err)
	}
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\nspec: {type: service, lifecycle: production, owner: team}\n"}, catalog.Options{}, "c.yaml")
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c", Entities: res.Entities}, time.Now()); err != nil {
		t.Fatal(err)
	}
	list := func(s *Service) []string {
		t.Helper()
		l, err := s.ListEntities(ctx, EntityQuery{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return refsOf(l.Items)
	}
	if got := list(s); !slices.Equal(got, []string{"component:default/svc"}) {
		t.Fatalf("first start lists %v", got)
	}
	loc, _, _ := db.Location(ctx, "a")
	cache := listing.Cache{Dir: filepath.Join(dir, "cache")}
	if rows, ok, err := cache.Load("a", loc.Version); !ok || err != nil || len(rows) != 1 {
		t.Fatalf("the first start saved %d rows, ok %v, err %v", len(rows), ok, err)
	}
	// Rows only the cache has show that the next start reads it.
	if err := cache.Save("a", loc.Version, []store.Row{{Ref: "component:default/cached", Kind: "Component", Namespace: "default", Name: "cached"}}); err != nil {
		t.Fatal(err)
	}
	restart := func() *Service { return New(Config{DB: db, DataDir: dir, Log: slog.New(slog.DiscardHandler)}) }
	if got := list(restart()); !slices.Equal(got, []string{"component:default/cached"}) {
		t.Errorf("a start with a current cache lists %v", got)
	}
	file := filepath.Join(cache.Dir, "listing-a.bin")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b[:len(b)-1], 0o600); err != nil {
		t.Fatal(err)
	}
	if got := list(restart()); !slices.Equal(got, []string{"component:default/svc"}) {
		t.Errorf("a start with a damaged cache lists %v", got)
	}
	if rows, ok, err := cache.Load("a", loc.Version); !ok || err != nil || len(rows) != 1 || rows[0].Ref != "component:default/svc" {
		t.Errorf("the damaged cache was not saved again: %d rows, ok %v, err %v", len(rows), ok, err)
	}
}
