package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/callboard/callboard/app/pluginprefs"
	"github.com/callboard/callboard/plugins/host"
)

// mapSecrets stands in for the OS keyring (tested on its own in
// sync/gitfetch).
type mapSecrets struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *mapSecrets) Get(k string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k], nil
}

func (s *mapSecrets) Set(k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}

func (s *mapSecrets) Delete(k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, k)
	return nil
}

// withPlugins is an option giving the service the plugins installed in
// dir, with their settings (secrets in secrets, nil for none), as the
// instance wires them.
func withPlugins(t *testing.T, dir string, secrets pluginprefs.Secrets) option {
	return func(c *Config) {
		t.Helper()
		prefs := pluginprefs.New(c.DB, secrets)
		h := host.New(host.Options{Installed: dir, Env: []string{}, Settings: prefs.ForHost})
		if err := h.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(h.Close)
		c.Plugins, c.PluginPrefs = h, prefs
	}
}

// installFixture builds the host's test plugin and installs it under dir,
// behaving as mode and named so.
func installFixture(t *testing.T, dir, mode string) {
	t.Helper()
	name := mode
	out := filepath.Join(dir, name)
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("go", "build", "-o", filepath.Join(out, "plugin"), "../../plugins/host/testdata/misbehave").CombinedOutput(); err != nil {
		t.Fatalf("build the plugin: %v\n%s", err, b)
	}
	data, _ := os.ReadFile(filepath.Join(out, "plugin"))
	sum := sha256.Sum256(data)
	m, _ := json.Marshal(host.Manifest{Name: name, Version: "0.0.1", Command: "plugin", Args: []string{mode}, SHA256: hex.EncodeToString(sum[:]), ExtensionPoints: []string{host.PointEntityContent, host.PointActions}})
	if err := os.WriteFile(filepath.Join(out, host.ManifestFile), m, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Plugins through the portal: real plugin processes over the demo
// organisation, their settings and secrets, a crashing one beside a
// working one.
func TestEntityPlugins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	installFixture(t, dir, "ok")
	installFixture(t, dir, "crash-at-start")
	var cfg Config
	s := demoService(t, withPlugins(t, dir, &mapSecrets{m: map[string]string{}}), keep(&cfg))

	list, err := s.Plugins(ctx)
	if err != nil || len(list) != 2 || list[1].Name != "ok" || list[1].State != "running" || !list[1].Enabled || len(list[1].Config) != 2 || !list[1].Config[0].Secret {
		t.Fatalf("plugins: %+v, %v", list, err)
	}
	if list[0].State != "crashed" || !strings.HasPrefix(list[0].LastError, "it exited at start: panic: cannot read my configuration") {
		t.Errorf("the crashing plugin is listed as %+v", list[0])
	}
	const ref = "component:default/booking-service"
	got, err := s.EntityPlugins(ctx, ref)
	if err != nil || len(got) != 2 {
		t.Fatalf("entity plugins: %+v, %v", got, err)
	}
	if got[0].Plugin != "crash-at-start" || !strings.HasPrefix(got[0].Error, "it exited at start: panic: cannot read my configuration (trying again in") {
		t.Errorf("the crashing plugin: %+v", got[0])
	}
	if got[1].Error != "" || len(got[1].Views) != 1 {
		t.Fatalf("the working plugin: %+v", got[1])
	}
	view := string(got[1].Views[0])
	for _, want := range []string{`"placement":"PLACEMENT_CARD"`, `"markdown":"Hello, booking-service"`, filepath.Join(cfg.DataDir, "clones", DemoLocationID)} {
		if !strings.Contains(view, want) {
			t.Errorf("the view lacks %s:\n%s", want, view)
		}
	}

	// Settings reach the plugin; the secret stays in the keyring.
	info, err := s.SetPlugin(ctx, PluginSettings{Name: "ok", Enabled: true, Values: map[string]string{"greeting": "Ahoy"}, Secrets: map[string]string{"token": "s3cret"}})
	if err != nil || info.Values["greeting"] != "Ahoy" || strings.Join(info.SecretsSet, ",") != "token" || info.State != "running" {
		t.Fatalf("set: %+v, %v", info, err)
	}
	if b, _ := json.Marshal(info); strings.Contains(string(b), "s3cret") {
		t.Errorf("the secret left the keyring: %s", b)
	}
	if st, _ := cfg.DB.Settings(ctx); strings.Contains(func() string { b, _ := json.Marshal(st); return string(b) }(), "s3cret") {
		t.Error("the secret is in the store")
	}
	got, _ = s.EntityPlugins(ctx, ref)
	if view := string(got[1].Views[0]); !strings.Contains(view, "Ahoy, booking-service") || !strings.Contains(view, `"value":"s3cret"`) {
		t.Errorf("the plugin did not get its settings: %s", view)
	}

	// Turned off, it is not asked.
	if _, err := s.SetPlugin(ctx, PluginSettings{Name: "ok", Enabled: false}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.EntityPlugins(ctx, ref); len(got) != 1 || got[0].Plugin != "crash-at-start" {
		t.Errorf("with ok turned off: %+v", got)
	}
	if log, err := s.PluginLog(ctx, "ok"); err != nil || !strings.Contains(strings.Join(log, "\n"), "rendering booking-service") {
		t.Errorf("log: %q, %v", log, err)
	}
	for _, err := range []error{
		func() error { _, err := s.PluginLog(ctx, "nope"); return err }(),
		func() error { _, err := s.SetPlugin(ctx, PluginSettings{Name: "nope"}); return err }(),
		func() error { _, err := s.EntityPlugins(ctx, "component:default/nope"); return err }(),
	} {
		if !strings.Contains(err.Error(), "not found") {
			t.Errorf("want not found: %v", err)
		}
	}
}

// A template step can use a plugin's action: it writes into the run's
// workspace, logs into the step and hands back outputs; a failing action
// fails its step with the plugin's message.
func TestPluginAction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	installFixture(t, dir, "ok")
	s := demoService(t, withPlugins(t, dir, nil))
	const tpl = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: static-website
spec:
  owner: group:default/platform
  type: service
  steps:
    - id: greet
      name: Greet
      action: ok:greet
      input:
        name: ${{ parameters.name }}
    - id: show
      name: Show
      action: debug:log
      input:
        message: wrote ${{ steps.greet.output.file.path }} of ${{ steps.greet.output.file.size }} bytes
`
	if _, err := s.WriteFile(ctx, FileWrite{LocationID: DemoLocationID, Path: "templates/static-website/template.yaml", Content: tpl, Message: "a plugin's action"}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "greeted")
	run, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:static-website", Values: []byte(`{"name":"Ada"}`), Target: target, Wait: true})
	if err != nil || run.Status != "completed" {
		t.Fatalf("run: %+v, %v", run, err)
	}
	if b, _ := os.ReadFile(filepath.Join(target, "hello.txt")); string(b) != "Hello, Ada\n" {
		t.Errorf("hello.txt = %q", b)
	}
	if log := strings.Join(run.Steps[0].Log, "|") + "|" + strings.Join(run.Steps[1].Log, "|"); !strings.Contains(log, "greeting Ada") || !strings.Contains(log, "wrote hello.txt of 10 bytes") {
		t.Errorf("logs: %s", log)
	}
	failed, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:static-website", Values: []byte(`{}`), Target: filepath.Join(t.TempDir(), "x"), Wait: true})
	if err != nil || failed.Status != "failed" || !strings.Contains(failed.Error, `templates/static-website/template.yaml:9 step "greet": plugin ok: input name: missing`) {
		t.Errorf("a failing action: %+v, %v", failed, err)
	}
}
