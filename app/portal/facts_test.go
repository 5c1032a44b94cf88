package portal

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scorecard"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// fakeFactHost reports what the test sets, and counts the askings.
type fakeFactHost struct {
	mu      sync.Mutex
	reports []host.FactsReport
	asked   int
	specs   map[string][]*pluginv1.FactSpec // nil: not known yet
}

func (h *fakeFactHost) Facts(context.Context, host.Entity) []host.FactsReport {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.asked++
	return h.reports
}

func (h *fakeFactHost) FactSpecs(context.Context) (map[string][]*pluginv1.FactSpec, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.specs, h.specs != nil
}

func (h *fakeFactHost) set(reports []host.FactsReport, specs map[string][]*pluginv1.FactSpec) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reports, h.specs = reports, specs
}

const factsOrg = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: payments}
spec: {type: service, lifecycle: production, owner: team-a}
---
apiVersion: callboard.dev/v1alpha1
kind: Scorecard
metadata: {name: ops}
spec:
  appliesTo: {kind: Component}
  levels: [Bronze, Gold]
  checks:
    - {id: described, level: Bronze, rule: {field: spec.type, exists: true}}
    - {id: recent, level: Gold, rule: {fact: "git-insights.lastCommitAt within 90d"}}
`

// factsService is a service on a store in dir whose plugins are h.
func factsService(t *testing.T, dir string, h *fakeFactHost) (*Service, *store.DB) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := New(Config{DB: db, Log: quiet, Workers: testWorkers(t)})
	s.facts.host, s.scorecards.facts = h, s.facts
	return s, db
}

func recentCheck(t *testing.T, s *Service) scorecard.CheckOutcome {
	t.Helper()
	scores, err := s.EntityScorecards(context.Background(), "component:payments")
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 1 || len(scores[0].Checks) != 2 {
		t.Fatalf("scores: %+v", scores)
	}
	return scores[0].Checks[1]
}

// A fact check is pending until the plugin reports, asked in the
// background on the page's visit; what it reported is kept, survives a
// failing plugin and a restart, and its age is said.
func TestFactsOfAVisitedEntity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	h := &fakeFactHost{}
	s, db := factsService(t, dir, h)
	if err := db.PutLocation(ctx, store.Location{ID: "a", URL: "https://example.com/a.git"}); err != nil {
		t.Fatal(err)
	}
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": factsOrg}, catalog.Options{}, "c.yaml")
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c1", Entities: res.Entities, Edges: res.Edges}, time.Now()); err != nil {
		t.Fatal(err)
	}

	// Nothing reported, and what the plugins provide is not known yet.
	if ck := recentCheck(t, s); ck.Passed || !ck.Pending || ck.Message != "no fact git-insights.lastCommitAt yet (git-insights has not reported it)" {
		t.Errorf("before any report: %+v", ck)
	}
	s.facts.wait()

	// The plugin reports on the next visit.
	read := time.Now().Add(-time.Minute)
	s.facts.now = func() time.Time { return read }
	h.set([]host.FactsReport{{Plugin: "git-insights", Facts: []host.Fact{{Name: "lastCommitAt", Type: host.FactTime, Value: time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)}}}},
		map[string][]*pluginv1.FactSpec{"git-insights": {{Name: "lastCommitAt"}}})
	s.facts.asked = map[string]time.Time{} // a visit a minute later
	recentCheck(t, s)
	s.facts.wait()
	ck := recentCheck(t, s)
	if !ck.Passed || ck.FactsAt != read.UTC().Format(time.RFC3339) || len(ck.Facts) != 1 {
		t.Errorf("after the report: %+v", ck)
	}
	s.facts.wait()

	// A plugin that fails keeps its last report.
	h.set([]host.FactsReport{{Plugin: "git-insights", Err: errors.New("plugin unavailable")}}, nil)
	s.facts.asked = map[string]time.Time{}
	recentCheck(t, s)
	s.facts.wait()
	if ck := recentCheck(t, s); !ck.Passed {
		t.Errorf("after a failed report: %+v", ck)
	}
	s.facts.wait()
	asked := h.asked
	if ck := recentCheck(t, s); !ck.Passed {
		t.Errorf("a visit again: %+v", ck)
	}
	s.facts.wait()
	if h.asked != asked {
		t.Errorf("asked again within %s of the last visit", factRevisit)
	}
}

// After a sync that moved a location's head, its entities a scorecard
// reads facts of are asked about, once per head; entities no fact check
// reads are not.
func TestFactsAfterSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := &fakeFactHost{}
	h.set([]host.FactsReport{{Plugin: "git-insights", Facts: []host.Fact{{Name: "lastCommitAt", Type: host.FactTime, Value: "2026-01-01T00:00:00Z"}}}},
		map[string][]*pluginv1.FactSpec{"git-insights": {{Name: "lastCommitAt"}}})
	s, db := factsService(t, "", h)
	org := factsOrg + "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\nspec: {type: team, children: []}\n"
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": org}, catalog.Options{}, "c.yaml")
	for _, commit := range []string{"c1", "c1", "c2"} {
		if err := db.PutLocation(ctx, store.Location{ID: "a", URL: "https://example.com/a.git", HeadCommit: commit}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: commit, Entities: res.Entities, Edges: res.Edges}, time.Now()); err != nil {
			t.Fatal(err)
		}
		s.AfterSync(ctx, "a")
		s.facts.wait()
	}
	if h.asked != 2 {
		t.Errorf("asked %d times, want 2: the component, at each of two heads", h.asked)
	}
	kept, err := db.Facts(ctx, "component:default/payments")
	if err != nil || len(kept) != 1 || kept[0].Plugin != "git-insights" {
		t.Errorf("kept facts: %+v, %v", kept, err)
	}
}

// Facts kept survive a restart: a store opened again evaluates from them
// without asking any plugin.
func TestFactsAfterRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	h := &fakeFactHost{}
	s, db := factsService(t, dir, h)
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": factsOrg}, catalog.Options{}, "c.yaml")
	if err := db.PutLocation(ctx, store.Location{ID: "a", URL: "https://example.com/a.git"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c1", Entities: res.Entities, Edges: res.Edges}, time.Now()); err != nil {
		t.Fatal(err)
	}
	read := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	if err := db.PutFacts(ctx, "component:default/payments", "git-insights", read, []store.StoredFact{{Name: "lastCommitAt", Type: "time", Value: last}}); err != nil {
		t.Fatal(err)
	}
	s.facts.wait()
	db.Close()

	s, _ = factsService(t, dir, &fakeFactHost{reports: []host.FactsReport{{Plugin: "git-insights", Err: errors.New("offline")}}})
	if ck := recentCheck(t, s); !ck.Passed || ck.FactsAt != "2026-01-01T00:00:00Z" {
		t.Errorf("after reopening: %+v", ck)
	}
	s.facts.wait()
}

// What plugins reported about an entity, and its scorecard results, go
// once the entity leaves the catalog: here a sync finds its file gone.
func TestFactsOfARemovedEntityAreSwept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := &fakeFactHost{}
	s, db := factsService(t, t.TempDir(), h)
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": factsOrg}, catalog.Options{}, "c.yaml")
	if err := db.PutLocation(ctx, store.Location{ID: "a", URL: "https://example.com/a.git", HeadCommit: "c1"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c1", Entities: res.Entities, Edges: res.Edges}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.PutFacts(ctx, "component:default/payments", "git-insights", time.Now(), []store.StoredFact{{Name: "lastCommitAt", Type: "time", Value: "2026-01-01T00:00:00Z"}}); err != nil {
		t.Fatal(err)
	}
	recentCheck(t, s) // evaluates, and keeps the results
	s.facts.wait()
	s.AfterSync(ctx, "a")
	s.facts.wait()
	if kept, err := db.Facts(ctx, "component:default/payments"); err != nil || len(kept) != 1 {
		t.Fatalf("facts of an entity still there: %+v, %v", kept, err)
	}
	var before []string
	if err := db.ScorecardResults(ctx, func(ref string, _ []byte) error { before = append(before, ref); return nil }); err != nil || len(before) == 0 {
		t.Fatalf("scorecard results before the removal: %q, %v", before, err)
	}
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c2"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.AfterSync(ctx, "a")
	s.facts.wait()
	if kept, err := db.Facts(ctx, "component:default/payments"); err != nil || len(kept) != 0 {
		t.Errorf("facts of a removed entity: %+v, %v", kept, err)
	}
	var results []string
	if err := db.ScorecardResults(ctx, func(ref string, _ []byte) error { results = append(results, ref); return nil }); err != nil || len(results) != 0 {
		t.Errorf("scorecard results after the removal: %q, %v", results, err)
	}
}

// New facts about one entity evaluate that entity alone, from the facts
// as kept; facts that went without a list of whose (a sweep) evaluate
// everything again; other facts provided, only the entities waiting for
// one.
func TestNewFactsEvaluateOnlyTheirEntity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := &fakeFactHost{}
	specs := map[string][]*pluginv1.FactSpec{"git-insights": {{Name: "lastCommitAt"}}}
	h.set(nil, specs)
	s, db := factsService(t, t.TempDir(), h)
	org := factsOrg + "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: billing}\nspec: {type: service, lifecycle: production, owner: team-a}\n"
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": org}, catalog.Options{}, "c.yaml")
	if err := db.PutLocation(ctx, store.Location{ID: "a", URL: "https://example.com/a.git"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c1", Entities: res.Entities, Edges: res.Edges}, time.Now()); err != nil {
		t.Fatal(err)
	}
	reads := &catalogReads{scorecardStore: db}
	s.scorecards.store = reads
	if ck := recentCheck(t, s); ck.Passed {
		t.Fatalf("before any report: %+v", ck)
	}
	s.facts.wait()
	if st := s.scorecards.stats; st.Evaluated != 2 || reads.n.Load() != 1 {
		t.Fatalf("the first evaluation: %+v after %d catalog reads, want both components after one", st, reads.n.Load())
	}

	h.set([]host.FactsReport{{Plugin: "git-insights", Facts: []host.Fact{{Name: "lastCommitAt", Type: host.FactTime, Value: time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}}}}, specs)
	if !s.facts.ask(ctx, "component:default/payments") {
		t.Fatal("the plugin's report was not kept")
	}
	if ck := recentCheck(t, s); !ck.Passed {
		t.Errorf("after the report: %+v", ck)
	}
	if st := s.scorecards.stats; st.Evaluated != 1 || st.Reused != 1 || reads.n.Load() != 1 {
		t.Errorf("after new facts about payments: %+v after %d catalog reads, want it alone evaluated, the catalog not read again", st, reads.n.Load())
	}
	// A visit would ask the plugin about billing too: it was just asked.
	s.facts.mu.Lock()
	s.facts.asked["component:default/billing"] = time.Now()
	s.facts.mu.Unlock()
	billing, err := s.EntityScorecards(ctx, "component:billing")
	if err != nil || len(billing) != 1 || billing[0].Checks[1].Passed {
		t.Errorf("billing, which no plugin reported about: %+v, %v", billing, err)
	}

	s.facts.kept("")
	recentCheck(t, s)
	if st := s.scorecards.stats; st.Evaluated+st.Reused != 2 || reads.n.Load() != 2 {
		t.Errorf("after facts went: %+v after %d catalog reads, want the catalog read again", st, reads.n.Load())
	}
	s.facts.wait()

	// A plugin that provides more (one started, say): billing, whose
	// check waits for a fact, is evaluated again; the catalog not read.
	h.set(nil, map[string][]*pluginv1.FactSpec{"git-insights": {{Name: "lastCommitAt"}, {Name: "commits"}}})
	recentCheck(t, s)
	if st := s.scorecards.stats; st.Evaluated != 1 || reads.n.Load() != 2 {
		t.Errorf("after other facts provided: %+v after %d catalog reads, want billing alone evaluated, the catalog not read again", st, reads.n.Load())
	}
	s.facts.wait()
}

// catalogReads counts the reads of the whole catalog.
type catalogReads struct {
	scorecardStore
	n atomic.Int32
}

func (c *catalogReads) Entities(ctx context.Context, fn func(store.Entity) bool) error {
	c.n.Add(1)
	return c.scorecardStore.Entities(ctx, fn)
}
