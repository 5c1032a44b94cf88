package cli

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
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

// docs serve opens the window at the folder's preview, or hands the
// preview to the window already open.
func TestDocsServe(t *testing.T) {
	t.Parallel()
	dataDir, site, other := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []string{site, other} {
		os.MkdirAll(filepath.Join(d, "docs"), 0o755)
		os.WriteFile(filepath.Join(d, "mkdocs.yml"), []byte("site_name: Draft\n"), 0o644)
		os.WriteFile(filepath.Join(d, "docs", "index.md"), []byte("# Draft\n"), 0o644)
	}
	win := &fakeWindow{running: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() {
		done <- run(ctx, map[string]string{"DISPLAY": ":99"}, win, "docs", "serve", site, "--data-dir", dataDir)
	}()
	t.Cleanup(func() {
		cancel()
		if r := <-done; r.code != 0 {
			t.Errorf("the window exited %d: %s", r.code, r.stderr)
		}
	})
	select {
	case <-win.running:
	case r := <-done:
		done <- r
		t.Fatalf("the window never opened: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if want := "/docs/preview?dir=" + url.QueryEscape(site); win.opened.Route != want {
		t.Errorf("the window opened at %q, want %q", win.opened.Route, want)
	}
	r := run(context.Background(), map[string]string{"DISPLAY": ":99"}, &fakeWindow{}, "docs", "serve", other, "--data-dir", dataDir)
	if r.code != 0 || !strings.Contains(r.stdout, "its window went to callboard://docs-preview/") {
		t.Fatalf("docs serve beside a window: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	win.mu.Lock()
	got := strings.Join(win.navigated, " ")
	win.mu.Unlock()
	if !regexp.MustCompile(`^/docs/preview\?id=[0-9a-f]{16}$`).MatchString(got) {
		t.Errorf("the window went to %q, want the preview by its id", got)
	}

	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"docs", "serve"}, "callboard: docs serve takes the folder holding mkdocs.yml"},
		{[]string{"docs", "serve", t.TempDir()}, "callboard: docs serve: "},
		{[]string{"docs", "serve", site, "--http", "0.0.0.0:7007"}, `callboard: --http "0.0.0.0:7007": want a loopback host:port`},
	} {
		r := run(context.Background(), nil, nil, append(tt.args, "--data-dir", t.TempDir())...)
		if r.code != ExitUsage || !strings.HasPrefix(r.stderr, tt.stderr) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", tt.args, r.code, r.stderr, tt.stderr)
		}
	}
}
