package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

func TestProblems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	r := run(ctx, nil, nil, "problems", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "no problems") {
		t.Fatalf("problems with the demo alone = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	repo := gittest.New(t)
	repo.Commit("catalog", map[string][]byte{
		"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets: [./good.yaml, ./broken.yaml]\n"),
		"good.yaml":         []byte(validComponent),
		"broken.yaml":       []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [broken\n"),
	})
	if r := run(ctx, nil, nil, "location", "add", repo.Dir, "--data-dir", dir); r.code != 0 {
		t.Fatalf("location add = %d %s", r.code, r.stderr)
	}
	r = run(ctx, nil, nil, "problems", "--json", "--data-dir", dir)
	var got portal.ProblemList
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 1 {
		t.Fatalf("problems --json = %d %v\n%s", r.code, err, r.stdout)
	}
	if got.Total != 1 || len(got.Items) != 1 || got.Items[0].File != "broken.yaml" || got.Items[0].Author != "Test Author" {
		t.Fatalf("problems --json = %+v", got)
	}
	for _, tt := range []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"all", nil, 1, "broken.yaml:4", "1 problem(s)"},
		{"of the location", []string{"--location", got.Items[0].LocationID}, 1, "file-refused", "1 problem(s)"},
		{"of another kind", []string{"--kind", "sync-failed"}, 0, "no problems", ""},
		{"owned by a group", []string{"--owner", "team-a"}, 0, "no problems", ""},
		{"of an unknown location", []string{"--location", "nope"}, 2, "", `location "nope"`},
		{"of an owner that is no ref", []string{"--owner", "group:"}, 2, "", "owner"},
		{"with an argument", []string{"extra"}, 2, "", "takes no arguments"},
	} {
		r := run(ctx, nil, nil, append([]string{"problems", "--data-dir", dir}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("problems %s = %d\n%s\n%s", tt.name, r.code, r.stdout, r.stderr)
		}
	}
}
