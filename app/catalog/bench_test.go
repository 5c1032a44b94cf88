package catalog

import (
	"context"
	"os"
	"testing"
)

// BenchmarkProcess processes the shared benchmark workload: a catalog
// written by ../shared/peers/gencat.py, whose directory `make bench` passes
// in CALLBOARD_BENCH_CATALOG.
func BenchmarkProcess(b *testing.B) {
	dir := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	files, err := OpenDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer files.Close()
	var size int64
	list, err := files.List()
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range list {
		n, _ := files.Size(f)
		size += n
	}
	b.SetBytes(size)
	b.ResetTimer()
	var entities int
	for b.Loop() {
		res := Process(context.Background(), files, Options{}, "catalog-info.yaml")
		if len(res.Errors) > 0 {
			b.Fatalf("%d errors, first: %v", len(res.Errors), res.Errors[0])
		}
		entities = len(res.Entities)
	}
	b.ReportMetric(float64(entities)*float64(b.N)/b.Elapsed().Seconds(), "entities/s")
	b.ReportMetric(float64(entities), "entities")
}
