package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callboard/callboard/internal/testbin"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// built builds a plugin program once per test run.
var built sync.Map

func build(t testing.TB, pkg string) string {
	t.Helper()
	type result struct {
		path string
		err  error
	}
	v, _ := built.LoadOrStore(pkg, sync.OnceValue(func() result {
		dir, err := os.MkdirTemp("", "callboard-plugin-")
		if err != nil {
			return result{err: err}
		}
		out := filepath.Join(dir, filepath.Base(pkg))
		cmd := exec.Command("go", "build", "-o", out, pkg)
		if b, err := cmd.CombinedOutput(); err != nil {
			return result{err: errors.New(string(b))}
		}
		return result{path: out}
	}))
	r := v.(func() result)()
	if r.err != nil {
		t.Fatalf("build %s: %v", pkg, r.err)
	}
	return r.path
}

// install puts program into root/name with a manifest; sum overrides the
// checksum when not "".
func install(t testing.TB, root, name, program string, args []string, sum string) {
	t.Helper()
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(program)
	if err != nil {
		t.Fatal(err)
	}
	if err := testbin.Write(filepath.Join(dir, "plugin"), data); err != nil {
		t.Fatal(err)
	}
	if sum == "" {
		s := sha256.Sum256(data)
		sum = hex.EncodeToString(s[:])
	}
	m, _ := json.Marshal(Manifest{Name: name, Version: "0.0.1", Command: "plugin", Args: args, SHA256: sum, ExtensionPoints: []string{PointEntityContent}})
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), m, 0o644); err != nil {
		t.Fatal(err)
	}
}

func component(t testing.TB) Entity {
	return Entity{JSON: []byte(`{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"payments"},"spec":{"type":"service"}}`),
		Kind: "Component", Type: "service", Clone: "/clones/payments", Commit: "abc", File: "catalog-info.yaml"}
}

func byPlugin(cs []Content) map[string]Content {
	out := map[string]Content{}
	for _, c := range cs {
		out[c.Plugin] = c
	}
	return out
}

// Every way a plugin can misbehave leaves the others working and gives a
// message that says what happened.
func TestMisbehavingPlugins(t *testing.T) {
	program := build(t, "./testdata/misbehave")
	root := t.TempDir()
	for _, mode := range []string{"ok", "crash-at-start", "crash-mid-call", "hang", "garbage", "protocol-2", "error", "huge", "nameless"} {
		install(t, root, mode, program, []string{mode}, "")
	}
	install(t, root, "checksum", program, []string{"ok"}, strings.Repeat("0", 64))
	os.MkdirAll(filepath.Join(root, "no-manifest"), 0o755)
	os.MkdirAll(filepath.Join(root, "bad-manifest"), 0o755)
	os.WriteFile(filepath.Join(root, "bad-manifest", ManifestFile), []byte(`{"name":"bad-manifest","command":"../../bin/sh"}`), 0o644)

	h := New(Options{Installed: root, CallTimeout: 2 * time.Second, StartTimeout: 5 * time.Second,
		Env: []string{"PATH=" + os.Getenv("PATH")}, Now: newClock().Now,
		Settings: func(context.Context, string, []string) (Settings, error) {
			return Settings{Enabled: true, Secrets: map[string]string{"token": "s3cret"}}, nil
		}})
	t.Setenv("CALLBOARD_GIT_TOKEN", "the-apps-token")
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()

	start := time.Now()
	got := byPlugin(h.EntityContent(context.Background(), component(t)))
	elapsed := time.Since(start)

	ok := got["ok"]
	if ok.Err != nil || len(ok.Views) != 1 || ok.Views[0].GetTitle() != "Hello" {
		t.Fatalf("the working plugin: %+v", ok)
	}
	kv := ok.Views[0].GetBlocks()[1].GetKeyValues().GetItems()
	if kv[0].GetValue() != "/clones/payments" || kv[1].GetValue() != "s3cret" || kv[2].GetValue() != "" {
		t.Errorf("the plugin got %v (clone, its secret, and none of the app's environment)", kv)
	}
	for name, want := range map[string]string{
		"crash-at-start": "plugin unavailable: it exited at start: panic: cannot read my configuration",
		"crash-mid-call": "plugin unavailable: it exited: panic: lost my mind",
		"hang":           "plugin unavailable: it did not answer within 2s",
		"garbage":        `plugin unavailable: it did not shake hands as a Callboard plugin (it printed "hello, I am not a plugin")`,
		"protocol-2":     "plugin unavailable: it speaks another plugin protocol than this Callboard (Plugin version: 2, Client versions: [1]); rebuild it with an SDK of protocol 1",
		"error":          "the cluster said no",
		"huge":           "plugin unavailable: it returned content Callboard cannot show: 21 views, at most 20",
		"nameless":       "plugin unavailable: it returned content Callboard cannot show: view 1 has no id or no title",
		"checksum":       "plugin unavailable: its program does not match the sha256 of its manifest; not started",
	} {
		c, found := got[name]
		if !found || c.Err == nil || !strings.HasPrefix(c.Err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, c.Err, want)
		}
	}
	if _, listed := got["no-manifest"]; listed {
		t.Error("a folder without a manifest was asked")
	}
	if elapsed > 8*time.Second {
		t.Errorf("the page waited %s for its plugins", elapsed)
	}

	states := map[string]Info{}
	for _, i := range h.List(context.Background()) {
		states[i.Name] = i
	}
	for name, want := range map[string]State{"ok": Running, "error": Running, "crash-mid-call": Crashed, "hang": Crashed, "checksum": Crashed, "bad-manifest": Broken, "no-manifest": Broken} {
		if states[name].State != want {
			t.Errorf("%s is %s (%s), want %s", name, states[name].State, states[name].LastError, want)
		}
	}
	if !strings.HasPrefix(states["bad-manifest"].LastError, filepath.Join(root, "bad-manifest", ManifestFile)+`: version: missing; command "../../bin/sh"`) {
		t.Errorf("bad-manifest: %q", states["bad-manifest"].LastError)
	}
	if !strings.Contains(states["no-manifest"].LastError, "read the manifest") {
		t.Errorf("no-manifest: %q", states["no-manifest"].LastError)
	}
	// Straight after a crash the plugin is not started again: it waits
	// its backoff, on a clock that stands still.
	again := byPlugin(h.EntityContent(context.Background(), component(t)))
	if err := again["crash-mid-call"].Err; err == nil || !strings.Contains(err.Error(), "panic: lost my mind (trying again in 1s)") {
		t.Errorf("during the backoff: %v", err)
	}
	log, _ := h.Log("ok")
	if !strings.Contains(strings.Join(log, "\n"), "rendering payments") {
		t.Errorf("the plugin's stderr is not in its log: %q", log)
	}
	if _, err := h.Log("nope"); !errors.Is(err, ErrUnknown) {
		t.Errorf("log of an unknown plugin: %v", err)
	}
}

// clock is the time a test moves by hand: backoffs end when the test says,
// however slow the machine.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// A plugin that crashed is not started again during its backoff, and is
// after it, and works.
func TestCrashedPluginRestarts(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	install(t, root, "crash-once", build(t, "./testdata/misbehave"), []string{"crash-once"}, "")
	clk := newClock()
	h := New(Options{Installed: root, Env: []string{}, Now: clk.Now})
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	first := h.EntityContent(context.Background(), component(t))
	if len(first) != 1 || first[0].Err == nil {
		t.Fatalf("first call: %+v", first)
	}
	clk.Add(firstBackoff - time.Millisecond)
	waiting := h.EntityContent(context.Background(), component(t))
	if len(waiting) != 1 || waiting[0].Err == nil || !strings.Contains(waiting[0].Err.Error(), "panic: lost my mind (trying again in ") {
		t.Fatalf("during the backoff: %+v", waiting)
	}
	clk.Add(time.Millisecond)
	second := h.EntityContent(context.Background(), component(t))
	if len(second) != 1 || second[0].Err != nil || len(second[0].Views) != 1 {
		t.Fatalf("after the backoff: %+v", second)
	}
	if log, _ := h.Log("crash-once"); !strings.Contains(strings.Join(log, "\n"), "failed: it exited: panic: lost my mind") {
		t.Errorf("log: %q", log)
	}
}

// Each failure in a row doubles the wait before the next start, from a
// second up to a minute.
func TestBackoffDoubles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	install(t, root, "crash-at-start", build(t, "./testdata/misbehave"), []string{"crash-at-start"}, "")
	clk := newClock()
	h := New(Options{Installed: root, Env: []string{}, Now: clk.Now})
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var waits []string
	for range 8 {
		if got := h.EntityContent(context.Background(), component(t)); len(got) != 1 || got[0].Err == nil || strings.Contains(got[0].Err.Error(), "trying again") {
			t.Fatalf("a start: %+v, want it tried and failed", got)
		}
		got := h.EntityContent(context.Background(), component(t))
		_, wait, _ := strings.Cut(got[0].Err.Error(), "(trying again in ")
		wait = strings.TrimSuffix(wait, ")")
		waits = append(waits, wait)
		d, err := time.ParseDuration(wait)
		if err != nil {
			t.Fatalf("straight after a failure: %v", got[0].Err)
		}
		clk.Add(d)
	}
	if want := []string{"1s", "2s", "4s", "8s", "16s", "32s", "1m0s", "1m0s"}; !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
}

// Disabled plugins, and plugins whose selectors do not match, are not
// asked; a disabled one is listed as such.
func TestDisabledAndNotApplying(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	program := build(t, "./testdata/misbehave")
	install(t, root, "ok", program, []string{"ok"}, "")
	install(t, root, "off", program, []string{"crash-at-start"}, "")
	h := New(Options{Installed: root, Env: []string{}, Settings: func(_ context.Context, name string, _ []string) (Settings, error) {
		return Settings{Enabled: name != "off"}, nil
	}})
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	api := Entity{JSON: []byte(`{"kind":"API","metadata":{"name":"x"}}`), Kind: "API"}
	if got := h.EntityContent(context.Background(), api); len(got) != 0 {
		t.Errorf("for an API: %+v", got)
	}
	if got := h.EntityContent(context.Background(), component(t)); len(got) != 1 || got[0].Plugin != "ok" {
		t.Errorf("for a component: %+v", got)
	}
	for _, i := range h.List(context.Background()) {
		if i.Name == "off" && i.State != Disabled {
			t.Errorf("off is %s", i.State)
		}
	}
}

func TestReadManifest(t *testing.T) {
	t.Parallel()
	good := `{"name":"git-insights","version":"1.0.0","command":"git-insights","sha256":"` + strings.Repeat("ab", 32) + `","extensionPoints":["entityContent"]}`
	tests := []struct {
		name, json, err string
	}{
		{"good", good, ""},
		{"unknown field", `{"name":"x","colour":"red"}`, `unknown field "colour"`},
		{"not json", `{`, "unexpected EOF"},
		{"everything wrong", `{"name":"Bad Name","command":"/bin/sh","sha256":"xyz","extensionPoints":["teleport"]}`,
			`name "Bad Name": want lower-case letters, digits and dashes; version: missing; command "/bin/sh": want a program inside the plugin's folder; sha256: want the 64 hex digits of the program's SHA-256; extensionPoints: "teleport" is none of entityContent, actions, entities, search`},
		{"escaping command", `{"name":"x","version":"1","command":"../x","sha256":"` + strings.Repeat("ab", 32) + `"}`, `command "../x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, ManifestFile), []byte(tt.json), 0o644)
			_, err := ReadManifest(dir)
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("err = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestDefaultEnv(t *testing.T) {
	t.Parallel()
	env := DefaultEnv(func(k string) string {
		return map[string]string{"PATH": "/usr/bin", "HOME": "/home/ada", "CALLBOARD_GIT_TOKEN": "x", "AWS_SECRET_ACCESS_KEY": "y"}[k]
	})
	if strings.Join(env, " ") != "PATH=/usr/bin HOME=/home/ada" {
		t.Errorf("env = %q", env)
	}
}

func TestApplies(t *testing.T) {
	t.Parallel()
	e := Entity{Kind: "Component", Type: "service", Annotations: map[string]string{"backstage.io/kubernetes-id": "pay"}}
	tests := []struct {
		sel  []*pluginv1.Selector
		want bool
	}{
		{nil, false},
		{[]*pluginv1.Selector{{Kind: "component"}}, true},
		{[]*pluginv1.Selector{{Kind: "API"}}, false},
		{[]*pluginv1.Selector{{Kind: "Component", Type: "website"}}, false},
		{[]*pluginv1.Selector{{Annotation: "backstage.io/kubernetes-id"}}, true},
		{[]*pluginv1.Selector{{Annotation: "github.com/project-slug"}, {Type: "SERVICE"}}, true},
	}
	for i, tt := range tests {
		if got := applies(tt.sel, e); got != tt.want {
			t.Errorf("%d: %v", i, got)
		}
	}
}

func TestCheckViews(t *testing.T) {
	t.Parallel()
	card := func(id string) *pluginv1.View {
		return &pluginv1.View{Id: id, Title: "T", Blocks: []*pluginv1.Block{{Kind: &pluginv1.Block_Markdown{Markdown: "x"}}}}
	}
	tab := card("k8s")
	tab.Placement = pluginv1.Placement_PLACEMENT_TAB
	tests := []struct {
		name  string
		views []*pluginv1.View
		err   string
	}{
		{"a card and a tab may share an id", []*pluginv1.View{card("k8s"), tab}, ""},
		{"two cards may not", []*pluginv1.View{card("a"), card("a")}, `two views have the id "a"`},
		{"a block of no kind", []*pluginv1.View{{Id: "a", Title: "A", Blocks: []*pluginv1.Block{{}}}}, "a block of a kind this Callboard does not know"},
		{"too many rows", []*pluginv1.View{{Id: "a", Title: "A", Blocks: []*pluginv1.Block{{Kind: &pluginv1.Block_Table{Table: &pluginv1.Table{Rows: make([]*pluginv1.Row, maxRows+1)}}}}}}, "a table of 1001 rows, at most 1000"},
	}
	for _, tt := range tests {
		err := checkViews(tt.views)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// A plugin writing 64 MB of long lines to stderr leaves a log of at most
// logBytes (it used to keep and hand over all of it).
func TestPluginLogIsBounded(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	install(t, root, "noisy", build(t, "./testdata/misbehave"), []string{"noisy"}, "")
	h := New(Options{Installed: root, Env: []string{}})
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if got := h.EntityContent(context.Background(), component(t)); len(got) != 1 || got[0].Err != nil {
		t.Fatalf("call: %+v", got)
	}
	// The plugin writes after answering: wait for its last line.
	var log []string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if log, _ = h.Log("noisy"); len(log) > 0 && log[len(log)-1] == "noisy done" {
			break
		}
	}
	n := 0
	for _, l := range log {
		n += len(l)
	}
	if n > logBytes || !strings.HasPrefix(log[0], "[callboard] ") || !strings.Contains(log[0], "earlier lines dropped") || log[len(log)-1] != "noisy done" {
		t.Errorf("the log holds %d bytes in %d lines, from %.80q to %.80q", n, len(log), log[0], log[len(log)-1])
	}
}
