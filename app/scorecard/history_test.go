package scorecard

import (
	"context"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/gittest"
)

const historyCard = `apiVersion: callboard.dev/v1alpha1
kind: Scorecard
metadata: {name: ready}
spec:
  levels: [Bronze, Silver]
  checks:
    - {id: alive, level: Bronze, rule: {field: spec.lifecycle, notOneOf: [deprecated]}}
    - {id: owner, level: Bronze, rule: {ownerKind: Group}}
    - {id: readme, level: Silver, rule: {fileContains: {file: README.md, pattern: "(?m)^## Runbook"}}}
    - {id: fresh, level: Silver, rule: {any: [{field: metadata.title, exists: true}, {fact: "git.age <= 9"}]}}
`

func svc(lifecycle string) []byte {
	return []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\nspec: {type: service, owner: team, lifecycle: " + lifecycle + "}\n")
}

func TestEntityHistory(t *testing.T) {
	t.Parallel()
	res := catalog.Process(context.Background(), catalog.MapFiles{"s.yaml": historyCard}, catalog.Options{}, "s.yaml")
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	card, err := NewCard(&res.Entities[0].Entity)
	if err != nil {
		t.Fatal(err)
	}
	r := gittest.New(t)
	r.Commit("before the entity", map[string][]byte{"other/x": []byte("x")})
	added := r.Commit("add svc", map[string][]byte{"svc/catalog-info.yaml": svc("production")})
	r.Commit("unrelated", map[string][]byte{"other/y": []byte("y"), "README.md": []byte("## Runbook\n")})
	noRunbook := r.Commit("a README without a runbook", map[string][]byte{"svc/README.md": []byte("# svc\n")})
	runbook := r.Commit("a runbook", map[string][]byte{"svc/README.md": []byte("# svc\n## Runbook\n")})
	r.Commit("unrelated again", map[string][]byte{"other/x": []byte("x2")})
	deprecated := r.Commit("deprecate", map[string][]byte{"svc/catalog-info.yaml": svc("deprecated")})

	repo, err := git.PlainOpen(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	req := HistoryRequest{Repo: repo, Head: plumbing.NewHash(deprecated), File: "svc/catalog-info.yaml",
		Ref: catalog.Ref{Kind: "component", Namespace: "default", Name: "svc"}, Cards: []*Card{card}}
	point := func(commit, level string, passed int) ScorePoint {
		return ScorePoint{Commit: commit, Level: level, Passed: passed, Total: 2}
	}
	want := []ScoreHistory{{Scorecard: card.Ref, Title: "ready", Levels: []string{"Bronze", "Silver"},
		LeftOut: []string{"owner", "fresh"},
		Points:  []ScorePoint{point(added, "Bronze", 1), point(noRunbook, "Bronze", 1), point(runbook, "Silver", 2), point(deprecated, "", 1)}}}
	cache := NewPointCache()
	for _, run := range []string{"cold", "cached"} {
		got, err := EntityHistory(t.Context(), req, cache)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			for j := range got[i].Points {
				if got[i].Points[j].When == "" {
					t.Errorf("%s: point %d has no time", run, j)
				}
				got[i].Points[j].When = ""
			}
		}
		if d := gocmp.Diff(want, got); d != "" {
			t.Errorf("%s: history (-want +got):\n%s", run, d)
		}
	}
	if len(cache.points) != 4 {
		t.Errorf("%d commits cached, want 4", len(cache.points))
	}
}
