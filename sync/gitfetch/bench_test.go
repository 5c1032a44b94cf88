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
		files, err := head.Files()
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
