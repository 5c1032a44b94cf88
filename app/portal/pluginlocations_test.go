package portal

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// A real plugin process that provides entities and search documents: its
// location appears, syncs through the catalog's validation into the
// store, its documents are found, a crash leaves the last good entities
// marked stale, and turning it off takes it all away.
func TestPluginProvidesEntitiesAndSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	installFixture(t, dir, "provider")
	manifest := filepath.Join(dir, "provider", host.ManifestFile)
	var m host.Manifest
	if b, err := os.ReadFile(manifest); err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("read the fixture's manifest: %v", err)
	}
	m.ExtensionPoints = []string{host.PointEntities, host.PointSearch}
	if b, _ := json.Marshal(m); os.WriteFile(manifest, b, 0o644) != nil {
		t.Fatal("write the fixture's manifest")
	}
	var cfg Config
	s, _ := searchService(t, withPlugins(t, dir, nil), func(c *Config) {
		// The syncer reads the plugin's location from the host, as the instance wires it.
		c.Syncer = syncer.New(c.DB, filepath.Join(c.DataDir, "clones"), gitfetch.Credentials{}, &events.Bus{}, slog.New(slog.DiscardHandler), c.Plugins.EntityFiles)
	}, keep(&cfg))
	h := cfg.Plugins

	const id = "plugin-provider"
	location := func() (Location, bool) {
		t.Helper()
		locs, err := s.ListLocations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range locs {
			if l.ID == id {
				return l, true
			}
		}
		return Location{}, false
	}

	// The location appears, and a sync stores the plugin's entities.
	if err := s.SyncPluginLocations(ctx); err != nil {
		t.Fatal(err)
	}
	if l, ok := location(); !ok || l.URL != "plugin:provider" || l.Path != "*" || l.Status != "pending" {
		t.Fatalf("the plugin's location: %+v, %v", l, ok)
	}
	if err := s.SyncPluginLocations(ctx); err != nil {
		t.Fatal(err)
	}
	if locs, _ := s.ListLocations(ctx); len(locs) != 2 {
		t.Fatalf("a second SyncPluginLocations added again: %+v", locs)
	}
	if _, err := s.Sync(ctx, ""); err != nil {
		t.Fatal(err)
	}
	l, _ := location()
	if l.Status != "ok" || l.Entities != 2 || l.ProcessErrs != 1 || len(l.HeadCommit) != 64 {
		t.Errorf("after the sync: %+v", l)
	}
	d, err := s.GetEntity(ctx, "component:discovered-payments")
	if err != nil {
		t.Fatal(err)
	}
	if d.Source.LocationID != id || d.Source.File != "services/discovered-payments.yaml" || d.Description != "Found listening on port 8443" {
		t.Errorf("the plugin's entity: %+v", d.EntitySummary)
	}
	if !strings.Contains(d.YAML, "callboard.dev/plugin: provider") {
		t.Errorf("the entity is not attributed to the plugin:\n%s", d.YAML)
	}
	list, err := s.ListEntities(ctx, EntityQuery{Text: "discovered", Limit: 10})
	if err != nil || list.Total != 2 {
		t.Errorf("listed: %+v, %v", list, err)
	}
	stored, _, _ := cfg.DB.Location(ctx, id)
	if len(stored.Errors) != 1 || stored.Errors[0].File != "services/broken.yaml" || stored.Errors[0].Line != 8 || stored.Errors[0].Field != "spec.owner" {
		t.Errorf("the invalid file's errors: %+v", stored.Errors)
	}

	// Its search documents are found, attributed to it.
	if err := s.RefreshListing(ctx); err != nil {
		t.Fatal(err)
	}
	s.WaitForSearch()
	res, err := s.Search(ctx, SearchQuery{Text: "quokka queue"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].Type != "plugin" || res.Hits[0].Name != "provider" || res.Hits[0].Title != "Runbook: restarting discovered-payments" ||
		res.Hits[0].Path != "https://runbooks.example.com/payments" || res.Hits[0].Ref != "component:default/discovered-payments" {
		t.Errorf("search for the plugin's document: %+v", res.Hits)
	}
	// Its type and tags are facets and filters, as an entity's; a
	// document without (an older plugin's) is found as before.
	if len(res.Hits) == 1 && res.Hits[0].EntityType != "runbook" {
		t.Errorf("the plugin's document has type %q, want runbook", res.Hits[0].EntityType)
	}
	res, err = s.Search(ctx, SearchQuery{Text: "quokka", EntityType: []string{"runbook"}, Tags: []string{"ops"}})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Title != "Runbook: restarting discovered-payments" ||
		!slices.Contains(res.Facets["tag"], FacetCount{Value: "payments", Count: 1}) || len(res.Facets["tag"]) != 2 {
		t.Errorf("search by the plugin document's type and tag: %+v, facets %+v, %v", res.Hits, res.Facets, err)
	}
	if res, _ := s.Search(ctx, SearchQuery{Text: "pager"}); len(res.Hits) != 1 || res.Hits[0].Title != "On-call handbook" || res.Hits[0].EntityType != "" {
		t.Errorf("search for the document without type or tags: %+v", res.Hits)
	}
	if res, _ := s.Search(ctx, SearchQuery{Text: "discovered-ledger"}); len(res.Hits) == 0 || res.Hits[0].Ref != "component:default/discovered-ledger" {
		t.Errorf("search for the plugin's entity: %+v", res.Hits)
	}

	// Not a repository: neither removed nor written to.
	err = s.RemoveLocation(ctx, id)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "turn the plugin off in Settings") {
		t.Errorf("remove the plugin's location: %v", err)
	}
	_, err = s.WriteFile(ctx, FileWrite{LocationID: id, Path: "services/discovered-payments.yaml", Content: "x", Message: "edit"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "plugin provider provides") {
		t.Errorf("write to the plugin's location: %v", err)
	}

	// The plugin crashes: the last good entities stay, marked stale with why.
	if err := os.WriteFile(filepath.Join(dir, "provider", "crash-now"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, id); err != nil {
		t.Fatal(err)
	}
	l, _ = location()
	if l.Status != "stale" || !strings.Contains(l.LastError, "lost my mind") || l.Entities != 2 {
		t.Errorf("after the crash: %+v", l)
	}
	if _, err := s.GetEntity(ctx, "component:discovered-ledger"); err != nil {
		t.Errorf("the last good entity: %v", err)
	}

	// Turned off: its location, entities and documents go.
	if _, err := s.SetPlugin(ctx, PluginSettings{Name: "provider", Enabled: false}); err != nil {
		t.Fatal(err)
	}
	if l, ok := location(); ok {
		t.Errorf("the location of a plugin turned off: %+v", l)
	}
	if _, err := s.GetEntity(ctx, "component:discovered-payments"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the entity of a plugin turned off: %v", err)
	}
	if err := s.RefreshListing(ctx); err != nil {
		t.Fatal(err)
	}
	s.WaitForSearch()
	if res, _ := s.Search(ctx, SearchQuery{Text: "quokka"}); len(res.Hits) != 0 {
		t.Errorf("the documents of a plugin turned off: %+v", res.Hits)
	}
	if res, _ := s.Search(ctx, SearchQuery{Text: "discovered-ledger"}); len(res.Hits) != 0 {
		t.Errorf("the entities of a plugin turned off are still found: %+v", res.Hits)
	}
	if _, err := h.EntityFiles(ctx, "provider"); err == nil || err.Error() != "it is turned off in Settings" {
		t.Errorf("files of a plugin turned off: %v", err)
	}
}

func TestPluginDocTags(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxPluginDocWord+1)
	many := make([]string, maxPluginDocTags+5)
	for i := range many {
		many[i] = strings.Repeat("t", i+1)
	}
	for _, tc := range []struct {
		name string
		in   []string
		want []string
	}{
		{"none", nil, nil},
		{"lower-cased and trimmed, each once", []string{" Go ", "go", "Docker"}, []string{"go", "docker"}},
		{"empty and too long left out", []string{"", "  ", long, "ok"}, []string{"ok"}},
		{"not UTF-8 left out", []string{"\xff", "ok"}, []string{"ok"}},
		{"at most maxPluginDocTags", many, many[:maxPluginDocTags]},
	} {
		if got := pluginDocTags(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := pluginDocWord(" Question "); got != "question" {
		t.Errorf("type = %q, want question", got)
	}
}
