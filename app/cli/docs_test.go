package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The demo's site always builds; Backstage's demo site, with its iframe
// page, when the shared corpus is beside the clone.
func TestDocsBuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "site")
	r := run(ctx, nil, nil, "docs", "build", "../../demo/repo/components/booking-service", "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "built Booking service: 2 pages") {
		t.Fatalf("docs build = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, f := range []string{"index.html", "runbook.html", "search.html", "search_index.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	t.Run("shared corpus", func(t *testing.T) {
		const demo = "../../../shared/corpus/backstage-demo"
		if _, err := os.Stat(demo); err != nil {
			t.Skipf("no shared corpus beside the clone, so Backstage's demo site is not built: %v", err)
		}
		out := filepath.Join(t.TempDir(), "site")
		r := run(ctx, nil, nil, "docs", "build", demo, "--out", out)
		if r.code != 0 || !strings.Contains(r.stdout, "built Backstage Demo: 9 pages") {
			t.Fatalf("docs build = %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		page, err := os.ReadFile(filepath.Join(out, "examples", "iframe.html"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(page), "<iframe") || !strings.Contains(string(page), "Embedded content not shown") {
			t.Error("the iframe page embeds the frame, or does not say it was left out")
		}
		for _, f := range []string{"index.html", "search.html", "search_index.json", "examples/code.html"} {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("%s not written: %v", f, err)
			}
		}
	})
	broken := t.TempDir()
	os.MkdirAll(filepath.Join(broken, "docs"), 0o755)
	os.WriteFile(filepath.Join(broken, "mkdocs.yml"), []byte("site_name: Broken\n"), 0o644)
	os.WriteFile(filepath.Join(broken, "docs", "index.md"), []byte("# Home\n\n[gone](gone.md)\n"), 0o644)
	if r := run(ctx, nil, nil, "docs", "build", broken, "--out", filepath.Join(broken, "out"), "--strict"); r.code != 1 || !strings.Contains(r.stderr, "gone.md") {
		t.Errorf("strict build with a broken link = %d %s", r.code, r.stderr)
	}
	if r := run(ctx, nil, nil, "docs", "build", t.TempDir(), "--out", filepath.Join(broken, "x")); r.code != 2 {
		t.Errorf("a folder with no docs = %d %s", r.code, r.stderr)
	}
}
