package apitest

import (
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/scorecard"
	"github.com/callboard/callboard/sync/gittest"
)

// A catalog with a scorecard: payments (team-a) reaches Gold, the edge
// gateway (ops-team/sre, a name with every separator) only Bronze; the
// library is not a service, so the scorecard does not apply to it.
const (
	readinessRef  = "scorecard:default/readiness"
	edgeRef       = "component:ops-team/edge.gateway_v2-beta"
	scorecardYAML = `apiVersion: callboard.dev/v1alpha1
kind: Scorecard
metadata: {name: readiness, title: Readiness}
spec:
  appliesTo: {kind: Component, spec.type: service}
  levels: [Bronze, Silver, Gold]
  checks:
    - {id: owner, title: Owned by a group, level: Bronze, rule: {ownerKind: Group}}
    - {id: docs, title: Has TechDocs, level: Silver, rule: {annotation: backstage.io/techdocs-ref, exists: true}}
    - id: readme
      title: README has a Runbook
      level: Gold
      howToFix: https://example.invalid/runbooks
      rule: {fileContains: {file: README.md, pattern: "(?m)^#+ Runbook"}}
`
)

func scorecardFiles() map[string][]byte {
	return map[string][]byte{
		"catalog-info.yaml": []byte(`apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: scored}
spec:
  targets: [./org.yaml, ./scorecard.yaml, ./payments/catalog-info.yaml, ./edge/catalog-info.yaml, ./lib/catalog-info.yaml]
`),
		"org.yaml":       []byte(orgYAML),
		"scorecard.yaml": []byte(scorecardYAML),
		"payments/catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\n  annotations: {backstage.io/techdocs-ref: dir:.}\n" +
			"spec: {type: service, lifecycle: production, owner: team-a}\n"),
		"payments/README.md":     []byte("# Payments\n\n## Runbook\n\nRestart it.\n"),
		"edge/catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: edge.gateway_v2-beta, namespace: ops-team}\nspec: {type: service, lifecycle: production, owner: group:ops-team/sre}\n"),
		"lib/catalog-info.yaml":  []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: lib}\nspec: {type: library, lifecycle: production, owner: team-a}\n"),
	}
}

// scored opens an instance with the scorecard catalog synced.
func scored(t *testing.T, s *suite) (Fixture, *gittest.Repo, string) {
	t.Helper()
	f := s.fresh(t)
	repo := gittest.New(t)
	repo.Commit("Add the catalog", scorecardFiles())
	loc, err := f.API.AddLocation(t.Context(), portal.NewLocation{URL: repo.Dir})
	must(t, "AddLocation", err)
	_, err = f.API.Sync(t.Context(), loc.ID)
	must(t, "Sync", err)
	return f, repo, loc.ID
}

func counts(levels ...int) []scorecard.LevelCount {
	names := []string{"Bronze", "Silver", "Gold", ""}
	out := make([]scorecard.LevelCount, len(levels))
	for i, n := range levels {
		out[i] = scorecard.LevelCount{Level: names[i], Count: n}
	}
	return out
}

func testScorecards(t *testing.T, s *suite) {
	f, _, _ := scored(t, s)
	got, err := f.API.Scorecards(t.Context())
	must(t, "Scorecards", err)
	lists(t, f, "Scorecards", got)
	if len(got) != 1 || got[0].Ref != readinessRef || got[0].Title != "Readiness" || got[0].Total != 2 || len(got[0].Checks) != 3 {
		t.Fatalf("Scorecards = %+v", got)
	}
	if d := gocmp.Diff(counts(1, 0, 1, 0), got[0].Counts); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}

	// The catalog's Level facet and column.
	list, err := f.API.ListEntities(t.Context(), portal.EntityQuery{Facets: map[string][]string{"kind": {"component"}, portal.FacetLevel: {"readiness:Gold"}}})
	must(t, "ListEntities of a level", err)
	lists(t, f, "ListEntities", list)
	if len(list.Items) != 1 || list.Items[0].Ref != paymentsRef || len(list.Items[0].Levels) != 1 || list.Items[0].Levels[0].Level != "Gold" {
		t.Errorf("ListEntities at readiness:Gold = %+v", list.Items)
	}
	wantFacet := []portal.FacetCount{{Value: "readiness:Gold", Count: 1}, {Value: "readiness:Bronze", Count: 1}}
	if d := gocmp.Diff(wantFacet, list.Facets[portal.FacetLevel]); d != "" {
		t.Errorf("the level facet (-want +got):\n%s", d)
	}
	none, err := f.API.ListEntities(t.Context(), portal.EntityQuery{Facets: map[string][]string{portal.FacetLevel: {"readiness:"}}})
	must(t, "ListEntities below every level", err)
	if none.Total != 0 {
		t.Errorf("ListEntities below every level = %+v, want none", none.Items)
	}

	// Without levels: no column, no facet; a level asked for still filters.
	bare, err := f.API.ListEntities(t.Context(), portal.EntityQuery{Kind: "component", WithoutLevels: true})
	must(t, "ListEntities without levels", err)
	if bare.Total != 3 || slices.ContainsFunc(bare.Items, func(e portal.EntitySummary) bool { return len(e.Levels) > 0 }) {
		t.Errorf("ListEntities without levels = %+v, want the three components, without levels", bare.Items)
	}
	if got, ok := bare.Facets[portal.FacetLevel]; ok {
		t.Errorf("ListEntities without levels has a level facet: %+v", got)
	}
	gold, err := f.API.ListEntities(t.Context(), portal.EntityQuery{WithoutLevels: true, Facets: map[string][]string{portal.FacetLevel: {"readiness:Gold"}}})
	must(t, "ListEntities at a level, without levels", err)
	if len(gold.Items) != 1 || gold.Items[0].Ref != paymentsRef || len(gold.Items[0].Levels) != 0 {
		t.Errorf("ListEntities at readiness:Gold without levels = %+v, want payments alone, without its levels", gold.Items)
	}
}

func testScorecard(t *testing.T, s *suite) {
	f, _, _ := scored(t, s)
	ctx := t.Context()
	for _, ref := range []string{readinessRef, "readiness", "SCORECARD:readiness"} {
		d, err := f.API.Scorecard(ctx, ref, "")
		must(t, "Scorecard "+ref, err)
		lists(t, f, "Scorecard", d)
		want := []scorecard.EntityLevel{
			{Entity: paymentsRef, Owner: teamRef, Level: "Gold", Passed: 3, Total: 3},
			{Entity: edgeRef, Owner: sreRef, Level: "Bronze", Passed: 1, Total: 3},
		}
		if diff := gocmp.Diff(want, d.Entities); diff != "" {
			t.Errorf("Scorecard %s entities (-want +got):\n%s", ref, diff)
		}
		wantOwners := []scorecard.OwnerCounts{{Owner: teamRef, Counts: counts(0, 0, 1, 0), Total: 1}, {Owner: sreRef, Counts: counts(1, 0, 0, 0), Total: 1}}
		if diff := gocmp.Diff(wantOwners, d.ByOwner); diff != "" {
			t.Errorf("Scorecard %s by owner (-want +got):\n%s", ref, diff)
		}
	}
	d, err := f.API.Scorecard(ctx, readinessRef, "ops-team/sre")
	must(t, "Scorecard of an owner", err)
	if len(d.Entities) != 1 || d.Entities[0].Entity != edgeRef || d.Total != 1 {
		t.Errorf("Scorecard of ops-team/sre = %+v", d.Entities)
	}
	_, err = f.API.Scorecard(ctx, "scorecard:default/nope", "")
	wantErr(t, "Scorecard of nothing", err, portal.ErrNotFound)
	_, err = f.API.Scorecard(ctx, "scorecard:", "")
	wantErr(t, "Scorecard of a bad ref", err, portal.ErrInvalid)
}

func testEntityScorecards(t *testing.T, s *suite) {
	f, repo, id := scored(t, s)
	ctx := t.Context()
	got, err := f.API.EntityScorecards(ctx, edgeRef)
	must(t, "EntityScorecards", err)
	lists(t, f, "EntityScorecards", got)
	if len(got) != 1 || got[0].Level != "Bronze" || got[0].Owner != sreRef || got[0].Passed != 1 || len(got[0].Checks) != 3 {
		t.Fatalf("EntityScorecards = %+v", got)
	}
	docs := got[0].Checks[1]
	// The annotation is missing: it goes in metadata, at line 3.
	if docs.Passed || docs.Field != "metadata.annotations.backstage.io/techdocs-ref" || docs.Message == "" ||
		docs.Path != "edge/catalog-info.yaml" || docs.Line != 3 {
		t.Errorf("the docs check = %+v, want failed, with the field to edit at its line", docs)
	}
	readme := got[0].Checks[2]
	if readme.Passed || readme.HowToFix != "https://example.invalid/runbooks" || readme.Message != "edge/README.md does not exist" ||
		readme.File != "README.md" || readme.Path != "edge/README.md" || !readme.Missing {
		t.Errorf("the readme check = %+v, want failed with how to fix it and the file to create", readme)
	}
	lib, err := f.API.EntityScorecards(ctx, "component:default/lib")
	must(t, "EntityScorecards of an entity no scorecard applies to", err)
	lists(t, f, "EntityScorecards", lib)
	if len(lib) != 0 {
		t.Errorf("EntityScorecards of lib = %+v, want none", lib)
	}

	// A commit that gives the gateway its docs and runbook lifts it to
	// Gold after the next sync.
	repo.Commit("Document the gateway", map[string][]byte{
		"edge/catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: edge.gateway_v2-beta\n  namespace: ops-team\n  annotations: {backstage.io/techdocs-ref: dir:.}\nspec: {type: service, lifecycle: production, owner: group:ops-team/sre}\n"),
		"edge/README.md":         []byte("# Gateway\n\n# Runbook\n"),
	})
	_, err = f.API.Sync(ctx, id)
	must(t, "Sync", err)
	got, err = f.API.EntityScorecards(ctx, edgeRef)
	must(t, "EntityScorecards after a sync", err)
	if len(got) != 1 || got[0].Level != "Gold" || got[0].Passed != 3 {
		t.Errorf("EntityScorecards after a sync = %+v, want Gold", got)
	}

	_, err = f.API.EntityScorecards(ctx, "component:default/nope")
	wantErr(t, "EntityScorecards of nothing", err, portal.ErrNotFound)
	_, err = f.API.EntityScorecards(ctx, "payments")
	wantErr(t, "EntityScorecards without a kind", err, portal.ErrInvalid)
}

func testGroupScorecards(t *testing.T, s *suite) {
	f, _, _ := scored(t, s)
	ctx := t.Context()
	for _, ref := range []string{sreRef, "ops-team/sre"} {
		got, err := f.API.GroupScorecards(ctx, ref)
		must(t, "GroupScorecards "+ref, err)
		lists(t, f, "GroupScorecards", got)
		if got.Group != sreRef || len(got.Scorecards) != 1 || got.Scorecards[0].Total != 1 ||
			len(got.Scorecards[0].Entities) != 1 || got.Scorecards[0].Entities[0].Level != "Bronze" {
			t.Errorf("GroupScorecards %s = %+v", ref, got)
		}
	}
	user, err := f.API.GroupScorecards(ctx, userRef)
	must(t, "GroupScorecards of a user", err)
	lists(t, f, "GroupScorecards", user)
	if len(user.Scorecards) != 0 {
		t.Errorf("GroupScorecards of a user who owns nothing = %+v", user)
	}
	_, err = f.API.GroupScorecards(ctx, "group:default/nobody")
	wantErr(t, "GroupScorecards of nothing", err, portal.ErrNotFound)
	_, err = f.API.GroupScorecards(ctx, "group:")
	wantErr(t, "GroupScorecards of a bad ref", err, portal.ErrInvalid)
}

func testEntityScorecardHistory(t *testing.T, s *suite) {
	f, repo, id := scored(t, s)
	ctx := t.Context()
	// The gateway gets its docs, then a commit elsewhere, then its runbook.
	repo.Commit("Document the gateway", map[string][]byte{
		"edge/catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: edge.gateway_v2-beta\n  namespace: ops-team\n  annotations: {backstage.io/techdocs-ref: dir:.}\nspec: {type: service, lifecycle: production, owner: group:ops-team/sre}\n"),
	})
	repo.Commit("Elsewhere", map[string][]byte{"lib/README.md": []byte("# Lib\n")})
	repo.Commit("A runbook for the gateway", map[string][]byte{"edge/README.md": []byte("# Gateway\n\n# Runbook\n")})
	_, err := f.API.Sync(ctx, id)
	must(t, "Sync", err)
	got, err := f.API.EntityScorecardHistory(ctx, edgeRef)
	must(t, "EntityScorecardHistory", err)
	lists(t, f, "EntityScorecardHistory", got)
	if len(got) != 1 || got[0].Scorecard != readinessRef || len(got[0].LeftOut) != 1 || got[0].LeftOut[0] != "owner" {
		t.Fatalf("EntityScorecardHistory = %+v, want readiness with the owner check left out", got)
	}
	var levels []string
	for _, p := range got[0].Points {
		if p.Commit == "" || p.When == "" || p.Total != 2 {
			t.Errorf("point %+v, want a commit, a time and two checks", p)
		}
		levels = append(levels, p.Level)
	}
	// Without the owner check, Bronze needs nothing.
	if diff := gocmp.Diff([]string{"Bronze", "Silver", "Gold"}, levels); diff != "" {
		t.Errorf("levels over time (-want +got):\n%s", diff)
	}
	lib, err := f.API.EntityScorecardHistory(ctx, "component:default/lib")
	must(t, "EntityScorecardHistory of an entity no scorecard applies to", err)
	lists(t, f, "EntityScorecardHistory", lib)
	if len(lib) != 0 {
		t.Errorf("EntityScorecardHistory of lib = %+v, want none", lib)
	}
	_, err = f.API.EntityScorecardHistory(ctx, "component:default/nope")
	wantErr(t, "EntityScorecardHistory of nothing", err, portal.ErrNotFound)
	_, err = f.API.EntityScorecardHistory(ctx, "payments")
	wantErr(t, "EntityScorecardHistory without a kind", err, portal.ErrInvalid)
}
