package catalog

import (
	"context"
	"os"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func TestScorecardKind(t *testing.T) {
	t.Parallel()
	read := func(name string) string {
		b, err := os.ReadFile("testdata/scorecard/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name   string
		file   string
		refs   []string
		errors []string
	}{
		{name: "every rule form", file: read("valid.yaml"), refs: []string{"scorecard:default/production-readiness"}},
		{name: "mistakes at their lines", file: read("invalid.yaml"), errors: []string{
			`s.yaml:6:28: spec.levels.2: names level "Bronze" twice`,
			`s.yaml:9:14: spec.checks.0.level: is not one of the levels: "Bronze", "Silver", "Bronze"`,
			`s.yaml:10:42: spec.checks.0.rule.operator: must be one of equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain, is the string "near"`,
			`s.yaml:11:11: spec.checks.1.id: check id "a" is used twice`,
			`s.yaml:13:35: spec.checks.1.rule.fileContains.file: must stay inside the repository`,
			`s.yaml:13:62: spec.checks.1.rule.fileContains.pattern: must be a regular expression (RE2): error parsing regexp: missing closing ): ` + "`(`",
			`s.yaml:16:13: spec.checks.2.rule: must have exactly one of field, annotation, ownerKind, relation, fileExists, fileContains, yamlPath, jsonPath, goModVersion, fact, any, all, not; has field and fileExists`,
			`s.yaml:19:28: spec.checks.3.rule.goModVersion: must be a comparison with a version, like ">= 1.22", is the string "about 1.22"`,
			`s.yaml:22:20: spec.checks.4.rule.fact: must be a duration like "90d", "2w" or "36h", is the string "ninety days"`,
			`s.yaml:25:53: spec.checks.5.rule.fact.operator: is not a field of this rule`,
		}},
		{name: "a wrong apiVersion", file: "apiVersion: backstage.io/v1alpha1\nkind: Scorecard\nmetadata: {name: x}\nspec: {levels: [a], checks: []}\n", errors: []string{
			`s.yaml:1:13: apiVersion: kind Scorecard has no apiVersion "backstage.io/v1alpha1": use "callboard.dev/v1alpha1"`,
		}},
		{name: "levels and checks are required", file: "apiVersion: callboard.dev/v1alpha1\nkind: Scorecard\nmetadata: {name: x}\nspec: {appliesTo: {kind: Component}}\n", errors: []string{
			`s.yaml:4:7: spec.checks: is required`, `s.yaml:4:7: spec.levels: is required`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := Process(context.Background(), MapFiles{"s.yaml": tt.file}, Options{}, "s.yaml")
			var refs, errs []string
			for _, e := range res.Entities {
				refs = append(refs, e.Entity.Ref().String())
			}
			for _, e := range res.Errors {
				errs = append(errs, e.Error())
			}
			if d := gocmp.Diff(tt.refs, refs); d != "" {
				t.Errorf("refs (-want +got):\n%s", d)
			}
			if d := gocmp.Diff(tt.errors, errs); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
			for i := range res.Entities {
				if _, err := ReadScorecard(&res.Entities[i].Entity); err != nil {
					t.Errorf("ReadScorecard: %v", err)
				}
			}
		})
	}
}
