package gitfetch

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// BenchmarkProcessRepository clones the shared benchmark workload (see
// app/catalog's BenchmarkProcess) once, then processes its head commit
// straight from the git objects, as a sync does.
func BenchmarkProcessRepository(b *testing.B) {
	dir := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	ctx := context.Background()
	clone := filepath.Join(b.TempDir(), "clone")
	head, err := Fetch(ctx, Options{URL: dir, Dir: clone})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var entities int
	for b.Loop() {
		files, err := head.Files(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		res := catalog.Process(ctx, files, catalog.Options{}, "catalog-info.yaml")
		if len(res.Errors) > 0 {
			b.Fatalf("%d errors, first: %v", len(res.Errors), res.Errors[0])
		}
		entities = len(res.Entities)
	}
	b.ReportMetric(float64(entities)*float64(b.N)/b.Elapsed().Seconds(), "entities/s")
}

// BenchmarkCredentialHelpers is what a host's first token costs when it
// comes last in the helpers' order (a gh and a glab with none, Debian's
// git with its store helper), and what every later ask costs: the answer
// kept in memory.
func BenchmarkCredentialHelpers(b *testing.B) {
	box := newToolbox(b)
	box.gh(nil)
	box.glab(nil, "")
	box.store("https://octo:store-token@github.com")
	h := box.helpers()
	ask := func(b *testing.B) {
		if t, problems := h.Token(context.Background(), "https", "github.com"); t.Secret != "store-token" {
			b.Fatalf("Token = %v, %q", t, problems)
		}
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			h.Forget("github.com")
			ask(b)
		}
	})
	b.Run("kept", func(b *testing.B) {
		for b.Loop() {
			ask(b)
		}
	})
}
