package apitest

import (
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

const decidedRef = "component:default/fares"

// decisionFiles adds an entity whose ADR folder holds MADR and Nygard
// records (one superseded), a refused file and files the filter skips,
// and one whose annotation leaves the repository.
func decisionFiles() map[string][]byte {
	root := string(orgFiles()["catalog-info.yaml"]) + "    - ./services/fares/catalog-info.yaml\n"
	return map[string][]byte{
		"catalog-info.yaml": []byte(root),
		"services/fares/catalog-info.yaml": []byte(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: fares
  annotations:
    backstage.io/adr-location: docs/decisions
spec:
  type: service
  lifecycle: production
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: escapee
  annotations:
    backstage.io/adr-location: ../../../elsewhere
spec:
  type: service
  lifecycle: production
  owner: team-a
`),
		"services/fares/docs/decisions/0001-record-decisions.md": []byte("# 1. Record architecture decisions\n\nDate: 2026-01-05\n\n## Status\n\nAccepted\n"),
		"services/fares/docs/decisions/0002-use-postgres.md": []byte("---\nstatus: superseded by [ADR-0003](0003-use-cockroach.md)\ndate: 2026-02-01\n" +
			"deciders: [Jane, Ravi]\n---\n# Use Postgres for fares\n\nWe chose **Postgres**. <script>alert(1)</script>\n"),
		"services/fares/docs/decisions/0003-use-cockroach.md": []byte("# Use CockroachDB for fares\n\n* Status: accepted\n* Date: 2026-03-01\n\nMulti-region writes.\n"),
		"services/fares/docs/decisions/0004-broken.md":        []byte("---\nstatus: accepted\n  date: x\n---\n# Broken\n"),
		"services/fares/docs/decisions/0005-undecided.md":     []byte("# Nothing said yet\n"),
		"services/fares/docs/decisions/README.md":             []byte("# Decisions\n"),
		"services/fares/docs/decisions/adr-template.md":       []byte("# Title\n"),
	}
}

// withDecisions opens an instance with the test organisation and an
// entity with decision records, registered and synced.
func (s *suite) withDecisions(t *testing.T) *org {
	t.Helper()
	repo := gittest.New(t)
	repo.Commit("Add the organisation", orgFiles())
	repo.Commit("Decide", decisionFiles())
	f := s.fresh(t)
	loc, err := f.API.AddLocation(t.Context(), portal.NewLocation{URL: repo.Bare()})
	must(t, "add the organisation", err)
	_, err = f.API.Sync(t.Context(), loc.ID)
	must(t, "sync the organisation", err)
	f.Settle(t)
	return &org{Fixture: f, repo: repo, loc: loc}
}

func testEntityDecisions(t *testing.T, s *suite) {
	o := s.withDecisions(t)
	ctx := t.Context()
	l, err := o.API.EntityDecisions(ctx, "component:fares")
	must(t, "EntityDecisions", err)
	lists(t, o.Fixture, "EntityDecisions", l)
	want := []portal.DecisionSummary{
		{File: "0001-record-decisions.md", Number: 1, Title: "1. Record architecture decisions", Status: "accepted", StatusText: "Accepted", Date: "2026-01-05"},
		{File: "0002-use-postgres.md", Number: 2, Title: "Use Postgres for fares", Status: "superseded",
			StatusText: "superseded by [ADR-0003](0003-use-cockroach.md)", Date: "2026-02-01", Successor: "0003-use-cockroach.md"},
		{File: "0003-use-cockroach.md", Number: 3, Title: "Use CockroachDB for fares", Status: "accepted", StatusText: "accepted", Date: "2026-03-01"},
		{File: "0005-undecided.md", Number: 5, Title: "Nothing said yet", Status: "unknown"},
	}
	if l.Ref != decidedRef || l.Dir != "services/fares/docs/decisions" || l.Annotation != "docs/decisions" || !slices.Equal(l.Items, want) {
		t.Errorf("EntityDecisions = %+v", l)
	}
	if len(l.Problems) != 1 || l.Problems[0].File != "0004-broken.md" || l.Problems[0].Line != 3 {
		t.Errorf("problems = %+v, want 0004-broken.md at line 3", l.Problems)
	}
	esc, err := o.API.EntityDecisions(ctx, "component:escapee")
	must(t, "EntityDecisions of an annotation leaving the repository", err)
	if len(esc.Items) != 0 || len(esc.Problems) != 1 || !strings.Contains(esc.Problems[0].Message, "leaves the repository") {
		t.Errorf("EntityDecisions of escapee = %+v", esc)
	}
	probs, err := o.API.Problems(ctx, portal.ProblemQuery{})
	must(t, "Problems", err)
	refused := func(file string, line int, entity, field string) bool {
		return slices.ContainsFunc(probs.Items, func(p portal.Problem) bool {
			return p.Kind == portal.ProblemFileRefused && p.File == file && p.Line == line && p.Entity == entity && p.Field == field
		})
	}
	if !refused("services/fares/docs/decisions/0004-broken.md", 3, decidedRef, "") ||
		!refused("services/fares/catalog-info.yaml", 0, "component:default/escapee", "metadata.annotations.backstage.io/adr-location") {
		t.Errorf("the Problems page lacks the refused decision record or annotation: %+v", probs.Items)
	}
	res, err := o.API.Search(ctx, portal.SearchQuery{Text: "cockroachdb", Types: []string{"adr"}})
	must(t, "Search", err)
	if len(res.Hits) == 0 || res.Hits[0].Ref != decidedRef || res.Hits[0].Status != "accepted" ||
		res.Hits[0].Path != "/catalog/component/default/fares?tab=decisions&record=0003-use-cockroach.md" {
		t.Errorf("search for a decision = %+v", res.Hits)
	}
	res, err = o.API.Search(ctx, portal.SearchQuery{Text: "fares", Types: []string{"adr"}, Statuses: []string{"superseded"}})
	must(t, "Search by status", err)
	if res.Total != 1 || !slices.Contains(res.Facets["status"], portal.FacetCount{Value: "superseded", Count: 1}) {
		t.Errorf("search by status = %d hits, facets %+v", res.Total, res.Facets["status"])
	}
	_, err = o.API.EntityDecisions(ctx, "component:payments")
	wantErr(t, "EntityDecisions of an entity without the annotation", err, portal.ErrNotFound)
	_, err = o.API.EntityDecisions(ctx, "component:nope")
	wantErr(t, "EntityDecisions of an unknown entity", err, portal.ErrNotFound)
	_, err = o.API.EntityDecisions(ctx, ":x")
	wantErr(t, "EntityDecisions of a malformed ref", err, portal.ErrInvalid)
}

func testDecision(t *testing.T, s *suite) {
	o := s.withDecisions(t)
	ctx := t.Context()
	d, err := o.API.Decision(ctx, decidedRef, "0002-use-postgres.md")
	must(t, "Decision", err)
	lists(t, o.Fixture, "Decision", d)
	if d.Decision.Successor != "0003-use-cockroach.md" || d.Path != "services/fares/docs/decisions/0002-use-postgres.md" || d.Format != "madr" ||
		d.SupersededBy != "0003-use-cockroach.md" || !slices.Equal(d.Deciders, []string{"Jane", "Ravi"}) {
		t.Errorf("Decision = %+v", d)
	}
	if !strings.Contains(d.HTML, "<strong>Postgres</strong>") || strings.Contains(d.HTML, "<script") {
		t.Errorf("html = %s: want Markdown rendered and sanitised", d.HTML)
	}
	_, err = o.API.Decision(ctx, decidedRef, "0004-broken.md")
	wantErr(t, "Decision of a refused file", err, portal.ErrNotFound)
	_, err = o.API.Decision(ctx, decidedRef, "README.md")
	wantErr(t, "Decision of a file the filter skips", err, portal.ErrNotFound)
	_, err = o.API.Decision(ctx, "component:payments", "0001-record-decisions.md")
	wantErr(t, "Decision of an entity without the annotation", err, portal.ErrNotFound)
	_, err = o.API.Decision(ctx, decidedRef, "")
	wantErr(t, "Decision of no file", err, portal.ErrInvalid)
}
