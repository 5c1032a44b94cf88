package syncer

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/internal/procstat"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// The sync benchmarks serve the shared workload (a gencat repository in
// CALLBOARD_BENCH_CATALOG, set by `make bench`) over smart HTTP with git
// http-backend on loopback, into a store on disk, as a user's first sync does.

func benchRemote(b *testing.B) string {
	b.Helper()
	return serve(b, benchCatalog(b))
}

func benchCatalog(b *testing.B) string {
	b.Helper()
	dir := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	return dir
}

// serve serves the git repository dir over smart HTTP on loopback.
func serve(b *testing.B, dir string) string {
	b.Helper()
	return gittest.HTTPBackend(b, filepath.Dir(dir), nil) + "/" + filepath.Base(dir)
}

// phaseClock is an Emitter that notes when processing starts (the fetch is
// done) and when the sync is done.
type phaseClock struct {
	mu            sync.Mutex
	fetched, done time.Time
}

func (c *phaseClock) Emit(_ context.Context, name string, data any) {
	p, ok := data.(events.SyncProgressData)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch p.Phase {
	case "fetch":
		c.fetched = time.Time{}
	case "process":
		// The first of a sync's process events: the fetch is done.
		if c.fetched.IsZero() {
			c.fetched = time.Now()
		}
	case "done":
		c.done = time.Now()
	}
}

func (c *phaseClock) afterFetch() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done.Sub(c.fetched)
}

func benchSyncer(b *testing.B, url string) (*Syncer, *store.DB, string) {
	b.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	data := b.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(data, "store"), quiet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.PutLocation(context.Background(), store.Location{ID: "bench", URL: url, Path: "catalog-info.yaml"}); err != nil {
		b.Fatal(err)
	}
	return New(db, filepath.Join(data, "clones"), gitfetch.Credentials{}, &phaseClock{}, quiet, nil), db, data
}

// productGC collects as the processes that sync do: callboard sync, serve
// and the window run with GOGC=50 (app/cli, longRunningGC), so a sync's
// peak memory measured at Go's default of 100 is one no user sees. A GOGC
// set in the environment wins, as it does for them.
func productGC(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		old := debug.SetGCPercent(50)
		b.Cleanup(func() { debug.SetGCPercent(old) })
	}
}

// resetPeakRSS starts the high-water mark of resident memory again from
// now (Linux: clear_refs 5), so each iteration's peak is its own.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is this process's high-water mark of resident memory, in MiB.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

// dirMiB is the disk space dir's files take (blocks, as du counts them:
// Badger preallocates files it has not filled).
func dirMiB(dir string) float64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += diskBytes(fi)
			}
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

// BenchmarkFirstSync: clone, process and store the whole catalog, with
// the collector set as the syncing processes set it (productGC).
func BenchmarkFirstSync(b *testing.B) {
	url := benchRemote(b)
	var entities int
	var storeMiB, peak float64
	var cpu time.Duration
	productGC(b)
	defer sampleHeapPeak(b)()
	for b.Loop() {
		b.StopTimer()
		debug.FreeOSMemory() // what earlier iterations freed leaves the resident set
		resetPeakRSS()
		s, db, data := benchSyncer(b, url)
		b.StartTimer()
		// CPU time as well as wall time: on shared cores the wall time
		// is mostly the wait for one.
		start := procstat.Self()
		if err := s.Sync(context.Background(), "bench"); err != nil {
			b.Fatal(err)
		}
		cpu += procstat.Self() - start
		b.StopTimer()
		loc, _, _ := db.Location(context.Background(), "bench")
		entities = loc.Entities
		storeMiB = dirMiB(filepath.Join(data, "store"))
		peak = max(peak, peakRSS())
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(entities), "entities")
	b.ReportMetric(storeMiB, "MiB-store")
	b.ReportMetric(peak, "MiB-peak-rss")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "s-cpu/op")
}

// BenchmarkIdleSync: a sync of a repository that did not change.
func BenchmarkIdleSync(b *testing.B) {
	url := benchRemote(b)
	s, _, _ := benchSyncer(b, url)
	if err := s.Sync(context.Background(), "bench"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := s.Sync(context.Background(), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOneFileChange: one entity file edited and committed upstream,
// then a sync (fetch, process only what changed, store).
func BenchmarkOneFileChange(b *testing.B) {
	src := benchCatalog(b)
	work := filepath.Join(b.TempDir(), "upstream")
	if out, err := exec.Command("git", "clone", "-q", src, work).CombinedOutput(); err != nil {
		b.Fatalf("copy the workload: %v\n%s", err, out)
	}
	s, _, _ := benchSyncer(b, serve(b, work))
	if err := s.Sync(context.Background(), "bench"); err != nil {
		b.Fatal(err)
	}
	// One component's catalog-info.yaml: the edit a developer makes.
	matches, _ := filepath.Glob(filepath.Join(work, "components", "*", "catalog-info.yaml"))
	if len(matches) == 0 {
		b.Fatal("the workload has no components/*/catalog-info.yaml")
	}
	target := matches[0]
	git := func(args ...string) {
		if out, err := exec.Command("git", append([]string{"-C", work, "-c", "user.name=b", "-c", "user.email=b@callboard.invalid"}, args...)...).CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	clock := s.emit.(*phaseClock)
	var afterFetch time.Duration
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		data, err := os.ReadFile(target)
		if err != nil {
			b.Fatal(err)
		}
		edited := strings.Replace(string(data), "description: ", fmt.Sprintf("description: edit %d ", i), 1)
		if err := os.WriteFile(target, []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
		git("commit", "-q", "-am", "edit")
		b.StartTimer()
		if err := s.Sync(context.Background(), "bench"); err != nil {
			b.Fatal(err)
		}
		afterFetch += clock.afterFetch()
	}
	b.ReportMetric(float64(afterFetch.Milliseconds())/float64(b.N), "ms-after-fetch")
}
