package catalog

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
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

// BenchmarkProcessHanded processes the workload as a first sync does,
// each file's entities handed on as they come (Options.Accepted), and
// reports the peak of the heap's objects and of what was live at a
// collection: the processor's own memory, which a sync adds to the
// store's and the clone's.
func BenchmarkProcessHanded(b *testing.B) {
	dir := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	files, err := OpenDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer files.Close()
	var objects, live uint64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		done, sampled := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(sampled)
			s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				metrics.Read(s)
				objects, live = max(objects, s[0].Value.Uint64()), max(live, s[1].Value.Uint64())
				select {
				case <-done:
					return
				case <-t.C:
				}
			}
		}()
		b.StartTimer()
		handed := 0
		res := Process(context.Background(), files, Options{Accepted: func(ps []Processed) { handed += len(ps) }}, "catalog-info.yaml")
		b.StopTimer()
		close(done)
		<-sampled
		if len(res.Errors) > 0 || handed == 0 {
			b.Fatalf("%d errors, %d entities handed", len(res.Errors), handed)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(objects)/(1<<20), "MiB-peak-heap")
	b.ReportMetric(float64(live)/(1<<20), "MiB-peak-live")
}
