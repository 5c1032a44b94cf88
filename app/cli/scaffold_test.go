package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
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

// What scaffold says when a folder or file holds no template it can run.
func TestScaffoldFolderErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	noAction := strings.Replace(emptyTemplate, "steps: []", "steps: [{id: fetch, name: Fetch, input: {url: ./skeleton}}]", 1)
	tests := []struct {
		name   string
		files  map[string]string
		arg    string // relative to the folder
		code   int
		stderr string
	}{
		{name: "no template in the folder", files: map[string]string{"README.md": "# x\n", "catalog-info.yaml": validComponent}, arg: ".", code: 2,
			stderr: "has no template.yaml, nor any YAML file with kind: Template; give the folder holding the template, its file, or a catalog ref such as template:default/go-service"},
		{name: "a template under another name", files: map[string]string{"golden-path.yaml": emptyTemplate, "catalog-info.yaml": validComponent}, arg: ".", code: 0},
		{name: "template.yml", files: map[string]string{"template.yml": emptyTemplate}, arg: ".", code: 0},
		{name: "two templates", files: map[string]string{"a.yaml": emptyTemplate, "b.yml": emptyTemplate}, arg: ".", code: 2, stderr: "holds several templates (a.yaml, b.yml): name the file"},
		{name: "a path that does not exist", files: map[string]string{}, arg: "./nope", code: 2, stderr: "nope: no such file or folder"},
		{name: "a step without action", files: map[string]string{"template.yaml": noAction}, arg: ".", code: 2,
			stderr: `template.yaml:4:25: spec.steps.0.action: is required`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, tt.files)
			r := run(ctx, nil, nil, "scaffold", filepath.Join(dir, tt.arg), "--dry-run", "--data-dir", t.TempDir())
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, want %d\nstderr: %s\nwant:   %s", r.code, tt.code, r.stderr, tt.stderr)
			}
		})
	}
}

// scaffold DIR reads the template as the catalog does: steps, parameters
// and output from placeholders; a skeleton fetched by the URL of the
// template's own repository is read from the checkout, with no network.
func TestScaffoldFolderPlaceholdersAndOwnURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("templates", map[string][]byte{
		"golden/template.yaml": []byte("apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: golden}\nspec:\n  type: service\n" +
			"  parameters: {$yaml: ./parameters.yaml}\n  steps: {$yaml: ./steps.yaml}\n  output: {$json: /shared/output.json}\n"),
		"golden/parameters.yaml": []byte("properties:\n  name: {type: string}\n"),
		"golden/steps.yaml": []byte("- id: fetch\n  action: fetch:template\n  input:\n    url: https://github.com/org/templates/tree/main/skeletons/go\n" +
			"    values: {name: '${{ parameters.name }}'}\n"),
		"shared/output.json":       []byte(`{"text": [{"title": "Made", "content": "${{ parameters.name }} is ready"}]}`),
		"skeletons/go/README.md":   []byte("# ${{ values.name }}\n"),
		"skeletons/go/cmd/main.go": []byte("package main\n"),
	})
	gittest.Git(t, repo.Dir, "remote", "add", "origin", "https://github.com/org/templates.git")
	values := filepath.Join(t.TempDir(), "values.json")
	os.WriteFile(values, []byte(`{"name":"radar"}`), 0o644)
	out := filepath.Join(t.TempDir(), "radar")
	r := run(ctx, nil, nil, "scaffold", filepath.Join(repo.Dir, "golden"), "--values", values, "--out", out, "--data-dir", t.TempDir())
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "README.md")); string(data) != "# radar\n" {
		t.Errorf("README.md = %q", data)
	}
	for _, want := range []string{"from the template's own repository, without the network", "Made\nradar is ready"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}
