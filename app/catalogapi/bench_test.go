package catalogapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalogquery"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/internal/procstat"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// The benchmarks answer from a store holding the shared workload (the
// gencat repository in CALLBOARD_BENCH_CATALOG, set by `make bench`),
// synced once into a temporary data dir. With CALLBOARD_BENCH_PEER set
// to a Backstage catalog backend's /api/catalog URL they ask that peer
// the same requests instead (`make bench PEERS=1`), so its figures come
// from the same run: CALLBOARD_BENCH_PEER_TOKEN is sent to it as a
// bearer token, and CALLBOARD_BENCH_PEER_PID names its process, whose
// CPU is then the one reported.
var bench struct {
	once sync.Once
	// dir holds the synced store, removed by TestMain; db is open in it.
	dir  string
	db   *store.DB
	h    *Handler
	refs []string
	err  error
	// build is how long the first index of the workload took; heap the
	// heap it added.
	build time.Duration
	heap  uint64
	// peer is the Backstage asked instead of h, when set.
	peer target
}

// target is where a benchmark's requests go: Callboard's handler behind
// a loopback server, or the peer.
type target struct {
	base  string
	token string
	// pid is the serving process, whose CPU is reported: 0 for this one.
	pid int
}

// cpu is the CPU time the serving process has used so far.
func (t target) cpu() time.Duration {
	if t.pid == 0 {
		return procstat.Self()
	}
	return procstat.CPU(t.pid)
}

// benchTarget is where the benchmarks' requests go, set up once: the
// peer's catalog API, or Callboard's over the synced workload.
func benchTarget(b *testing.B) target {
	b.Helper()
	if u := os.Getenv("CALLBOARD_BENCH_PEER"); u != "" {
		bench.once.Do(func() {
			pid, _ := strconv.Atoi(os.Getenv("CALLBOARD_BENCH_PEER_PID"))
			bench.peer = target{base: strings.TrimSuffix(u, "/"), token: os.Getenv("CALLBOARD_BENCH_PEER_TOKEN"), pid: pid}
			bench.refs, bench.err = peerRefs(bench.peer)
		})
		if bench.err != nil {
			b.Fatal(bench.err)
		}
		return bench.peer
	}
	benchHandler(b)
	served.once.Do(func() {
		// Closed with the process: the server outlives any one benchmark.
		served.url = httptest.NewServer(bench.h).URL
	})
	return target{base: served.url}
}

// peerRefs lists every entity's ref in the peer by paging through it.
func peerRefs(t target) ([]string, error) {
	var refs []string
	next := "/entities/by-query?limit=500&fields=kind,metadata.namespace,metadata.name"
	for next != "" {
		code, body, err := t.get(new(bytes.Buffer), "GET", next, "")
		if err != nil {
			return nil, err
		}
		if code != http.StatusOK {
			return nil, fmt.Errorf("listing the peer's entities: %d %.200s", code, body)
		}
		var page struct {
			Items []struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Namespace string `json:"namespace"`
					Name      string `json:"name"`
				} `json:"metadata"`
			} `json:"items"`
			PageInfo struct {
				NextCursor string `json:"nextCursor"`
			} `json:"pageInfo"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, fmt.Errorf("listing the peer's entities: %w", err)
		}
		for _, e := range page.Items {
			refs = append(refs, strings.ToLower(e.Kind+":"+cmp.Or(e.Metadata.Namespace, "default")+"/"+e.Metadata.Name))
		}
		next = ""
		if c := page.PageInfo.NextCursor; c != "" {
			next = "/entities/by-query?limit=500&fields=kind,metadata.namespace,metadata.name&cursor=" + url.QueryEscape(c)
		}
	}
	slices.Sort(refs)
	return refs, nil
}

// send makes one request to the target, as a catalog client would.
func (t target) send(method, path, body string) (*http.Response, error) {
	req, err := http.NewRequest(method, t.base+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if t.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	return http.DefaultClient.Do(req)
}

// get makes one request and reads its whole answer into buf, which the
// caller may reuse: the client shares this process's heap with
// Callboard's handler, so its garbage would be the handler's collector
// work.
func (t target) get(buf *bytes.Buffer, method, path, body string) (int, []byte, error) {
	res, err := t.send(method, path, body)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	buf.Reset()
	_, err = buf.ReadFrom(res.Body)
	return res.StatusCode, buf.Bytes(), err
}

func benchHandler(b *testing.B) *Handler {
	b.Helper()
	repo := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if repo == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	bench.once.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "callboard-catalogapi-bench-")
		if err != nil {
			bench.err = err
			return
		}
		bench.dir = dir
		db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
		if err != nil {
			bench.err = err
			return
		}
		bench.db = db
		if bench.err = db.PutLocation(ctx, store.Location{ID: "bench", URL: repo, Path: "catalog-info.yaml"}); bench.err != nil {
			return
		}
		sy := syncer.New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
		if bench.err = sy.Sync(ctx, "bench"); bench.err != nil {
			return
		}
		bench.h = New(db, Options{Log: quiet})
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		v, err := bench.h.View(ctx)
		if err != nil {
			bench.err = err
			return
		}
		bench.build = time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		bench.heap = after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
		m := v.Match(catalogquery.Query{})
		for _, h := range m.Entities(nil, 0, m.Count()) {
			bench.refs = append(bench.refs, h.Ref)
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.h
}

// TestMain removes the benchmarks' synced store (about 120 MB at
// 100,000 entities), which outlives any one benchmark.
func TestMain(m *testing.M) {
	code := m.Run()
	if bench.db != nil {
		bench.db.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// served is the benchmarks' handler behind a real HTTP server on
// loopback, started once.
var served struct {
	once sync.Once
	url  string
}

// over makes a request through a loopback HTTP server, as a catalog
// client does, and reads the answer to its end as a client would,
// keeping only its status and first bytes. Answers streamed to a socket
// are what a client waits for; httptest's recorder would instead grow a
// buffer to each whole answer (3.6 MB for by-refs), and the collector
// cycles that garbage sets off would count as latency.
func over(b *testing.B, t target, method, path, body string) (int, string) {
	b.Helper()
	res, err := t.send(method, path, body)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(res.Body, head)
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		b.Fatal(err)
	}
	return res.StatusCode, string(head[:n])
}

// latencies runs req b.N times and reports the median and p99 in ms.
func latencies(b *testing.B, t target, method, path, body string) {
	b.Helper()
	var ds []time.Duration
	cpu0 := t.cpu()
	for b.Loop() {
		start := time.Now()
		code, head := over(b, t, method, path, body)
		ds = append(ds, time.Since(start))
		if code != http.StatusOK {
			b.Fatalf("%s %s: %d %s", method, path, code, head)
		}
	}
	cpu := t.cpu() - cpu0
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	// The machine is shared: CPU time per request says what a request
	// costs whatever else runs, wall time what a client waited.
	b.ReportMetric(ms(cpu/time.Duration(len(ds))), "cpu-ms/op")
	b.ReportMetric(ms(ds[len(ds)/2]), "ms-p50")
	b.ReportMetric(ms(ds[len(ds)*99/100]), "ms-p99")
}

// BenchmarkFilterService: by-query with filter=kind=component,spec.type=service
// and limit=20, as the Backstage peer is measured.
func BenchmarkFilterService(b *testing.B) {
	t := benchTarget(b)
	latencies(b, t, "GET", "/entities/by-query?filter=kind%3Dcomponent%2Cspec.type%3Dservice&limit=20", "")
	if t.pid == 0 && bench.h != nil {
		// Reported after the loop, which resets what was reported before it.
		b.ReportMetric(float64(bench.build.Milliseconds()), "ms-index-build")
		b.ReportMetric(float64(bench.heap>>20), "MiB-index-heap")
	}
}

// BenchmarkFilterServiceAll: GET /entities with the same filter, every
// match (about a third of the catalog) answered whole.
func BenchmarkFilterServiceAll(b *testing.B) {
	latencies(b, benchTarget(b), "GET", "/entities?filter=kind%3Dcomponent%2Cspec.type%3Dservice", "")
}

// BenchmarkAnnotationExists: by-query for the entities with a
// github.com/project-slug annotation, limit 20.
func BenchmarkAnnotationExists(b *testing.B) {
	latencies(b, benchTarget(b), "GET", "/entities/by-query?filter=metadata.annotations.github.com%2Fproject-slug&limit=20", "")
}

// BenchmarkByRefs: POST by-refs of 100 refs spread over the catalog,
// the same each time, as a page asks for its related entities: after
// the first, answered from the answer cache.
func BenchmarkByRefs(b *testing.B) {
	latencies(b, benchTarget(b), "POST", "/entities/by-refs", spreadRefs(0))
}

// BenchmarkByRefsUncached: by-refs of 100 refs spread over the catalog,
// other refs each time, so every entity is read from the store.
func BenchmarkByRefsUncached(b *testing.B) {
	t := benchTarget(b)
	var ds []time.Duration
	var cpu time.Duration
	for n := 0; b.Loop(); n++ {
		body := spreadRefs(1 + n)
		cpu0, start := t.cpu(), time.Now()
		code, head := over(b, t, "POST", "/entities/by-refs", body)
		ds, cpu = append(ds, time.Since(start)), cpu+t.cpu()-cpu0
		if code != http.StatusOK {
			b.Fatalf("by-refs: %d %s", code, head)
		}
	}
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(cpu/time.Duration(len(ds))), "cpu-ms/op")
	b.ReportMetric(ms(ds[len(ds)/2]), "ms-p50")
	b.ReportMetric(ms(ds[len(ds)*99/100]), "ms-p99")
}

// spreadRefs is a by-refs body of 100 refs spread over the catalog,
// shifted by 37n places in ref order (other Badger blocks than n-1).
func spreadRefs(n int) string {
	var refs []string
	for i := range 100 {
		refs = append(refs, bench.refs[(i*len(bench.refs)/100+37*n)%len(bench.refs)])
	}
	body, _ := json.Marshal(map[string]any{"entityRefs": refs})
	return string(body)
}

// BenchmarkPageAll: by-query through the whole catalog in pages of 500,
// following nextCursor to the end; ns/op is the whole walk, the client's
// decoding of each page included, ms-server/op the requests' round
// trips alone and cpu-ms/op the serving process's CPU over them.
func BenchmarkPageAll(b *testing.B) {
	t := benchTarget(b)
	var server, cpu time.Duration
	walks := 0
	defer func() {
		n := time.Duration(max(walks, 1))
		b.ReportMetric(float64((server / n).Milliseconds()), "ms-server/op")
		b.ReportMetric(float64((cpu / n).Milliseconds()), "cpu-ms/op")
	}()
	var buf bytes.Buffer
	for b.Loop() {
		walks++
		next := "/entities/by-query?limit=500"
		n := 0
		for next != "" {
			cpu0, start := t.cpu(), time.Now()
			code, body, err := t.get(&buf, "GET", next, "")
			server += time.Since(start)
			cpu += t.cpu() - cpu0
			if err != nil || code != http.StatusOK {
				b.Fatalf("%s: %d %v %.200s", next, code, err, body)
			}
			// Counted, not kept: the decoding is the client's, and its
			// garbage would be the handler's collector work.
			var page struct {
				Items    []struct{} `json:"items"`
				PageInfo struct {
					NextCursor string `json:"nextCursor"`
				} `json:"pageInfo"`
			}
			if err := json.Unmarshal(body, &page); err != nil {
				b.Fatal(err)
			}
			n += len(page.Items)
			next = ""
			if c := page.PageInfo.NextCursor; c != "" {
				next = "/entities/by-query?limit=500&cursor=" + url.QueryEscape(c)
			}
		}
		if n != len(bench.refs) {
			b.Fatalf("paged through %d entities, want %d", n, len(bench.refs))
		}
	}
}
