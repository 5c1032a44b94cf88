package cli

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"
)

const (
	emptyTemplate   = "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec: {type: x, steps: []}\n"
	failingTemplate = "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec: {type: x, steps: [{id: a, action: fetch:plain, input: {url: ./nope}}]}\n"
)

// Every --json output is JSON whose lists are empty, never null, found or
// not, valid or not, so a script can iterate them without a check.
func TestJSONHasNoNullLists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	onlyBroken := writeTree(t, map[string]string{"catalog-info.yaml": "apiVersion: x\nkind: [\n"})
	valid := writeTree(t, map[string]string{"catalog-info.yaml": validComponent})
	empty := writeTree(t, map[string]string{"template.yaml": emptyTemplate})
	failing := writeTree(t, map[string]string{"template.yaml": failingTemplate})
	null := regexp.MustCompile(`"[^"]*": null`)
	for _, args := range [][]string{
		{"catalog", "validate", onlyBroken},
		{"catalog", "validate", valid},
		{"scorecard", writeTree(t, map[string]string{"catalog-info.yaml": validComponent + "---\n" + minimalScorecard})},
		{"catalog", "list", "--kind", "nothing-of-this-kind"},
		{"catalog", "list", "--kind", "component"},
		{"catalog", "get", "component:default/booking-service"},
		{"search", "zzzqqqxxx"},
		{"search", "booking"},
		{"location", "list"},
		{"sync"},
		{"outbox"},
		{"plugins", "list"},
		{"scaffold", empty, "--dry-run"},
		{"scaffold", failing, "--dry-run"},
		{"version"},
	} {
		r := run(ctx, nil, nil, append(args, "--json", "--data-dir", dir)...)
		if r.code > 1 || !json.Valid([]byte(r.stdout)) {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
			continue
		}
		if m := null.FindAllString(r.stdout, -1); m != nil {
			t.Errorf("%v: %v\n%s", args, m, r.stdout)
		}
	}
}
