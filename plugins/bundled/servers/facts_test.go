package servers

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/plugins/bundled"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/gittest"
)

// The bundled git-insights, a process of its own started by the host,
// reports the facts of an entity's folder in a real repository.
func TestGitInsightsFacts(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Commit("start", map[string][]byte{"catalog-info.yaml": []byte("kind: Location\n"), "payments/catalog-info.yaml": []byte("kind: Component\n")})
	head := r.Commit("payments: change", map[string][]byte{"payments/main.go": []byte("package main\n")})
	r.Commit("readme", map[string][]byte{"README.md": []byte("# repo\n")})

	exe, err := bundled.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h := host.New(host.Options{Bundled: bundled.Manifests(exe, "test"), Env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()},
		StartTimeout: time.Minute, CallTimeout: time.Minute})
	defer h.Close()
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := host.Entity{JSON: []byte(`{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"payments"},"spec":{"type":"service"}}`),
		Kind: "Component", Type: "service", Clone: r.Dir, Commit: head, File: "payments/catalog-info.yaml"}
	var got *host.FactsReport
	for _, rep := range h.Facts(context.Background(), e) {
		if rep.Err != nil {
			t.Errorf("%s: %v", rep.Plugin, rep.Err)
		}
		if rep.Plugin == "git-insights" {
			got = &rep
		}
	}
	if got == nil {
		t.Fatal("git-insights reported no facts")
	}
	want := []host.Fact{
		{Name: "lastCommitAt", Type: host.FactTime, Value: "2026-01-01T12:00:02Z"},
		// Counted up to now: the repository's commits are older than 90 days
		// from 2026-04-01 on.
		{Name: "contributors", Type: host.FactNumber, Value: recent(1)},
		{Name: "commits90d", Type: host.FactNumber, Value: recent(2)},
	}
	if d := cmp.Diff(want, got.Facts); d != "" {
		t.Errorf("facts (-want +got):\n%s", d)
	}
	if specs, _ := h.FactSpecs(context.Background()); len(specs["git-insights"]) != 3 {
		t.Errorf("git-insights announces %d facts, want 3", len(specs))
	}
}

// recent is n while the test repository's commits are within 90 days of
// now, else 0.
func recent(n float64) float64 {
	if time.Since(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)) > 90*24*time.Hour {
		return 0
	}
	return n
}
