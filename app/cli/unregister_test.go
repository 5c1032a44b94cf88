package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

func TestCatalogUnregister(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	repo := gittest.New(t)
	repo.Commit("catalog", map[string][]byte{
		"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets: [./good.yaml]\n"),
		"good.yaml":         []byte(validComponent),
	})
	if r := run(ctx, nil, nil, "location", "add", repo.Bare(), "--data-dir", dir); r.code != 0 {
		t.Fatalf("location add = %d %s", r.code, r.stderr)
	}
	for _, tt := range []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"a file no app commit added", []string{"component:payments"}, 1, "How it got here:\n  location", "is not unregistered"},
		{"an unknown entity", []string{"component:nope"}, 2, "", "not found"},
		{"no ref", nil, 2, "", "takes one entity ref"},
		{"a location's root, dry run", []string{"location:root", "--dry-run"}, 0, "location:default/root: removes location", ""},
		{"a location's root", []string{"location:root"}, 0, "removed location", ""},
		{"gone with its location", []string{"component:payments"}, 2, "", "not found"},
	} {
		r := run(ctx, nil, nil, append([]string{"catalog", "unregister", "--data-dir", dir}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("catalog unregister, %s = %d\n%s\n%s", tt.name, r.code, r.stdout, r.stderr)
		}
	}
}
