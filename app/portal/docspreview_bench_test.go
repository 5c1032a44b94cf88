package portal_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/instance"
)

// previewSite is a realistic docs folder: Backstage's demo site from the
// shared corpus beside the clone, else the demo's booking service.
func previewSite(b *testing.B) string {
	b.Helper()
	src := "../../../shared/corpus/backstage-demo"
	if _, err := os.Stat(filepath.Join(src, "mkdocs.yml")); err != nil {
		src = "../../demo/repo/components/booking-service"
	}
	dst := b.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
	return dst
}

// BenchmarkDocsPreviewSaveToRender is an author's round trip: a page of
// an open preview saved, the watcher's docs:changed (after its 50 ms
// debounce), the page rendered again from the working tree.
func BenchmarkDocsPreviewSaveToRender(b *testing.B) {
	ctx := context.Background()
	l, err := instance.Open(ctx, instance.Config{Root: b.TempDir(), Mode: "serve", Version: "bench",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Getenv: func(string) string { return "" }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	dir := previewSite(b)
	p, err := l.Service.OpenDocsPreview(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	page := "index.md"
	file := filepath.Join(dir, "docs", page)
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	evs, cancel := l.Bus.Subscribe()
	defer cancel()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		marker := fmt.Sprintf("Saved %d times.", i)
		if err := os.WriteFile(file, append(orig, []byte("\n\n"+marker+"\n")...), 0o644); err != nil {
			b.Fatal(err)
		}
		for ev := range evs {
			if ev.Name == events.DocsChanged && strings.Contains(fmt.Sprint(ev.Data), "docs/"+page) {
				break
			}
		}
		out, err := l.Service.DocsPreviewPage(ctx, p.ID, page)
		if err != nil {
			b.Fatal(err)
		}
		if !strings.Contains(out.HTML, marker) {
			b.Fatalf("the page after save %d lacks %q", i, marker)
		}
	}
}

// BenchmarkDocsPreviewRender is the render alone: the site read from the
// working tree and the page rendered, as after each change.
func BenchmarkDocsPreviewRender(b *testing.B) {
	ctx := context.Background()
	l, err := instance.Open(ctx, instance.Config{Root: b.TempDir(), Mode: "serve", Version: "bench",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Getenv: func(string) string { return "" }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	p, err := l.Service.OpenDocsPreview(ctx, previewSite(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := l.Service.DocsPreviewPage(ctx, p.ID, ""); err != nil {
			b.Fatal(err)
		}
	}
}
