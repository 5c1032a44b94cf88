package syncer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/internal/procstat"
	"github.com/callboard/callboard/sync/gitfetch"
)

// BenchmarkOneFileChangeFreshProcess: one entity file edited and committed
// upstream, then what a new process does to show it (the window after a
// restart, serve, a standalone `callboard sync`): open the store, make a
// syncer with nothing in memory, sync (fetch over smart HTTP on loopback,
// process what changed, store). ms-cpu is this process's CPU time for
// it (the server's processes are not counted).
func BenchmarkOneFileChangeFreshProcess(b *testing.B) {
	src := benchCatalog(b)
	work := filepath.Join(b.TempDir(), "upstream")
	if out, err := exec.Command("git", "clone", "-q", src, work).CombinedOutput(); err != nil {
		b.Fatalf("copy the workload: %v\n%s", err, out)
	}
	url := serve(b, work)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	data := b.TempDir()
	open := func() (*store.DB, *Syncer, *phaseClock) {
		db, err := store.Open(ctx, filepath.Join(data, "store"), quiet)
		if err != nil {
			b.Fatal(err)
		}
		clock := &phaseClock{}
		return db, New(db, filepath.Join(data, "clones"), gitfetch.Credentials{}, clock, quiet, nil), clock
	}
	db, s, _ := open()
	if err := db.PutLocation(ctx, store.Location{ID: "bench", URL: url, Path: "catalog-info.yaml"}); err != nil {
		b.Fatal(err)
	}
	if err := s.Sync(ctx, "bench"); err != nil {
		b.Fatal(err)
	}
	db.Close()
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
	var opening, fetching, afterFetch, cpu time.Duration
	processed := 0
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		text, err := os.ReadFile(target)
		if err != nil {
			b.Fatal(err)
		}
		edited := strings.Replace(string(text), "description: ", fmt.Sprintf("description: edit %d ", i), 1)
		if err := os.WriteFile(target, []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
		git("commit", "-q", "-am", "edit")
		b.StartTimer()
		cpu0 := procstat.Self()
		var db *store.DB
		var s *Syncer
		var clock *phaseClock
		// Labelled, so a -cpuprofile of the run can be cut to the timed
		// part (pprof -tagfocus part=fresh); goroutines started here, as
		// Badger's, carry the label too.
		var synced time.Time
		pprof.Do(ctx, pprof.Labels("part", "fresh"), func(ctx context.Context) {
			start := time.Now()
			db, s, clock = open()
			opening += time.Since(start)
			synced = time.Now()
			if err := s.Sync(ctx, "bench"); err != nil {
				b.Fatal(err)
			}
		})
		b.StopTimer()
		cpu += procstat.Self() - cpu0
		afterFetch += clock.afterFetch()
		fetching += clock.fetchDone().Sub(synced)
		if v, ok := s.runs.Load("bench"); ok {
			processed = max(processed, v.(runStats).processed)
		}
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(opening.Milliseconds())/float64(b.N), "ms-open")
	b.ReportMetric(float64(fetching.Milliseconds())/float64(b.N), "ms-fetch")
	b.ReportMetric(float64(afterFetch.Milliseconds())/float64(b.N), "ms-after-fetch")
	b.ReportMetric(float64(processed), "files-processed")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "ms-cpu")
}

func (c *phaseClock) fetchDone() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetched
}
