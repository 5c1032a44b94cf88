package ci

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// The fact comes from the cached runs, as of their fetch: the newest
// finished run on the default branch.
func TestFacts(t *testing.T) {
	t.Parallel()
	fetched := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return time.Date(2026, 2, d, 9, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		slug string
		runs []run // nil: nothing cached
		want []*pluginv1.Fact
	}{
		{"no annotation", "", []run{{ID: 1, Branch: "main", Status: "completed", Conclusion: "success", CreatedAt: day(1)}}, nil},
		{"nothing cached", "acme/payments", nil, nil},
		{"passed", "acme/payments", []run{
			{ID: 1, Branch: "main", Status: "completed", Conclusion: "failure", CreatedAt: day(1)},
			{ID: 2, Branch: "main", Status: "completed", Conclusion: "success", CreatedAt: day(2)},
		}, []*pluginv1.Fact{sdk.AsOf(sdk.FactFlag("defaultBranchLastRunPassed", true), fetched)}},
		{"failed, newer runs elsewhere or unfinished", "acme/payments", []run{
			{ID: 3, Branch: "feature", Status: "completed", Conclusion: "success", CreatedAt: day(5)},
			{ID: 4, Branch: "master", Status: "in_progress", CreatedAt: day(4)},
			{ID: 2, Branch: "master", Status: "completed", Conclusion: "failure", CreatedAt: day(3)},
			{ID: 1, Branch: "master", Status: "completed", Conclusion: "success", CreatedAt: day(1)},
		}, []*pluginv1.Fact{sdk.AsOf(sdk.FactFlag("defaultBranchLastRunPassed", false), fetched)}},
		{"no run on the default branch", "acme/payments", []run{{ID: 3, Branch: "feature", Status: "completed", Conclusion: "success", CreatedAt: day(5)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cacheDir := t.TempDir()
			api := "https://api.github.com"
			if tt.runs != nil {
				c := cachedRuns{API: api, Repo: "acme/payments", FetchedAt: fetched, Runs: tt.runs}
				if err := (runCache{dir: cacheDir}).store(api, "acme", "payments", c); err != nil {
					t.Fatal(err)
				}
			}
			p := newPlugin(slog.New(slog.DiscardHandler))
			got, err := p.facts(context.Background(), entityRequest("", "", api, cacheDir, "", tt.slug))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got, protocmp.Transform()); d != "" {
				t.Errorf("facts (-want +got):\n%s", d)
			}
		})
	}
}
