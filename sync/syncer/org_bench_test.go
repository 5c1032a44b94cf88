package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// An org of 1,000 repositories of which 300 hold catalog files, as issue
// 19 sizes it.
const (
	orgRepos      = 1000
	orgCatalogued = 300
)

// orgCatalogFile is a repository's catalog file in the manner of
// ../shared/peers/gencat.py: a component owned by a team, part of a
// system, providing an API and depending on a resource, each its own
// document.
func orgCatalogFile(i int) string {
	team, system := fmt.Sprintf("team-%d", i%25), fmt.Sprintf("system-%d", i%30)
	return fmt.Sprintf(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc-%[1]d
  description: payment ledger service %[1]d
  tags: [go, payments]
spec:
  type: service
  lifecycle: production
  owner: %[2]s
  system: %[3]s
  providesApis: [api-%[1]d]
  dependsOn: [resource:db-%[1]d]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: api-%[1]d
spec:
  type: openapi
  lifecycle: production
  owner: %[2]s
  system: %[3]s
  definition: |
    openapi: 3.0.0
    info: {title: api-%[1]d, version: 1.0.0}
    paths: {}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: db-%[1]d
spec:
  type: database
  owner: %[2]s
  system: %[3]s
`, i, team, system)
}

// BenchmarkDiscoveredOrg: a GitHub org of 1,000 repositories on loopback,
// 300 with a catalog file of three entities each, served by real git
// http-backend, into a store on disk. It reports the first discovery and
// sync of the org and its 300 repositories, the API requests the listing
// made, an idle re-discovery of the org (requests and time), an idle
// sync of the whole tree, the process's peak RSS and the data dir's size
// against the bare repositories'.
func BenchmarkDiscoveredOrg(b *testing.B) {
	ctx := context.Background()
	repos := forgetest.Generate(orgRepos, func(i int) bool { return i%10 < 3 })
	for i, r := range repos {
		if _, ok := r.Files["catalog-info.yaml"]; ok {
			r.Files["catalog-info.yaml"] = orgCatalogFile(i)
			r.Git = true
		}
	}
	srv := forgetest.NewGitHub(b, &forgetest.Org{Login: "acme", Repos: repos})
	src, err := discover.ParseSource(srv.URL+"/acme", remote.GitHub)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(src)
	if err != nil {
		b.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var first, idleOrg, idleTree time.Duration
	var firstReq, idleReq int
	var rss, data float64
	for b.Loop() {
		dir := b.TempDir()
		db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.PutLocation(ctx, store.Location{ID: "acme", URL: src.URL(), Org: &store.Org{Source: raw}}); err != nil {
			b.Fatal(err)
		}
		s := New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &recorder{}, quiet, nil)
		s.orgToken = func(context.Context, string) (string, error) { return srv.Token, nil }
		srv.ResetRequests()
		resetPeakRSS()
		wall, _ := timed(b, func() error { return s.SyncTree(ctx, "acme") })
		rss = max(rss, peakRSS())
		first, firstReq = first+wall, firstReq+srv.Requests("")
		if n := countEntities(b, db); n != orgCatalogued*3+1 {
			b.Fatalf("%d entities, want %d", n, orgCatalogued*3+1)
		}
		srv.ResetRequests()
		wall, _ = timed(b, func() error { return s.Sync(ctx, "acme") })
		idleOrg, idleReq = idleOrg+wall, idleReq+srv.Requests("")
		wall, _ = timed(b, func() error { return s.SyncTree(ctx, "acme") })
		idleTree += wall
		data += dirMiB(dir)
		db.Close()
	}
	n := float64(b.N)
	b.ReportMetric(first.Seconds()/n, "first-s")
	b.ReportMetric(float64(firstReq)/n, "first-requests")
	b.ReportMetric(float64(idleOrg.Milliseconds())/n, "idle-org-ms")
	b.ReportMetric(float64(idleReq)/n, "idle-requests")
	b.ReportMetric(float64(idleTree.Milliseconds())/n, "idle-tree-ms")
	b.ReportMetric(rss, "peak-rss-MiB")
	b.ReportMetric(data/n, "data-MiB")
	b.ReportMetric(dirMiB(srv.GitDir()), "repos-MiB")
	b.ReportMetric(0, "ns/op")
}

func countEntities(b *testing.B, db *store.DB) int {
	b.Helper()
	n := 0
	if err := db.Entities(context.Background(), func(store.Entity) bool { n++; return true }); err != nil {
		b.Fatal(err)
	}
	return n
}
