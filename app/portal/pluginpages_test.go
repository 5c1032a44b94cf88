package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/plugins/host"
)

// installProgram builds the plugin program pkg and installs it under dir
// as name, serving points.
func installProgram(t *testing.T, dir, name, pkg string, args []string, points ...string) {
	t.Helper()
	out := filepath.Join(dir, name)
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("go", "build", "-o", filepath.Join(out, "plugin"), pkg).CombinedOutput(); err != nil {
		t.Fatalf("build the plugin: %v\n%s", err, b)
	}
	data, _ := os.ReadFile(filepath.Join(out, "plugin"))
	sum := sha256.Sum256(data)
	m, _ := json.Marshal(host.Manifest{Name: name, Version: "0.0.1", Command: "plugin", Args: args, SHA256: hex.EncodeToString(sum[:]), ExtensionPoints: points})
	if err := os.WriteFile(filepath.Join(out, host.ManifestFile), m, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The Tech Radar plugin over the demo organisation, through the portal:
// its page, Home card and entity action, and every entity the demo's
// radar links to is in the demo's catalog. An old plugin announcing the
// same beside it adds nothing and breaks nothing.
func TestPluginPagesOverTheDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	ui := []string{host.PointPages, host.PointHomeCards, host.PointEntityActions}
	installProgram(t, dir, "techradar", "../../plugins/techradar/testdata/plugin", nil, ui...)
	installProgram(t, dir, "old", "../../plugins/host/testdata/pages", []string{"old"}, ui...)
	s := demoService(t, withPlugins(t, dir, nil))

	pages, err := s.PluginPages(ctx)
	if err != nil || len(pages) != 2 || pages[1] != (PluginPage{Plugin: "techradar", ID: "radar", Title: "Tech Radar", Icon: "radar", NavOrder: 10, Path: "/plugins/techradar/radar"}) {
		t.Fatalf("pages = %+v, %v", pages, err)
	}
	page, err := s.PluginPage(ctx, "techradar", "radar", map[string]string{"entity": "component:default/fare-engine"})
	if err != nil || page.Error != "" || page.Title != "Tech Radar" || page.Subtitle != "From demo:techradar.yaml" || len(page.Blocks) != 3 {
		t.Fatalf("page = %+v, %v", page, err)
	}
	var block struct {
		Radar struct {
			Entries []struct {
				Title string
				Links []struct{ URL string }
			}
			Highlighted []string
		}
	}
	if err := json.Unmarshal(page.Blocks[0], &block); err != nil {
		t.Fatal(err)
	}
	if len(block.Radar.Entries) < 12 || strings.Join(block.Radar.Highlighted, ",") != "kotlin" {
		t.Errorf("radar: %d entries, highlighted %v", len(block.Radar.Entries), block.Radar.Highlighted)
	}
	for _, e := range block.Radar.Entries {
		for _, l := range e.Links {
			path, ok := strings.CutPrefix(l.URL, "/catalog/")
			if !ok {
				continue
			}
			path, _, _ = strings.Cut(path, "?")
			parts := strings.Split(path, "/")
			ref := parts[0] + ":" + parts[1] + "/" + parts[2]
			if _, err := s.GetEntity(ctx, ref); err != nil {
				t.Errorf("%s links to %s: %v", e.Title, ref, err)
			}
		}
	}

	cards, err := s.HomeCards(ctx)
	if err != nil || len(cards) != 1 || cards[0].Plugin != "techradar" || len(cards[0].Views) != 1 || !strings.Contains(string(cards[0].Views[0]), `"title":"Radar changes"`) {
		t.Fatalf("cards = %+v, %v", cards, err)
	}

	actions, err := s.EntityActions(ctx, "component:default/fare-engine")
	if err != nil || len(actions) != 1 || actions[0] != (PluginEntityAction{Plugin: "techradar", ID: "show-on-radar", Title: "Show on radar"}) {
		t.Fatalf("actions = %+v, %v", actions, err)
	}
	res, err := s.RunEntityAction(ctx, "component:default/fare-engine", EntityActionCall{Plugin: "techradar", Action: "show-on-radar"})
	if err != nil || res.OpenURL != "/plugins/techradar/radar?entity=component%3Adefault%2Ffare-engine" || res.Status != "ok" || res.Notice != "On the radar: Kotlin" {
		t.Errorf("run = %+v, %v", res, err)
	}
	if actions, err := s.EntityActions(ctx, "component:default/port-calls"); err != nil || len(actions) != 0 {
		t.Errorf("actions for an entity no entry links = %+v, %v", actions, err)
	}

	if _, err := s.PluginPage(ctx, "techradar", "nope", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown page: %v", err)
	}
	if _, err := s.PluginPage(ctx, "old", "p", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("an old plugin's page: %v", err)
	}
	if _, err := s.RunEntityAction(ctx, "component:default/fare-engine", EntityActionCall{Plugin: "old", Action: "a"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("an old plugin's action: %v", err)
	}
}
