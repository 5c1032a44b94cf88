package syncer

import (
	"bufio"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// The sync benchmarks serve the shared workload (a gencat repository in
// CALLBOARD_BENCH_CATALOG, set by `make bench`) over smart HTTP with git
// http-backend on loopback, into a store on disk, as a user's first sync does.

func benchRemote(b *testing.B) string {
	b.Helper()
	dir := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	h := &cgi.Handler{Path: "/usr/lib/git-core/git-http-backend", Env: []string{"GIT_PROJECT_ROOT=" + filepath.Dir(dir), "GIT_HTTP_EXPORT_ALL=1"}}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	return srv.URL + "/" + filepath.Base(dir)
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
	return New(db, filepath.Join(data, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet), db, data
}

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
				if st, ok := fi.Sys().(*syscall.Stat_t); ok {
					n += st.Blocks * 512
				}
			}
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

// BenchmarkFirstSync: clone, process and store the whole catalog.
func BenchmarkFirstSync(b *testing.B) {
	url := benchRemote(b)
	var entities int
	var storeMiB float64
	for b.Loop() {
		b.StopTimer()
		s, db, data := benchSyncer(b, url)
		b.StartTimer()
		if err := s.Sync(context.Background(), "bench"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		loc, _, _ := db.Location(context.Background(), "bench")
		entities = loc.Entities
		storeMiB = dirMiB(filepath.Join(data, "store"))
		b.StartTimer()
	}
	b.ReportMetric(float64(entities), "entities")
	b.ReportMetric(storeMiB, "MiB-store")
	b.ReportMetric(peakRSS(), "MiB-peak-rss")
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
