package apitest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
)

// brokenPlugin is a plugin the user installed whose manifest is wrong: it
// is listed, with why, and never started, so no plugin program is needed.
const brokenPlugin = "broken-one"

// withPlugin is a fresh instance with brokenPlugin installed.
func (s *suite) withPlugin(t *testing.T) Fixture {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "plugins", brokenPlugin)
	must(t, "make the plugin's folder", os.MkdirAll(dir, 0o755))
	manifest := `{"name": "` + brokenPlugin + `", "version": "1.0.0", "command": "/bin/true", "sha256": "not hex", "extensionPoints": ["entityContent"]}`
	must(t, "write the plugin's manifest", os.WriteFile(filepath.Join(dir, "plugin.json"), []byte(manifest), 0o644))
	return s.open(t, root)
}

func testPlugins(t *testing.T, s *suite) {
	ctx := t.Context()
	none, err := s.shared.API.Plugins(ctx)
	must(t, "Plugins", err)
	if len(none) != 0 {
		t.Errorf("plugins with none installed = %+v", none)
	}
	lists(t, s.shared.Fixture, "Plugins", none)

	f := s.withPlugin(t)
	got, err := f.API.Plugins(ctx)
	must(t, "Plugins", err)
	if len(got) != 1 {
		t.Fatalf("plugins = %+v, want the broken one", got)
	}
	p := got[0]
	if p.Name != brokenPlugin || p.Version != "1.0.0" || p.BuiltIn || !p.Enabled || p.State != "broken" || !strings.Contains(p.LastError, "sha256") {
		t.Errorf("the broken plugin = %+v, want it listed as broken, saying why", p)
	}
	lists(t, f, "Plugins", got)
}

func testSetPlugin(t *testing.T, s *suite) {
	f := s.withPlugin(t)
	ctx := t.Context()
	evs := f.Events(t)
	p, err := f.API.SetPlugin(ctx, portal.PluginSettings{Name: brokenPlugin, Enabled: false, Values: map[string]string{"url": "https://example.invalid/a b?c=d"}})
	must(t, "SetPlugin", err)
	if p.Name != brokenPlugin || p.Enabled {
		t.Errorf("SetPlugin off = %+v", p)
	}
	lists(t, f, "SetPlugin", p)
	await(t, evs, "plugins:changed", nil)
	got, err := f.API.Plugins(ctx)
	must(t, "Plugins", err)
	if len(got) != 1 || got[0].Enabled {
		t.Errorf("plugins after turning it off = %+v", got)
	}
	p, err = f.API.SetPlugin(ctx, portal.PluginSettings{Name: brokenPlugin, Enabled: true})
	must(t, "SetPlugin", err)
	if !p.Enabled {
		t.Errorf("SetPlugin on = %+v", p)
	}

	_, err = f.API.SetPlugin(ctx, portal.PluginSettings{Name: brokenPlugin, Enabled: true, Values: map[string]string{"url": strings.Repeat("x", 5000)}})
	wantErr(t, "SetPlugin with a value too long", err, portal.ErrInvalid)
	for _, name := range append([]string{""}, notFoundIDs...) {
		_, err := f.API.SetPlugin(ctx, portal.PluginSettings{Name: name, Enabled: true})
		wantErr(t, fmt.Sprintf("SetPlugin(%.40q)", name), err, portal.ErrNotFound)
	}
}

func testPluginLog(t *testing.T, s *suite) {
	f := s.withPlugin(t)
	ctx := t.Context()
	lines, err := f.API.PluginLog(ctx, brokenPlugin)
	must(t, "PluginLog", err)
	lists(t, f, "PluginLog", lines)
	_, err = f.API.PluginLog(ctx, "")
	wantErr(t, `PluginLog("")`, err, portal.ErrInvalid)
	for _, name := range notFoundIDs {
		_, err := f.API.PluginLog(ctx, name)
		wantErr(t, fmt.Sprintf("PluginLog(%.40q)", name), err, portal.ErrNotFound)
	}
}

func testEntityPlugins(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	for _, ref := range []string{paymentsRef, "Component:Ops-Team/Edge.Gateway_V2-Beta"} {
		got, err := o.API.EntityPlugins(ctx, ref)
		must(t, "EntityPlugins "+ref, err)
		if len(got) != 0 {
			t.Errorf("EntityPlugins(%q) with no plugins = %+v", ref, got)
		}
		lists(t, o.Fixture, "EntityPlugins", got)
	}
	for _, ref := range notFoundRefs {
		_, err := o.API.EntityPlugins(ctx, ref)
		wantErr(t, fmt.Sprintf("EntityPlugins(%.40q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range invalidRefs {
		_, err := o.API.EntityPlugins(ctx, ref)
		wantErr(t, fmt.Sprintf("EntityPlugins(%q)", ref), err, portal.ErrInvalid)
	}
}

func testReportFrontendError(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	// More than the log takes in a minute: every report is still counted.
	const n = 60
	for i := range n {
		e := portal.FrontendError{Kind: "boundary", Route: "/catalog/component/default/a?b#c", Where: "card", Message: fmt.Sprintf("boom %d", i),
			Stack: strings.Repeat("at somewhere (file.js:1:2)\n", 1000)}
		must(t, "ReportFrontendError", f.API.ReportFrontendError(ctx, e))
	}
	for _, kind := range []string{"", "nonsense"} {
		err := f.API.ReportFrontendError(ctx, portal.FrontendError{Kind: kind, Message: "boom"})
		wantErr(t, fmt.Sprintf("ReportFrontendError of kind %q", kind), err, portal.ErrInvalid)
	}
	info, err := f.API.Info(ctx)
	must(t, "Info", err)
	if info.FrontendErrors != n {
		t.Errorf("Info counts %d frontend errors, want %d", info.FrontendErrors, n)
	}
}
