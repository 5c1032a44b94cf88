package discover_test

import (
	"context"
	"testing"

	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
)

// BenchmarkDiscoverListing lists an organisation of 1,000 repositories,
// 300 of them with catalog files, on loopback: first a full listing,
// then an idle re-discovery from its State. It reports the requests
// each costs.
func BenchmarkDiscoverListing(b *testing.B) {
	for _, fg := range forges {
		b.Run(fg.name, func(b *testing.B) {
			org := &forgetest.Org{Login: "acme", Repos: forgetest.Generate(1000, func(i int) bool { return i%10 < 3 })}
			clock := forgetest.NewClock(forgetest.Epoch)
			srv := fg.serve(b, org, forgetest.WithClock(clock.Now))
			src, err := discover.ParseSource(srv.URL+"/acme", fg.forge)
			if err != nil {
				b.Fatal(err)
			}
			f, err := discover.New(src, discover.Options{Clock: clock,
				Token: func(context.Context, string) (string, error) { return srv.Token, nil }})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var first, idle discover.Listing
			for b.Loop() {
				var st discover.State
				first, st, err = f.List(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				idle, _, err = f.List(ctx, &st)
				if err != nil {
					b.Fatal(err)
				}
			}
			if len(first.Catalogued()) != 300 || !idle.Unchanged {
				b.Fatalf("%d catalogued, idle unchanged %v", len(first.Catalogued()), idle.Unchanged)
			}
			b.ReportMetric(float64(first.Requests), "requests/first")
			b.ReportMetric(float64(idle.Requests), "requests/idle")
		})
	}
}
