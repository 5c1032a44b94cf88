package host

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// installUI installs the pages test plugin as name, behaving as mode,
// listing points.
func installUI(t *testing.T, root, name, mode string, points ...string) {
	t.Helper()
	install(t, root, name, build(t, "./testdata/pages"), []string{mode}, "")
	file := filepath.Join(root, name, ManifestFile)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m.ExtensionPoints = points
	data, _ = json.Marshal(m)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func uiHost(t *testing.T, root string) *Host {
	t.Helper()
	h := New(Options{Installed: root, CallTimeout: 5 * time.Second, StartTimeout: 20 * time.Second, Env: []string{}, Now: newClock().Now})
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h
}

var everyUIPoint = []string{PointPages, PointHomeCards, PointEntityActions}

// Pages, Home cards and entity actions are asked only of plugins that
// list them and announce them; an old plugin's Unimplemented means "not
// served", a crash or a radar that cannot be drawn is that plugin's
// error alone.
func TestPagesHomeCardsAndEntityActions(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	installUI(t, root, "ok", "ok", everyUIPoint...)
	installUI(t, root, "old", "old", everyUIPoint...)
	installUI(t, root, "bad", "bad", everyUIPoint...)
	installUI(t, root, "crash", "crash", PointHomeCards)
	installUI(t, root, "unlisted", "ok", PointEntityContent)
	h := uiHost(t, root)
	ctx := context.Background()
	in := Caller{Clones: []*pluginv1.PageClone{{LocationId: "demo", Path: "/clones/demo"}}, User: &pluginv1.PageUser{EntityRef: "user:default/jane"}}

	var pages []string
	for _, p := range h.Pages(ctx) {
		pages = append(pages, p.Plugin+"/"+p.Spec.GetId())
	}
	if got, want := strings.Join(pages, " "), "old/p bad/radar ok/radar bad/second ok/second"; got != want {
		t.Errorf("pages = %s, want %s", got, want)
	}

	resp, spec, err := h.PageContent(ctx, "ok", "radar", map[string]string{"q": "go"}, in)
	if err != nil || spec.GetTitle() != "Radar" || resp.GetBlocks()[0].GetRadar() == nil {
		t.Fatalf("ok/radar = %v, %v, %v", resp, spec, err)
	}
	if got, want := resp.GetSubtitle(), "go|demo=/clones/demo|user:default/jane"; got != want {
		t.Errorf("the page got %q, want %q", got, want)
	}
	if resp, _, err := h.PageContent(ctx, "bad", "second", nil, in); err != nil || resp.GetSubtitle() != "" {
		t.Errorf("bad/second = %v, %v (a plugin that does not ask gets no clones)", resp, err)
	}
	for _, c := range []struct{ plugin, page string }{{"ok", "nope"}, {"old", "p"}, {"unlisted", "radar"}, {"gone", "radar"}} {
		if _, _, err := h.PageContent(ctx, c.plugin, c.page, nil, in); !errors.Is(err, ErrUnknown) {
			t.Errorf("%s/%s: %v, want ErrUnknown", c.plugin, c.page, err)
		}
	}
	var u *Unavailable
	if _, _, err := h.PageContent(ctx, "bad", "radar", nil, in); !errors.As(err, &u) || !strings.Contains(u.Reason, "3 quadrants, want 4") {
		t.Errorf("bad/radar: %v", err)
	}

	cards := byPlugin(h.HomeCards(ctx, in))
	if c := cards["ok"]; c.Err != nil || len(c.Views) != 1 || c.Views[0].GetTitle() != "Changes for user:default/jane" {
		t.Errorf("ok's cards: %+v", c)
	}
	if c := cards["bad"]; c.Err == nil || !strings.Contains(c.Err.Error(), "quadrants") {
		t.Errorf("bad's cards: %+v", c)
	}
	if c := cards["crash"]; c.Err == nil || !strings.Contains(c.Err.Error(), "no cards today") {
		t.Errorf("crash's cards: %+v", c)
	}
	if _, ok := cards["old"]; ok || len(cards) != 3 {
		t.Errorf("cards from %v, want ok, bad and crash", cards)
	}

	payments, api := component(t), Entity{JSON: []byte(`{"kind":"API","metadata":{"name":"orders"}}`), Kind: "API"}
	var actions []string
	for _, a := range h.EntityActions(ctx, payments, in) {
		actions = append(actions, a.Plugin+"/"+a.Spec.GetId())
	}
	if got, want := strings.Join(actions, " "), "bad/everyone bad/asked ok/everyone ok/asked"; got != want {
		t.Errorf("actions for payments = %s, want %s", got, want)
	}
	if got := h.EntityActions(ctx, api, in); len(got) != 0 {
		t.Errorf("actions for an API that no selector and no plugin takes: %v", got)
	}
	done, err := h.RunEntityAction(ctx, "ok", "everyone", payments, in)
	if err != nil || done.GetNotice() != "ran on payments" {
		t.Errorf("run ok/everyone = %v, %v", done, err)
	}
	for _, c := range []struct {
		plugin, action string
		e              Entity
	}{{"ok", "everyone", api}, {"ok", "nope", payments}, {"old", "a", payments}, {"unlisted", "everyone", payments}} {
		if _, err := h.RunEntityAction(ctx, c.plugin, c.action, c.e, in); !errors.Is(err, ErrUnknown) {
			t.Errorf("run %s/%s on %s: %v, want ErrUnknown", c.plugin, c.action, c.e.Kind, err)
		}
	}
}

func TestCheckRadar(t *testing.T) {
	t.Parallel()
	quadrants := []*pluginv1.RadarQuadrant{{Id: "a"}, {Id: "b"}, {Id: "c"}, {Id: "d"}}
	rings := []*pluginv1.RadarRing{{Id: "adopt"}}
	for _, c := range []struct {
		name  string
		radar *pluginv1.Radar
		want  string
	}{
		{"fine", &pluginv1.Radar{Quadrants: quadrants, Rings: rings, Entries: []*pluginv1.RadarEntry{{Id: "go", QuadrantId: "a", RingId: "adopt"}}}, ""},
		{"no rings", &pluginv1.Radar{Quadrants: quadrants}, "0 rings"},
		{"nine rings", &pluginv1.Radar{Quadrants: quadrants, Rings: make([]*pluginv1.RadarRing, 9)}, "9 rings"},
		{"five quadrants", &pluginv1.Radar{Quadrants: append(quadrants, &pluginv1.RadarQuadrant{}), Rings: rings}, "5 quadrants"},
		{"stray entry", &pluginv1.Radar{Quadrants: quadrants, Rings: rings, Entries: []*pluginv1.RadarEntry{{Id: "x", QuadrantId: "z", RingId: "adopt"}}}, `entry "x"`},
		{"too many", &pluginv1.Radar{Quadrants: quadrants, Rings: rings, Entries: make([]*pluginv1.RadarEntry, maxRadarEntries+1)}, "entries, at most"},
	} {
		err := checkRadar(c.radar)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}
