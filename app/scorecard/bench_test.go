//go:build unix

package scorecard

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/internal/procstat"
)

// benchCatalog reads the shared benchmark workload (`make bench` passes
// its folder in CALLBOARD_BENCH_CATALOG) with the ten scorecards of twenty
// checks in testdata/bench, every fact reported.
func benchCatalog(b *testing.B) (Catalog, *catalog.DirFiles) {
	dir := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	files, err := catalog.OpenDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { files.Close() })
	res := catalog.Process(context.Background(), files, catalog.Options{}, "catalog-info.yaml")
	if len(res.Errors) > 0 {
		b.Fatalf("%d errors, first: %v", len(res.Errors), res.Errors[0])
	}
	data, err := os.ReadFile("testdata/bench/scorecards.yaml")
	if err != nil {
		b.Fatal(err)
	}
	cards := catalog.Process(context.Background(), catalog.MapFiles{"s.yaml": string(data)}, catalog.Options{}, "s.yaml")
	if len(cards.Errors) > 0 {
		b.Fatal(cards.Errors)
	}
	res.Entities = append(res.Entities, cards.Entities...)
	c, errs := FromProcessed(&res, files)
	if len(errs) > 0 || len(c.Cards) != 10 {
		b.Fatalf("%d cards, errors %v", len(c.Cards), errs)
	}
	facts := map[string]Fact{"git-insights.lastCommitAgeDays": {Value: 12.0, At: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}}
	for i := range c.Subjects {
		c.Subjects[i].Facts = facts
	}
	return c, files
}

// BenchmarkScorecardsCold evaluates every scorecard over every entity with
// nothing cached, reading files from disk (budget: 2 s for 10,000).
func BenchmarkScorecardsCold(b *testing.B) {
	c, _ := benchCatalog(b)
	var results int
	cpu0 := procstat.Self().Seconds()
	for b.Loop() {
		r, _, err := NewEngine().Run(context.Background(), c.Cards, c.Subjects, c.Exists)
		if err != nil {
			b.Fatal(err)
		}
		results = len(r)
	}
	b.ReportMetric(float64(len(c.Subjects)), "entities")
	b.ReportMetric(float64(results), "results")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	// On a shared machine the wall time says little; the CPU time does.
	b.ReportMetric((procstat.Self().Seconds()-cpu0)/float64(b.N), "cpu-s/run")
}
