package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// callboard scaffold with a catalog template (the demo's, in a fresh data
// dir) and with a template folder; a dry run writes nothing.
func TestScaffold(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	values := filepath.Join(t.TempDir(), "values.json")
	os.WriteFile(values, []byte(`{"name":"tide-clock","description":"Tide times","owner":"group:default/team-lighthouse","system":"ferries","repoUrl":"local?owner=me&repo=tide-clock"}`), 0o644)

	dry := run(ctx, nil, nil, "scaffold", "template:go-service", "--values", values, "--dry-run", "--data-dir", dir)
	if dry.code != 0 || !strings.Contains(dry.stdout, "files (dry run, nothing written):") || !strings.Contains(dry.stdout, "catalog-info.yaml") {
		t.Fatalf("dry run = %d\n%s%s", dry.code, dry.stdout, dry.stderr)
	}
	out := filepath.Join(t.TempDir(), "tide-clock")
	r := run(ctx, nil, nil, "scaffold", "template:go-service", "--values", values, "--out", out, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "created "+out) || !strings.Contains(r.stdout, "registered component:default/tide-clock") {
		t.Fatalf("scaffold = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if g := run(ctx, nil, nil, "catalog", "get", "component:default/tide-clock", "--data-dir", dir); g.code != 0 {
		t.Errorf("the new component is not in the catalog: %s", g.stderr)
	}
	again := run(ctx, nil, nil, "scaffold", "template:go-service", "--values", values, "--out", out, "--data-dir", dir)
	if again.code != 1 || !strings.Contains(again.stderr, "not empty") {
		t.Errorf("into a full folder = %d\n%s", again.code, again.stderr)
	}

	folder := filepath.Join(t.TempDir(), "from-folder")
	f := run(ctx, nil, nil, "scaffold", "../../demo/repo/templates/go-service", "--values", values, "--out", folder, "--json")
	var got struct {
		Status string `json:"status"`
		Files  []struct {
			Path string `json:"path"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(f.stdout), &got); err != nil || f.code != 0 || got.Status != "completed" || len(got.Files) != 2 {
		t.Fatalf("from a folder = %d %v\n%s%s", f.code, err, f.stdout, f.stderr)
	}
	for _, bad := range [][]string{{"scaffold", "template:go-service"}, {"scaffold", "x", "--values", "/nope.json", "--dry-run"}} {
		if b := run(ctx, nil, nil, append(bad, "--data-dir", dir)...); b.code != 2 {
			t.Errorf("%v = %d\n%s", bad, b.code, b.stderr)
		}
	}
}
