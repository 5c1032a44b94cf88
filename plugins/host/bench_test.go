package host

import (
	"context"
	"slices"
	"testing"
	"time"
)

// reportMedian adds the median of the durations as a metric.
func reportMedian(b *testing.B, d []time.Duration, name string) {
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name)
}

// One entity-content call to a warm plugin and back: the overhead every
// plugin card pays (issue 9: median ≤ 1 ms).
func BenchmarkEntityContentRoundTrip(b *testing.B) {
	root := b.TempDir()
	install(b, root, "ok", build(b, "./testdata/misbehave"), []string{"ok"}, "")
	h := New(Options{Installed: root, Env: []string{}})
	if err := h.Load(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	e := component(b)
	if c := h.EntityContent(context.Background(), e); len(c) != 1 || c[0].Err != nil {
		b.Fatalf("warm-up: %+v", c)
	}
	var took []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		c := h.EntityContent(context.Background(), e)
		took = append(took, time.Since(start))
		if len(c) != 1 || c[0].Err != nil {
			b.Fatalf("%+v", c)
		}
	}
	reportMedian(b, took, "median-ms")
}

// A plugin's cold start: checksum, process, handshake, Describe (issue 9:
// ≤ 200 ms).
func BenchmarkColdStart(b *testing.B) {
	root := b.TempDir()
	install(b, root, "ok", build(b, "./testdata/misbehave"), []string{"ok"}, "")
	var took []time.Duration
	for b.Loop() {
		h := New(Options{Installed: root, Env: []string{}})
		if err := h.Load(context.Background()); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		h.Start(context.Background())
		took = append(took, time.Since(start))
		if h.Described("ok") == nil {
			b.Fatal("not started")
		}
		b.StopTimer()
		h.Close()
		b.StartTimer()
	}
	reportMedian(b, took, "median-ms")
}
