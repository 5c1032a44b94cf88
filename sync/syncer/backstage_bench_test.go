package syncer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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
// filter), and each sync's peak RSS. Each sync runs in a child process
// (this binary again), so its peak RSS is its own: neither the server's
// catalog nor what an earlier sync left in the heap.
// Times are wall and CPU of the child: on a busy machine the CPU time
// says what the wall time would be on an idle one.
func BenchmarkBackstageSync(b *testing.B) {
	if arg := os.Getenv(bsChildEnv); arg != "" {
		bsChild(b, arg)
		return
	}
	ctx := context.Background()
	var first, idle, change, whole, firstCPU, idleCPU, changeCPU time.Duration
	var firstReq, idleReq, changeReq, wholeReq int64
	var firstMiB, idleMiB, wholeMiB, rss, idleRSS, changeRSS float64
	for b.Loop() {
		srv := backstagetest.NewCatalog(b, "t", backstagetest.Generate(bsEntities))
		dir := b.TempDir()
		measure := func(name string, d, cpu *time.Duration, req *int64, mib, peak *float64, want int) {
			r0, b0 := srv.Requests.Load(), srv.Bytes.Load()
			wall, used, hwm := syncInChild(b, name, dir, srv.URL, want)
			*d += wall
			*cpu += used
			*req += srv.Requests.Load() - r0
			*peak = max(*peak, hwm)
			if mib != nil {
				*mib += float64(srv.Bytes.Load()-b0) / (1 << 20)
			}
		}
		measure("first", &first, &firstCPU, &firstReq, &firstMiB, &rss, bsEntities)
		measure("idle", &idle, &idleCPU, &idleReq, &idleMiB, &idleRSS, bsEntities)
		srv.Edit("component:default/svc-14", "edited")
		srv.Delete("component:default/svc-15")
		measure("change", &change, &changeCPU, &changeReq, nil, &changeRSS, bsEntities-1)

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
	b.ReportMetric(idleRSS, "idle-peak-rss-MiB")
	b.ReportMetric(changeRSS, "change-peak-rss-MiB")
	b.ReportMetric(0, "ns/op")
}

// bsChildEnv tells this benchmark, run again in a child process, to make
// one sync: "store dir|base URL|entities wanted after".
const bsChildEnv = "CALLBOARD_BENCH_BACKSTAGE_CHILD"

// syncInChild syncs the Backstage at url into the store at dir in a child
// process and returns its wall and CPU time and its peak RSS in MiB.
// With CALLBOARD_BENCH_HEAPPROFILE set, the child writes its heap at the
// peak to that path with ".name" appended (sampleHeapPeak).
func syncInChild(b *testing.B, name, dir, url string, want int) (wall, cpu time.Duration, hwm float64) {
	b.Helper()
	cmd := exec.CommandContext(b.Context(), os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkBackstageSync$", "-test.benchtime=1x")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d", bsChildEnv, dir, url, want))
	if p := os.Getenv(heapProfileEnv); p != "" {
		cmd.Env = append(cmd.Env, heapProfileEnv+"="+p+"."+name)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child sync: %v\n%.2000s", err, out)
	}
	for line := range strings.Lines(string(out)) {
		var w, c int64
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "backstage sync: wall=%d cpu=%d hwm=%f", &w, &c, &hwm); err == nil {
			return time.Duration(w), time.Duration(c), hwm
		}
	}
	b.Fatalf("the child printed no measurement:\n%.2000s", out)
	return 0, 0, 0
}

// bsChild is the child's side of syncInChild.
func bsChild(b *testing.B, arg string) {
	ctx := context.Background()
	parts := strings.Split(arg, "|")
	want, _ := strconv.Atoi(parts[2])
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, filepath.Join(parts[0], "store"), quiet)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, ok, err := db.Location(ctx, "bs"); err != nil || !ok {
		if err := db.PutLocation(ctx, store.Location{ID: "bs", URL: parts[1], Backstage: &store.Backstage{BaseURL: parts[1]}}); err != nil {
			b.Fatal(err)
		}
	}
	s := New(db, filepath.Join(parts[0], "clones"), gitfetch.Credentials{}, &recorder{}, quiet, nil)
	s.bsToken = func(context.Context, string) (string, error) { return "t", nil }
	productGC(b)
	stop := sampleHeapPeak(b)
	wall, cpu := timed(b, func() error { return s.Sync(ctx, "bs") })
	stop()
	if n := countEntities(b, db); n != want {
		b.Fatalf("%d entities, want %d", n, want)
	}
	fmt.Printf("backstage sync: wall=%d cpu=%d hwm=%f\n", wall, cpu, peakRSS())
}
