package portal_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// The portal benchmarks read a store holding the shared workload (the
// gencat repository in CALLBOARD_BENCH_CATALOG, set by `make bench`),
// synced once into a temporary data dir.
var bench struct {
	once sync.Once
	svc  *portal.Service
	err  error
	// A component and a team of the workload, the first of each by name.
	component, group string
}

func benchService(b *testing.B) *portal.Service {
	b.Helper()
	repo := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if repo == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	bench.once.Do(func() {
		ctx := context.Background()
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		dir, err := os.MkdirTemp("", "callboard-portal-bench-")
		if err != nil {
			bench.err = err
			return
		}
		db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
		if err != nil {
			bench.err = err
			return
		}
		if bench.err = db.PutLocation(ctx, store.Location{ID: "bench", URL: repo, Path: "catalog-info.yaml"}); bench.err != nil {
			return
		}
		sy := syncer.New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
		if bench.err = sy.Sync(ctx, "bench"); bench.err != nil {
			return
		}
		bench.svc = portal.New(portal.Config{DB: db, Syncer: sy, DataDir: dir, Log: quiet})
		for _, k := range []struct {
			kind string
			into *string
		}{{"component", &bench.component}, {"group", &bench.group}} {
			list, err := bench.svc.ListEntities(ctx, portal.EntityQuery{Facets: map[string][]string{"kind": {k.kind}}, Sort: "name", Limit: 1})
			if err != nil || len(list.Items) == 0 {
				bench.err = fmt.Errorf("no %s in the workload: %v", k.kind, err)
				return
			}
			*k.into = list.Items[0].Ref
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.svc
}

// BenchmarkGetEntity: one entity with its relations, from the portal service.
func BenchmarkGetEntity(b *testing.B) {
	s := benchService(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.GetEntity(ctx, bench.component); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetEntityHTTP: the same over serve's HTTP API on loopback.
func BenchmarkGetEntityHTTP(b *testing.B) {
	s := benchService(b)
	srv := httptest.NewServer(httpapi.New(s, httpapi.Options{LoopbackOnly: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	u := srv.URL + "/api/v1/entities/" + url.PathEscape(bench.component)
	for b.Loop() {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("GET %s: %s", u, resp.Status)
		}
	}
}

// BenchmarkCatalogPage: a page of 100 rows with facet counts, for the
// queries the catalog page makes.
func BenchmarkCatalogPage(b *testing.B) {
	s := benchService(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    portal.EntityQuery
	}{
		{"all", portal.EntityQuery{Limit: 100}},
		{"kind+type", portal.EntityQuery{Facets: map[string][]string{"kind": {"component"}, "type": {"service"}}, Limit: 100}},
		{"text", portal.EntityQuery{Text: "payment", Limit: 100}},
		{"owner-sorted-deep", portal.EntityQuery{Sort: "owner", Desc: true, Offset: 50_000, Limit: 100}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListEntities(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGraphDepth2: the graph two hops around a component and a team.
func BenchmarkGraphDepth2(b *testing.B) {
	s := benchService(b)
	ctx := context.Background()
	for _, ref := range []string{bench.component, bench.group} {
		b.Run(ref, func(b *testing.B) {
			var nodes int
			for b.Loop() {
				g, err := s.Graph(ctx, portal.GraphQuery{Ref: ref, Depth: 2})
				if err != nil {
					b.Fatal(err)
				}
				nodes = len(g.Nodes)
			}
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}
