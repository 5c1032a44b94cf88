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
// 304), and a re-sync with the server down (every spec from the store).
func BenchmarkRemotePlaceholders(b *testing.B) {
	const n = 200
	specs := map[string]string{}
	files := map[string][]byte{"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: apis}\nspec:\n  targets: ['./apis/*.yaml']\n")}
	srv := newSpecServer(b, specs)
	for i := range n {
		name := fmt.Sprintf("api-%03d", i)
		srv.set(name+".yaml", fmt.Sprintf("openapi: 3.0.0\ninfo: {title: %s, version: '1'}\npaths: {}\n", name))
		files["apis/"+name+".yaml"] = []byte(apiEntity(name, "{$text: "+srv.url(name+".yaml")+"}"))
	}
	repo := gittest.New(b)
	repo.Commit("apis", files)
	ctx := context.Background()
	check := func(b *testing.B, s *Syncer) {
		b.Helper()
		if err := s.Sync(ctx, "loc"); err != nil {
			b.Fatal(err)
		}
	}
	synced := func(b *testing.B) *Syncer {
		b.Helper()
		now := time.Now()
		s, db := remoteSetup(b, repo.Dir, srv, &now)
		check(b, s)
		if names := names(b, db); len(names) != n+1 {
			b.Fatalf("%d entities, want %d", len(names), n+1)
		}
		return s
	}

	b.Run("first sync", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			now := time.Now()
			s, _ := remoteSetup(b, repo.Dir, srv, &now)
			b.StartTimer()
			check(b, s)
		}
	})
	b.Run("idle re-sync", func(b *testing.B) {
		s := synced(b)
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
	b.Run("server down", func(b *testing.B) {
		s := synced(b)
		srv.stop()
		defer srv.start()
		for b.Loop() {
			check(b, s)
		}
	})
}
