package gitfetch

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callboard/callboard/internal/procstat"
	"github.com/callboard/callboard/sync/gittest"
)

// BenchmarkFetchOneCommit is what a sync after a one-file change costs in
// git: the shared benchmark workload (CALLBOARD_BENCH_CATALOG) served by
// git http-backend on loopback and cloned once; per op one component's
// file is edited and committed upstream (outside the timer), fetched into
// the clone, and the two commits compared (ChangedSince, the old side
// read from the saved tree index, which is then patched), as the syncer's
// patch does. The largest folder's tree (55,300 entries at
// 100,000 entities) is new in every such commit and is sent whole: go-git
// cannot take a thin pack. It reports the time the server spent answering
// the fetch (git upload-pack, on the same cores), ChangedSince's with
// the index read and patched (ms-changes), the CPU time of our side
// (ms-cpu-client: fetch and compare) and of the server's processes
// (ms-cpu-server). The peer, in the same run and from the same server, is
// Debian's git fetching each commit into a bare clone of its own
// (ms-git-fetch; ms-git-fetch-server the server's part of it, and
// ms-cpu-git-fetch the CPU time of git's processes and the server's).
func BenchmarkFetchOneCommit(b *testing.B) {
	src := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if src == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	root := b.TempDir()
	work := filepath.Join(root, "upstream")
	gittest.Git(b, root, "clone", "-q", src, work)
	var serving atomic.Int64
	url := gittest.HTTPBackend(b, root, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		start := time.Now()
		next.ServeHTTP(w, r)
		if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			serving.Add(int64(time.Since(start)))
		}
	}) + "/upstream"
	ctx := context.Background()
	clone := filepath.Join(b.TempDir(), "clone")
	head, err := Fetch(ctx, Options{URL: url, Dir: clone})
	if err != nil {
		b.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(work, "components", "*", "catalog-info.yaml"))
	if len(matches) == 0 {
		b.Fatal("the workload has no components/*/catalog-info.yaml")
	}
	target := matches[0]
	// The syncer keeps the index of the stored commit's tree in the clone:
	// ChangedSince reads the old side from it, and the patch moves it on.
	files, err := head.Files(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	saved := files.MarshalIndex()
	peer := filepath.Join(root, "peer")
	gittest.Git(b, root, "clone", "-q", "--bare", url, peer)
	serving.Store(0)
	var comparing, peerWall, peerServing, peerCPU, clientCPU, serverCPU time.Duration
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		f, err := os.OpenFile(target, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		_, err = fmt.Fprintf(f, "# edit %d\n", i)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			b.Fatal(err)
		}
		gittest.Git(b, work, "commit", "-q", "-am", "edit")
		self0, children0 := procstat.Self(), procstat.Children()
		b.StartTimer()
		old := head.Commit
		if head, err = Fetch(ctx, Options{URL: url, Dir: clone}); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		idx, err := ReadIndex(saved)
		if err != nil {
			b.Fatal(err)
		}
		changes, err := head.ChangedSince(ctx, old.String(), idx)
		if err != nil || len(changes.Modified) != 1 || changes.Reshaped {
			b.Fatalf("ChangedSince = %+v, %v; want one file modified", changes, err)
		}
		var ok bool
		if saved, ok = idx.Patched(changes); !ok {
			b.Fatal("the index was not patched")
		}
		comparing += time.Since(start)
		b.StopTimer()
		self1, children1 := procstat.Self(), procstat.Children()
		clientCPU += self1 - self0
		serverCPU += children1 - children0
		spec := "+refs/heads/" + head.Branch + ":refs/heads/" + head.Branch
		ours := serving.Load()
		start = time.Now()
		gittest.Git(b, peer, "fetch", "-q", "--update-head-ok", "origin", spec)
		peerWall += time.Since(start)
		children2 := procstat.Children()
		peerCPU += children2 - children1
		peerServing += time.Duration(serving.Load() - ours)
		serving.Store(ours)
		b.StartTimer()
	}
	b.ReportMetric(float64(time.Duration(serving.Load()).Milliseconds())/float64(b.N), "ms-server")
	b.ReportMetric(float64(comparing.Milliseconds())/float64(b.N), "ms-changes")
	b.ReportMetric(float64(clientCPU.Milliseconds())/float64(b.N), "ms-cpu-client")
	b.ReportMetric(float64(serverCPU.Milliseconds())/float64(b.N), "ms-cpu-server")
	b.ReportMetric(float64(peerWall.Milliseconds())/float64(b.N), "ms-git-fetch")
	b.ReportMetric(float64(peerServing.Milliseconds())/float64(b.N), "ms-git-fetch-server")
	b.ReportMetric(float64(peerCPU.Milliseconds())/float64(b.N), "ms-cpu-git-fetch")
}
