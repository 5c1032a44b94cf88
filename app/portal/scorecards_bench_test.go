package portal

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// BenchmarkLevels: the catalog's levels over the shared workload
// (CALLBOARD_BENCH_CATALOG, set by `make bench`) with the scorecard
// package's ten benchmark scorecards, every entity's facts reported once.
//   - after-new-facts: a catalog page with its Level column after a
//     plugin reported new facts about one entity, as git-insights does
//     entity by entity after a sync;
//   - after-facts-about-1000: the same after new facts about a thousand
//     entities, the most an update reads before it scans the catalog;
//   - after-restart: the first evaluation of a new process, which finds
//     the last one's results in the store (stored-B/entity: their size).
func BenchmarkLevels(b *testing.B) {
	dir := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	ctx := context.Background()
	// The workload's repository with the scorecards added, synced as a
	// location: entities, relations and files as the app has them.
	repo := filepath.Join(b.TempDir(), "repo")
	cards, err := os.ReadFile("../scorecard/testdata/bench/scorecards.yaml")
	if err != nil {
		b.Fatal(err)
	}
	gittest.Git(b, dir, "clone", "-q", dir, repo)
	if err := os.WriteFile(filepath.Join(repo, "scorecards.yaml"), cards, 0o644); err != nil {
		b.Fatal(err)
	}
	gittest.Git(b, repo, "add", "scorecards.yaml")
	gittest.Git(b, repo, "commit", "-qm", "scorecards")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	data := b.TempDir()
	db, err := store.Open(ctx, filepath.Join(data, "store"), quiet)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, l := range []store.Location{{ID: "bench", URL: repo, Path: "catalog-info.yaml"}, {ID: "cards", URL: repo, Path: "scorecards.yaml"}} {
		if err := db.PutLocation(ctx, l); err != nil {
			b.Fatal(err)
		}
	}
	sy := syncer.New(db, filepath.Join(data, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	for _, id := range []string{"bench", "cards"} {
		if err := sy.Sync(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
	h := &fakeFactHost{}
	h.set([]host.FactsReport{{Plugin: "git-insights", Facts: []host.Fact{{Name: "lastCommitAgeDays", Type: host.FactNumber, Value: 12.0}}}},
		map[string][]*pluginv1.FactSpec{"git-insights": {{Name: "lastCommitAgeDays"}}})
	s := New(Config{DB: db, Syncer: sy, Log: quiet, Workers: testWorkers(b)})
	s.facts.host, s.scorecards.facts = h, s.facts
	var refs []string
	err = db.Entities(ctx, func(e store.Entity) bool {
		if e.Entity.Kind != catalog.KindScorecard {
			refs = append(refs, e.Entity.Ref().String())
		}
		return true
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, ref := range refs {
		s.facts.ask(ctx, ref)
	}
	page := EntityQuery{Limit: 100}
	if _, err := s.ListEntities(ctx, page); err != nil {
		b.Fatal(err)
	}
	// afterFacts is a page after new facts about n entities.
	afterFacts := func(n int) func(b *testing.B) {
		return func(b *testing.B) {
			i := 0
			for b.Loop() {
				b.StopTimer()
				for range n {
					s.facts.ask(ctx, refs[i%len(refs)])
					i++
				}
				b.StartTimer()
				list, err := s.ListEntities(ctx, page)
				if err != nil || len(list.Items) == 0 {
					b.Fatalf("page: %d rows, %v", len(list.Items), err)
				}
				if got := s.scorecards.stats.Evaluated; got != n {
					b.Fatalf("evaluated %d entities, want %d", got, n)
				}
			}
			b.ReportMetric(float64(len(refs)), "entities")
		}
	}
	b.Run("after-new-facts", afterFacts(1))
	b.Run("after-facts-about-1000", afterFacts(updateMin))
	b.Run("after-restart", func(b *testing.B) {
		stored := 0
		err := db.ScorecardResults(ctx, func(_ string, data []byte) error {
			stored += len(data)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			sc := newScorecards(db, quiet)
			sc.files, sc.clones, sc.facts = sy, sy, newFacts(h, db, quiet)
			book, err := sc.levelBook(ctx)
			if err != nil || book == nil {
				b.Fatalf("levels: %v, %v", book, err)
			}
			if sc.stats.Evaluated != 0 {
				b.Fatalf("evaluated %d entities after a restart, want none", sc.stats.Evaluated)
			}
		}
		b.ReportMetric(float64(len(refs)), "entities")
		b.ReportMetric(float64(stored)/float64(len(refs)), "stored-B/entity")
	})
}
