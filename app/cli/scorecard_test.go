package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

const minimalScorecard = "apiVersion: callboard.dev/v1alpha1\nkind: Scorecard\nmetadata: {name: basics}\nspec:\n  levels: [Bronze]\n  checks: [{id: named, level: Bronze, rule: {field: metadata.name, exists: true}}]\n"

// scorecardTree is a checkout with a scorecard, two components (one
// reaching Silver, one only Bronze) and their files.
func scorecardTree(t *testing.T) string {
	return writeTree(t, map[string]string{
		"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: root}
spec: {targets: [./scorecard.yaml, ./teams.yaml, ./a/catalog-info.yaml, ./b/catalog-info.yaml]}
`,
		"teams.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\nspec: {type: team, children: []}\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-b}\nspec: {type: team, children: []}\n",
		"scorecard.yaml": `apiVersion: callboard.dev/v1alpha1
kind: Scorecard
metadata: {name: readiness, title: Readiness}
spec:
  appliesTo: {kind: Component}
  levels: [Bronze, Silver]
  checks:
    - {id: owner, title: Owned by a group, level: Bronze, rule: {ownerKind: Group}}
    - {id: readme, title: Has a README, level: Silver, howToFix: "https://example.com/readme", rule: {fileExists: README.md}}
`,
		"a/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\nspec: {type: service, lifecycle: production, owner: team-a}\n",
		"a/README.md":         "# A\n",
		"b/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: b}\nspec: {type: service, lifecycle: production, owner: team-b}\n",
	})
}

func TestScorecardCommand(t *testing.T) {
	t.Parallel()
	dir := scorecardTree(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // lines that must appear, in order
		stderr string
	}{
		{name: "every entity", args: []string{dir}, stdout: []string{
			"Readiness (scorecard:default/readiness): Silver 1, Bronze 1, none 0",
			"  Silver    2/2    component:default/a",
			"  Bronze    1/2    component:default/b",
			"          FAIL Has a README [Silver]: b/README.md does not exist",
			"               how to fix: https://example.com/readme",
		}},
		{name: "below the minimum level", args: []string{dir, "--min-level", "Silver"}, code: 1, stderr: "1 entities are below Silver"},
		{name: "at the minimum level", args: []string{dir, "--min-level", "Bronze"}},
		{name: "one owner's entities", args: []string{dir, "--owner", "team-a", "--min-level", "Silver"}, stdout: []string{
			"Readiness (scorecard:default/readiness): Silver 1, Bronze 0, none 0",
		}},
		{name: "by name", args: []string{dir, "--scorecard", "readiness"}, stdout: []string{"Readiness"}},
		{name: "an unknown scorecard", args: []string{dir, "--scorecard", "nope"}, code: 2, stderr: `no scorecard "nope"`},
		{name: "an unknown level", args: []string{dir, "--min-level", "Gold"}, code: 2, stderr: `no scorecard has the level "Gold"`},
		{name: "no scorecards", args: []string{writeTree(t, map[string]string{"catalog-info.yaml": validComponent})}, code: 2, stderr: "no Scorecard entities"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := run(context.Background(), nil, nil, append([]string{"scorecard"}, tt.args...)...)
			if res.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", res.code, tt.code, res.stdout, res.stderr)
			}
			rest := res.stdout
			for _, line := range tt.stdout {
				i := strings.Index(rest, line)
				if i < 0 {
					t.Fatalf("stdout lacks %q (in order):\n%s", line, res.stdout)
				}
				rest = rest[i+len(line):]
			}
			if !strings.Contains(res.stderr, tt.stderr) {
				t.Errorf("stderr = %q, want %q in it", res.stderr, tt.stderr)
			}
		})
	}
}

func TestScorecardJSON(t *testing.T) {
	t.Parallel()
	res := run(context.Background(), nil, nil, "scorecard", scorecardTree(t), "--json", "--min-level", "Silver")
	if res.code != 1 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	var rep struct {
		Scorecards []struct {
			Ref      string `json:"ref"`
			Entities []struct {
				Entity string `json:"entity"`
				Owner  string `json:"owner"`
				Level  string `json:"level"`
				Checks []struct {
					ID     string `json:"id"`
					Passed bool   `json:"passed"`
				} `json:"checks"`
			} `json:"entities"`
		} `json:"scorecards"`
		Below int `json:"below"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, res.stdout)
	}
	var got []string
	for _, s := range rep.Scorecards {
		for _, e := range s.Entities {
			line := s.Ref + " " + e.Entity + " " + e.Owner + " " + e.Level
			for _, c := range e.Checks {
				line += " " + c.ID + "=" + map[bool]string{true: "pass", false: "fail"}[c.Passed]
			}
			got = append(got, line)
		}
	}
	want := []string{
		"scorecard:default/readiness component:default/a group:default/team-a Silver owner=pass readme=pass",
		"scorecard:default/readiness component:default/b group:default/team-b Bronze owner=pass readme=fail",
	}
	if d := gocmp.Diff(want, got); d != "" || rep.Below != 1 {
		t.Errorf("below %d, entities (-want +got):\n%s", rep.Below, d)
	}
}

// Plugins do not run in `callboard scorecard`: a fact check is reported
// as not evaluated, naming the facts it needs, and holds the level.
func TestScorecardFactsNotEvaluated(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: a}
spec: {type: service, lifecycle: production, owner: team-a}
---
apiVersion: callboard.dev/v1alpha1
kind: Scorecard
metadata: {name: fresh, title: Fresh}
spec:
  levels: [Bronze, Silver]
  appliesTo: {kind: Component}
  checks:
    - {id: typed, title: Has a type, level: Bronze, rule: {field: spec.type, exists: true}}
    - {id: recent, title: Changed lately, level: Silver, rule: {fact: "git-insights.lastCommitAt within 90d"}}
`,
	})
	res := run(context.Background(), nil, nil, "scorecard", dir)
	want := "  Bronze    1/2    component:default/a\n" +
		"          NOT EVALUATED Changed lately [Silver]: needs facts: git-insights.lastCommitAt\n"
	if res.code != 0 || !strings.Contains(res.stdout, want) {
		t.Errorf("exit %d, stdout:\n%s\nwant it to hold:\n%s", res.code, res.stdout, want)
	}
	res = run(context.Background(), nil, nil, "scorecard", "--json", dir)
	var rep scorecardReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if ck := rep.Scorecards[0].Entities[0].Checks[1]; !ck.Pending || ck.Passed {
		t.Errorf("--json: %+v, want the fact check pending", ck)
	}
}
