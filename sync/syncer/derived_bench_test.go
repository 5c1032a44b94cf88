package syncer

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/server"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/internal/procstat"
)

// derivedRepos is how many repositories the root Location of
// BenchmarkDerivedLocations lists, each with derivedEntities entities.
const (
	derivedRepos    = 200
	derivedEntities = 5
)

// BenchmarkDerivedLocations: a root Location with 200 URL targets into 200
// repositories served by git http-backend on loopback, into a store on
// disk. It reports the first sync of the root and everything it lists,
// an idle sync of them all (every branch unchanged: one ref advertisement
// each), and the same with the server down (every entity still there).
func BenchmarkDerivedLocations(b *testing.B) {
	ctx := context.Background()
	f := newForge(b)
	// http-backend starts a process per request: at 200 repositories the
	// server, not the client, would be what is measured.
	f.handler = goGitBackend(f.root)
	var targets []string
	for i := range derivedRepos {
		name := fmt.Sprintf("svc-%03d", i)
		var docs []string
		for j := range derivedEntities {
			docs = append(docs, componentOf(fmt.Sprintf("%s-%d", name, j)))
		}
		f.repo(name, map[string]string{"catalog-info.yaml": strings.Join(docs, "---\n")})
		targets = append(targets, f.url(name, "catalog-info.yaml"))
	}
	f.repo("root", map[string]string{"catalog-info.yaml": locationOf("org", targets...)})
	want := derivedRepos*derivedEntities + 1
	var first, idle, offline, idleCPU, offlineCPU time.Duration
	for b.Loop() {
		s, db, _ := derivedSetup(b, f)
		wall, _ := timed(b, func() error { return s.SyncTree(ctx, "root") })
		first += wall
		checkDerived(b, db, want)
		wall, cpu := timed(b, func() error { return s.SyncTree(ctx, "root") })
		idle, idleCPU = idle+wall, idleCPU+cpu
		f.stop()
		wall, cpu = timed(b, func() error { s.SyncTree(ctx, "root"); return nil })
		offline, offlineCPU = offline+wall, offlineCPU+cpu
		checkDerived(b, db, want)
		f.start()
	}
	n := float64(b.N)
	b.ReportMetric(first.Seconds()*1000/n, "first-sync-ms")
	b.ReportMetric(idle.Seconds()*1000/n, "idle-sync-ms")
	b.ReportMetric(idleCPU.Seconds()*1000/n, "idle-cpu-ms")
	b.ReportMetric(offline.Seconds()*1000/n, "offline-sync-ms")
	b.ReportMetric(offlineCPU.Seconds()*1000/n, "offline-cpu-ms")
	b.ReportMetric(0, "ns/op")
}

// timed runs fn and returns its wall time and the CPU time the process
// spent meanwhile (the in-process server's included): on a machine other
// work keeps busy, the second says what the first would be on an idle one.
func timed(b *testing.B, fn func() error) (wall, cpu time.Duration) {
	b.Helper()
	before, start := procstat.Self(), time.Now()
	if err := fn(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start), procstat.Self() - before
}

// checkDerived fails unless the store holds the root, every repository it
// lists and want entities.
func checkDerived(b *testing.B, db *store.DB, want int) {
	b.Helper()
	locs, err := db.Locations(context.Background())
	if err != nil || len(locs) != derivedRepos+1 {
		b.Fatalf("%d locations, %v; want %d", len(locs), err, derivedRepos+1)
	}
	n := 0
	if err := db.Entities(context.Background(), func(store.Entity) bool { n++; return true }); err != nil || n != want {
		b.Fatalf("%d entities, %v; want %d", n, err, want)
	}
}

// goGitBackend serves the repositories under root over smart HTTP, fetches
// only, with go-git's upload-pack in this process.
func goGitBackend(root string) http.Handler {
	srv := server.NewServer(server.NewFilesystemLoader(osfs.New(root)))
	session := func(w http.ResponseWriter, repo string) transport.UploadPackSession {
		ep, err := transport.NewEndpoint(repo)
		if err == nil {
			var sess transport.UploadPackSession
			if sess, err = srv.NewUploadPackSession(ep, nil); err == nil {
				return sess
			}
		}
		http.Error(w, err.Error(), http.StatusNotFound)
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/info/refs") && r.URL.Query().Get("service") == "git-upload-pack":
			sess := session(w, strings.TrimSuffix(r.URL.Path, "/info/refs"))
			if sess == nil {
				return
			}
			refs, err := sess.AdvertisedReferencesContext(r.Context())
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			refs.Prefix = [][]byte{[]byte("# service=git-upload-pack"), pktline.Flush}
			w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
			refs.Encode(w)
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack"):
			sess := session(w, strings.TrimSuffix(r.URL.Path, "/git-upload-pack"))
			if sess == nil {
				return
			}
			req := packp.NewUploadPackRequest()
			if err := req.Decode(r.Body); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			resp, err := sess.UploadPack(r.Context(), req)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
			resp.Encode(w)
			resp.Close()
		default:
			http.NotFound(w, r)
		}
	})
}
