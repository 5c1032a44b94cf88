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

	"github.com/google/go-cmp/cmp"
)

// withPoints rewrites an installed plugin's manifest to list points.
func withPoints(t *testing.T, root, name string, points ...string) {
	t.Helper()
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

// Facts come typed from the plugins that announce them; a plugin that
// lists the extension point but announces no facts (an older build), or
// answers Unimplemented, is left out; one beyond the limits is refused
// with a message saying which, and the others are unaffected.
func TestFacts(t *testing.T) {
	t.Parallel()
	program := build(t, "./testdata/misbehave")
	root := t.TempDir()
	modes := []string{"facts", "facts-too-many", "facts-long-name", "facts-huge-value", "facts-no-value", "facts-unimplemented", "ok"}
	for _, mode := range modes {
		install(t, root, mode, program, []string{mode}, "")
		withPoints(t, root, mode, PointEntityContent, PointFacts)
	}
	install(t, root, "facts-unlisted", program, []string{"facts"}, "")
	h := New(Options{Installed: root, Env: []string{"PATH=" + os.Getenv("PATH")}, StartTimeout: time.Minute, CallTimeout: 10 * time.Second})
	defer h.Close()
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}

	reports := map[string]FactsReport{}
	for _, r := range h.Facts(context.Background(), component(t)) {
		reports[r.Plugin] = r
	}
	want := []Fact{
		{Name: "replicas", Type: FactNumber, Value: 3.0},
		{Name: "healthy", Type: FactFlag, Value: true, AsOf: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		{Name: "deployedAt", Type: FactTime, Value: "2026-01-01T00:00:00Z"},
		{Name: "clone", Type: FactText, Value: "/clones/payments"},
	}
	if r := reports["facts"]; r.Err != nil || !cmp.Equal(r.Facts, want) {
		t.Errorf("the working plugin: err %v, facts diff (-want +got):\n%s", r.Err, cmp.Diff(want, r.Facts))
	}
	for mode, msg := range map[string]string{
		"facts-too-many":   "101 facts, at most 100",
		"facts-long-name":  "is not a letter followed by at most 99",
		"facts-huge-value": "4097 bytes of text, at most 4096",
		"facts-no-value":   "fact empty: no value",
	} {
		r, ok := reports[mode]
		var u *Unavailable
		if !ok || r.Err == nil || !strings.Contains(r.Err.Error(), msg) || !strings.Contains(r.Err.Error(), "returned facts Callboard cannot keep") {
			t.Errorf("%s: %+v, want an error saying %q", mode, r, msg)
		} else if !errors.As(r.Err, &u) {
			t.Errorf("%s: %T, want an *Unavailable", mode, r.Err)
		}
	}
	for _, mode := range []string{"ok", "facts-unimplemented", "facts-unlisted"} {
		if r, ok := reports[mode]; ok {
			t.Errorf("%s reported %+v; want it left out", mode, r)
		}
	}
	if len(reports) != 5 {
		t.Errorf("%d reports, want 5", len(reports))
	}

	specs, complete := h.FactSpecs(context.Background())
	if got := specs["facts"]; len(got) != 2 || got[0].GetName() != "replicas" || !complete {
		t.Errorf("FactSpecs of facts: %v, complete %v", got, complete)
	}
	if _, ok := specs["ok"]; ok {
		t.Error("FactSpecs lists a plugin that announced none")
	}
}
