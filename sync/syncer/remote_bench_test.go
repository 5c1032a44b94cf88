package syncer

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/callboard/callboard/sync/gittest"
)

// BenchmarkRemotePlaceholders syncs a location of 200 APIs, each file's
// definition a $text placeholder naming its own spec on a GitHub-shaped
// server on loopback TLS, into a store on disk: the first sync, an idle
// re-sync (the branch unchanged: conditional requests only, each answered
// 304), and re-syncs with the server down (every spec from the store):
// the first, which marks every entity as showing a kept copy, and the
// next. The same APIs with their specs in the repository are the
// reference.
func BenchmarkRemotePlaceholders(b *testing.B) {
	const n = 200
	specs := map[string]string{}
	root := []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: apis}\nspec:\n  targets: ['./apis/*.yaml']\n")
	files := map[string][]byte{"catalog-info.yaml": root}
	local := map[string][]byte{"catalog-info.yaml": root}
	srv := newSpecServer(b, specs)
	for i := range n {
		name := fmt.Sprintf("api-%03d", i)
		spec := fmt.Sprintf("openapi: 3.0.0\ninfo: {title: %s, version: '1'}\npaths: {}\n", name)
		srv.set(name+".yaml", spec)
		files["apis/"+name+".yaml"] = []byte(apiEntity(name, "{$text: "+srv.url(name+".yaml")+"}"))
		local["apis/"+name+".yaml"] = []byte(apiEntity(name, "{$text: ../specs/"+name+".yaml}"))
		local["specs/"+name+".yaml"] = []byte(spec)
	}
	repo := gittest.New(b)
	repo.Commit("apis", files)
	localRepo := gittest.New(b)
	localRepo.Commit("apis", local)
	ctx := context.Background()
	check := func(b *testing.B, s *Syncer) {
		b.Helper()
		if err := s.Sync(ctx, "loc"); err != nil {
			b.Fatal(err)
		}
	}
	synced := func(b *testing.B, dir string) *Syncer {
		b.Helper()
		now := time.Now()
		s, db := remoteSetup(b, dir, srv, &now)
		check(b, s)
		if names := names(b, db); len(names) != n+1 {
			b.Fatalf("%d entities, want %d", len(names), n+1)
		}
		return s
	}

	for _, c := range []struct{ name, dir string }{{"first sync", repo.Dir}, {"first sync, specs in the repository", localRepo.Dir}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				now := time.Now()
				s, _ := remoteSetup(b, c.dir, srv, &now)
				b.StartTimer()
				check(b, s)
			}
		})
	}
	b.Run("idle re-sync", func(b *testing.B) {
		s := synced(b, repo.Dir)
		srv.requests()
		for b.Loop() {
			check(b, s)
		}
		b.StopTimer()
		got := srv.requests()
		for _, r := range got {
			if r[:3] != "304" {
				b.Fatalf("an idle re-sync fetched %s", r)
			}
		}
		b.ReportMetric(float64(len(got))/float64(b.N), "requests/op")
	})
	b.Run("idle re-sync, specs in the repository", func(b *testing.B) {
		s := synced(b, localRepo.Dir)
		for b.Loop() {
			check(b, s)
		}
	})
	b.Run("first sync with the server down", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s := synced(b, repo.Dir)
			srv.stop()
			b.StartTimer()
			check(b, s)
			b.StopTimer()
			srv.start()
			b.StartTimer()
		}
	})
	b.Run("server down", func(b *testing.B) {
		s := synced(b, repo.Dir)
		srv.stop()
		defer srv.start()
		for b.Loop() {
			check(b, s)
		}
	})
}
