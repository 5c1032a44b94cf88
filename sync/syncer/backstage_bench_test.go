package syncer

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/backstage"
	"github.com/callboard/callboard/sync/backstage/backstagetest"
	"github.com/callboard/callboard/sync/gitfetch"
)

// bsEntities is the catalog BenchmarkBackstageSync reads.
const bsEntities = 10_000

// BenchmarkBackstageSync: a Backstage of 10,000 entities served on
// loopback as the backend answers, into a store on disk. It reports the
// first sync (time, requests, MiB received), an idle re-sync (time,
// requests: one page of etags), a sync after one entity is edited and one
// deleted, what reading the whole catalog again would cost instead of the
// etag pass (the other way the API offers: it has no changed-since
// filter), and the process's peak RSS (the server's memory included).
// Times are wall and CPU (the in-process server's included): on a busy
// machine the CPU time says what the wall time would be on an idle one.
func BenchmarkBackstageSync(b *testing.B) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var first, idle, change, whole, firstCPU, idleCPU, changeCPU time.Duration
	var firstReq, idleReq, changeReq, wholeReq int64
	var firstMiB, idleMiB, wholeMiB, rss, changeRSS float64
	for b.Loop() {
		srv := backstagetest.NewCatalog(b, "t", backstagetest.Generate(bsEntities))
		dir := b.TempDir()
		db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.PutLocation(ctx, store.Location{ID: "bs", URL: srv.URL, Backstage: &store.Backstage{BaseURL: srv.URL}}); err != nil {
			b.Fatal(err)
		}
		s := New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &recorder{}, quiet, nil)
		s.bsToken = func(context.Context, string) (string, error) { return "t", nil }
		measure := func(d, cpu *time.Duration, req *int64, mib *float64) {
			r0, b0 := srv.Requests.Load(), srv.Bytes.Load()
			wall, used := timed(b, func() error { return s.Sync(ctx, "bs") })
			*d += wall
			*cpu += used
			*req += srv.Requests.Load() - r0
			if mib != nil {
				*mib += float64(srv.Bytes.Load()-b0) / (1 << 20)
			}
		}
		resetPeakRSS()
		measure(&first, &firstCPU, &firstReq, &firstMiB)
		rss = max(rss, peakRSS())
		if n := countEntities(b, db); n != bsEntities {
			b.Fatalf("%d entities, want %d", n, bsEntities)
		}
		measure(&idle, &idleCPU, &idleReq, &idleMiB)
		srv.Edit("component:default/svc-14", "edited")
		srv.Delete("component:default/svc-15")
		resetPeakRSS()
		measure(&change, &changeCPU, &changeReq, nil)
		changeRSS = max(changeRSS, peakRSS())
		if n := countEntities(b, db); n != bsEntities-1 {
			b.Fatalf("%d entities after a deletion, want %d", n, bsEntities-1)
		}

		c, err := backstage.New(srv.URL, backstage.Options{Token: "t"})
		if err != nil {
			b.Fatal(err)
		}
		r0, b0 := srv.Requests.Load(), srv.Bytes.Load()
		start := time.Now()
		if _, err := c.Read(ctx, nil); err != nil {
			b.Fatal(err)
		}
		whole += time.Since(start)
		wholeReq += srv.Requests.Load() - r0
		wholeMiB += float64(srv.Bytes.Load()-b0) / (1 << 20)
		db.Close()
	}
	n := float64(b.N)
	b.ReportMetric(first.Seconds()/n, "first-s")
	b.ReportMetric(firstCPU.Seconds()/n, "first-cpu-s")
	b.ReportMetric(float64(idleCPU.Milliseconds())/n, "idle-cpu-ms")
	b.ReportMetric(float64(changeCPU.Milliseconds())/n, "change-cpu-ms")
	b.ReportMetric(float64(firstReq)/n, "first-requests")
	b.ReportMetric(firstMiB/n, "first-MiB")
	b.ReportMetric(float64(idle.Milliseconds())/n, "idle-ms")
	b.ReportMetric(float64(idleReq)/n, "idle-requests")
	b.ReportMetric(idleMiB/n, "idle-MiB")
	b.ReportMetric(float64(change.Milliseconds())/n, "change-ms")
	b.ReportMetric(float64(changeReq)/n, "change-requests")
	b.ReportMetric(float64(whole.Milliseconds())/n, "whole-reread-ms")
	b.ReportMetric(float64(wholeReq)/n, "whole-reread-requests")
	b.ReportMetric(wholeMiB/n, "whole-reread-MiB")
	b.ReportMetric(rss, "first-peak-rss-MiB")
	b.ReportMetric(changeRSS, "change-peak-rss-MiB")
	b.ReportMetric(0, "ns/op")
}
