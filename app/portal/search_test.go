package portal

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// searchService is demoService with a search index on disk. The options
// apply after the store, index and syncer are set.
func searchService(t *testing.T, opts ...option) (*Service, *search.Index) {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	idx, _, err := search.Open(filepath.Join(dir, "search"))
	if err != nil {
		t.Fatal(err)
	}
	sy := syncer.New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	t.Cleanup(func() { idx.Close(); db.Close() })
	cfg := Config{DB: db, Syncer: sy, Search: idx, DataDir: dir, Log: quiet, Workers: testWorkers(t)}
	for _, o := range opts {
		o(&cfg)
	}
	s := New(cfg)
	if err := s.EnsureDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, DemoLocationID); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshListing(ctx); err != nil {
		t.Fatal(err)
	}
	s.WaitForSearch()
	return s, idx
}

func TestSearchFollowsTheStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var cfg Config
	s, idx := searchService(t, keep(&cfg))
	if n, _ := idx.Count(); n < 70 {
		t.Fatalf("the index holds %d documents after the first sync", n)
	}
	r, err := s.Search(ctx, SearchQuery{Text: "booking service", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) == 0 || r.Hits[0].Ref != "component:default/booking-service" {
		t.Fatalf("top hit for 'booking service': %+v", r.Hits)
	}
	d, _ := s.Search(ctx, SearchQuery{Text: "runbook", Types: []string{"docs"}, Limit: 10})
	if len(d.Hits) == 0 || d.Hits[0].Type != "docs" || d.Hits[0].Path == "" {
		t.Errorf("docs pages are not found: %+v", d.Hits)
	}
	// One site's pages only, as the docs reader asks.
	site := d.Hits[0].Ref
	all, _ := s.Search(ctx, SearchQuery{Types: []string{"docs"}, Limit: 500})
	one, _ := s.Search(ctx, SearchQuery{Types: []string{"docs"}, Refs: []string{site}, Limit: 500})
	if one.Total == 0 || one.Total >= all.Total || slices.ContainsFunc(one.Hits, func(h SearchHit) bool { return h.Ref != site }) {
		t.Errorf("search within %s: %d of %d docs hits: %+v", site, one.Total, all.Total, one.Hits)
	}
	if tmpl, _ := s.Search(ctx, SearchQuery{Text: "", Types: []string{"template"}, Limit: 10}); tmpl.Total != 3 {
		t.Errorf("templates: %d, want the demo's 3", tmpl.Total)
	}
	// An edit changes one entity: the index follows at the next refresh.
	const file = "components/push-relay/catalog-info.yaml"
	f, _ := s.ReadFile(ctx, DemoLocationID, file)
	edited := regexp.MustCompile(`(?m)^  description: .*$`).ReplaceAllString(f.Content, "  description: Sends zeppelin notifications")
	if _, err := s.WriteFile(ctx, FileWrite{LocationID: DemoLocationID, Path: file, Content: edited, Message: "Zeppelins"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshListing(ctx); err != nil {
		t.Fatal(err)
	}
	s.WaitForSearch()
	z, _ := s.Search(ctx, SearchQuery{Text: "zeppelin"})
	if len(z.Hits) != 1 || z.Hits[0].Ref != "component:default/push-relay" || !strings.Contains(z.Hits[0].Snippet, "zeppelin") {
		t.Errorf("after the edit: %+v", z.Hits)
	}
	loc, _, _ := cfg.DB.Location(ctx, DemoLocationID)
	if idx.Mark("loc:demo") != strconv.FormatUint(loc.Version, 10) {
		t.Errorf("index mark %q, location version %d", idx.Mark("loc:demo"), loc.Version)
	}
	// Removing the location takes its documents out.
	if _, err := s.Sync(ctx, DemoLocationID); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveLocation(ctx, DemoLocationID); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshListing(ctx); err != nil {
		t.Fatal(err)
	}
	s.WaitForSearch()
	if n, _ := idx.Count(); n != 0 {
		t.Errorf("%d documents left after removing the only location", n)
	}
}

// The index is derived data: deleted, it is built again from the store.
func TestSearchIndexRebuiltWhenDeleted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var cfg Config
	_, idx := searchService(t, keep(&cfg))
	want, _ := idx.Count()
	dir := filepath.Join(cfg.DataDir, "search-again")
	fresh, isFresh, err := search.Open(dir)
	if err != nil || !isFresh {
		t.Fatalf("a new index: fresh %v, %v", isFresh, err)
	}
	t.Cleanup(func() { fresh.Close() })
	again := New(Config{DB: cfg.DB, Syncer: cfg.Syncer, Search: fresh, DataDir: cfg.DataDir, Log: cfg.Log, Workers: testWorkers(t)})
	if err := again.RefreshListing(ctx); err != nil {
		t.Fatal(err)
	}
	again.WaitForSearch()
	if got, _ := fresh.Count(); got != want {
		t.Errorf("rebuilt index holds %d documents, want %d", got, want)
	}
	r, err := again.Search(ctx, SearchQuery{Text: "timetable"})
	if err != nil || len(r.Hits) == 0 {
		t.Errorf("search on the rebuilt index: %+v, %v", r.Hits, err)
	}
}
