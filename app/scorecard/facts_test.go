package scorecard

import (
	"context"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

const factsCatalog = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: payments}
spec: {type: service, owner: team-a, lifecycle: production}
---
apiVersion: callboard.dev/v1alpha1
kind: Scorecard
metadata: {name: ops}
spec:
  levels: [Bronze, Silver, Gold]
  checks:
    - {id: ci, level: Bronze, rule: {fact: {name: ci.defaultBranchLastRunPassed, equals: true}}}
    - {id: replicas, level: Silver, rule: {fact: "kubernetes.replicas >= 2"}}
    - {id: never-down, level: Silver, rule: {not: {fact: "kubernetes.replicas < 1"}}}
    - {id: recent, level: Gold, rule: {fact: "git-insights.lastCommitAt within 90d"}}
`

func factsSubjects(t *testing.T, facts map[string]Fact) Catalog {
	t.Helper()
	c := load(t, catalog.MapFiles{"catalog-info.yaml": factsCatalog})
	for i := range c.Subjects {
		c.Subjects[i].Facts = facts
	}
	return c
}

type checkView struct {
	Passed, Pending bool
	Message         string
	FactsAt         time.Time
}

func checksOf(r Result) map[string]checkView {
	out := map[string]checkView{}
	for _, ck := range r.Checks {
		out[ck.ID] = checkView{ck.Passed, ck.Pending, ck.Message, ck.FactsAt}
	}
	return out
}

// Fact checks evaluate against the facts as last reported: fresh ones,
// stale ones (the result says how old), and missing ones, which are
// pending rather than failed and say why.
func TestFactChecks(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	fresh, stale := now.Add(-time.Hour), now.Add(-72*time.Hour)
	tests := []struct {
		name     string
		facts    map[string]Fact
		provided []string // nil: unknown
		level    string
		want     map[string]checkView
	}{
		{
			name: "fresh",
			facts: map[string]Fact{
				"ci.defaultBranchLastRunPassed": {Value: true, At: fresh},
				"kubernetes.replicas":           {Value: 3.0, At: fresh},
				"git-insights.lastCommitAt":     {Value: "2026-11-01T00:00:00Z", At: fresh},
			},
			level: "Gold",
			want: map[string]checkView{
				"ci": {Passed: true, FactsAt: fresh}, "replicas": {Passed: true, FactsAt: fresh},
				"never-down": {Passed: true, FactsAt: fresh}, "recent": {Passed: true, FactsAt: fresh},
			},
		},
		{
			name: "stale and failing",
			facts: map[string]Fact{
				"ci.defaultBranchLastRunPassed": {Value: true, At: stale},
				"kubernetes.replicas":           {Value: 1.0, At: fresh},
				"git-insights.lastCommitAt":     {Value: "2025-03-04T09:00:00Z", At: stale},
			},
			level: "Bronze",
			want: map[string]checkView{
				"ci":         {Passed: true, FactsAt: stale},
				"replicas":   {Message: "kubernetes.replicas is 1, must be >= 2", FactsAt: fresh},
				"never-down": {Passed: true, FactsAt: fresh},
				"recent":     {Message: "git-insights.lastCommitAt is 2025-03-04T09:00:00Z, 642 days ago; must be within 90 days", FactsAt: stale},
			},
		},
		{
			name:  "missing",
			level: "",
			want: map[string]checkView{
				"ci":         {Pending: true, Message: "no fact ci.defaultBranchLastRunPassed yet (ci has not reported it)"},
				"replicas":   {Pending: true, Message: "no fact kubernetes.replicas yet (kubernetes has not reported it)"},
				"never-down": {Pending: true, Message: "no fact kubernetes.replicas yet (kubernetes has not reported it)"},
				"recent":     {Pending: true, Message: "no fact git-insights.lastCommitAt yet (git-insights has not reported it)"},
			},
		},
		{
			name:     "missing, and no plugin provides some",
			facts:    map[string]Fact{"ci.defaultBranchLastRunPassed": {Value: true, At: fresh}},
			provided: []string{"ci.defaultBranchLastRunPassed", "git-insights.lastCommitAt"},
			level:    "Bronze",
			want: map[string]checkView{
				"ci":         {Passed: true, FactsAt: fresh},
				"replicas":   {Pending: true, Message: "no fact kubernetes.replicas: no enabled plugin provides it"},
				"never-down": {Pending: true, Message: "no fact kubernetes.replicas: no enabled plugin provides it"},
				"recent":     {Pending: true, Message: "no fact git-insights.lastCommitAt yet (git-insights has not reported it)"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := factsSubjects(t, tt.facts)
			en := NewEngine()
			en.SetClock(func() time.Time { return now })
			if tt.provided != nil {
				en.SetProvided(tt.provided)
			}
			results, _, err := en.Run(context.Background(), c.Cards, c.Subjects, c.Exists)
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 {
				t.Fatalf("%d results, want 1", len(results))
			}
			if results[0].Level != tt.level {
				t.Errorf("level %q, want %q", results[0].Level, tt.level)
			}
			if d := gocmp.Diff(tt.want, checksOf(results[0])); d != "" {
				t.Errorf("checks (-want +got):\n%s", d)
			}
		})
	}
}

// A result that passed a "within" check is evaluated again once the time
// it stops passing has come, though nothing it read changed; and again
// when the facts plugins provide change.
func TestWithinExpires(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	facts := map[string]Fact{
		"ci.defaultBranchLastRunPassed": {Value: true, At: now},
		"git-insights.lastCommitAt":     {Value: now.Add(-80 * 24 * time.Hour).Format(time.RFC3339), At: now},
	}
	c := factsSubjects(t, facts)
	en := NewEngine()
	clock := now
	en.SetClock(func() time.Time { return clock })
	run := func() (Result, Stats) {
		t.Helper()
		results, st, err := en.Run(context.Background(), c.Cards, c.Subjects, c.Exists)
		if err != nil {
			t.Fatal(err)
		}
		return results[0], st
	}
	if r, _ := run(); !checksOf(r)["recent"].Passed {
		t.Fatalf("recent fails at first: %+v", r)
	}
	clock = now.Add(9 * 24 * time.Hour)
	if r, st := run(); st.Reused != 1 || !checksOf(r)["recent"].Passed {
		t.Errorf("nine days on: %+v, %+v; want the result reused, still passing", st, r)
	}
	clock = now.Add(10 * 24 * time.Hour)
	r, st := run()
	if st.Evaluated != 1 || checksOf(r)["recent"].Passed {
		t.Errorf("ten days on: %+v, %+v; want it evaluated again, failing", st, r)
	}
	en.SetProvided([]string{"ci.defaultBranchLastRunPassed"})
	if r, st := run(); st.Evaluated != 1 || checksOf(r)["replicas"].Message != "no fact kubernetes.replicas: no enabled plugin provides it" {
		t.Errorf("after SetProvided: %+v, %+v; want it evaluated again", st, r)
	}
	if _, st := run(); st.Reused != 1 {
		t.Errorf("the same provided facts again: %+v, want the result reused", st)
	}
}
