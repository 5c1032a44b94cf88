package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testedTemplate = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: tested}
spec:
  type: service
  parameters:
    properties:
      name: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values: {name: '${{ parameters.name }}'}
    - id: publish
      action: publish:github
      input: {repoUrl: 'github.com?owner=org&repo=${{ parameters.name }}'}
    - id: register
      action: catalog:register
      input: {repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}', catalogInfoPath: /catalog-info.yaml}
  output:
    links:
      - {title: Repository, url: '${{ steps.publish.output.remoteUrl }}'}
`

// writeTested writes a template folder whose skeleton has a text file, an
// executable script and a binary file, and its values.
func writeTested(t *testing.T) (dir, values string) {
	t.Helper()
	dir = t.TempDir()
	for name, data := range map[string]string{
		"template.yaml":              testedTemplate,
		"skeleton/README.md":         "# ${{ values.name }}\n\nA service.\n",
		"skeleton/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: '${{ values.name }}'}\nspec: {type: service, owner: me, lifecycle: experimental}\n",
		"skeleton/logo.png":          "\x89PNG\x00\x01\x02",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "skeleton", "run.sh"), []byte("#!/bin/sh\necho ${{ values.name }}\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	values = filepath.Join(dir, "values.json")
	if err := os.WriteFile(values, []byte(`{"name":"radar"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, values
}

// scaffold test: --update writes the golden folder, a second run passes,
// and every kind of difference fails with a diff, exit 1.
func TestScaffoldTest(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir, values := writeTested(t)
	golden := filepath.Join(t.TempDir(), "expected")
	test := func(args ...string) result {
		return run(ctx, nil, nil, append([]string{"scaffold", "test", dir, "--values", values, "--golden", golden, "--data-dir", t.TempDir()}, args...)...)
	}
	if r := test(); r.code != 2 || !strings.Contains(r.stderr, "run with --update") {
		t.Fatalf("no golden folder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := test("--update"); r.code != 0 || !strings.Contains(r.stdout, "updated "+golden+": 5 files") {
		t.Fatalf("--update: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	outputs, err := os.ReadFile(filepath.Join(golden, outputsFile))
	if err != nil || !strings.Contains(string(outputs), `"url": "https://github.com/org/radar"`) {
		t.Fatalf("%s: %v\n%s", outputsFile, err, outputs)
	}
	if fi, err := os.Stat(filepath.Join(golden, "run.sh")); err != nil || fi.Mode()&0o100 == 0 {
		t.Fatalf("run.sh is not executable: %v", err)
	}
	if r := test(); r.code != 0 || !strings.Contains(r.stdout, "ok    the project matches") {
		t.Fatalf("unchanged: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	tests := []struct {
		name   string
		change func(golden string)
		want   []string
	}{
		{"changed text", func(g string) { os.WriteFile(filepath.Join(g, "README.md"), []byte("# ferry\n\nA service.\n"), 0o644) },
			[]string{"changed README.md\n--- expected/README.md\n+++ rendered/README.md\n@@ -1,3 +1,3 @@\n-# ferry\n+# radar\n"}},
		{"missing file", func(g string) { os.Remove(filepath.Join(g, "catalog-info.yaml")) }, []string{"extra catalog-info.yaml\n--- /dev/null"}},
		{"extra file", func(g string) { os.WriteFile(filepath.Join(g, "NOTES.md"), []byte("x\n"), 0o644) }, []string{"missing NOTES.md"}},
		{"mode", func(g string) { os.Chmod(filepath.Join(g, "run.sh"), 0o644) }, []string{"mode run.sh"}},
		{"binary", func(g string) { os.WriteFile(filepath.Join(g, "logo.png"), []byte("\x89PNG\x00\x09\x09"), 0o644) }, []string{"changed logo.png\nlogo.png differs: expected 7 bytes, sha256"}},
		{"outputs", func(g string) { os.WriteFile(filepath.Join(g, outputsFile), []byte("{}\n"), 0o644) }, []string{"changed .outputs.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := filepath.Join(t.TempDir(), "expected")
			if err := os.CopyFS(g, os.DirFS(golden)); err != nil {
				t.Fatal(err)
			}
			tt.change(g)
			r := run(ctx, nil, nil, "scaffold", "test", dir, "--values", values, "--golden", g, "--data-dir", t.TempDir())
			if r.code != 1 {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, r.stdout)
				}
			}
			j := run(ctx, nil, nil, "scaffold", "test", dir, "--values", values, "--golden", g, "--json", "--data-dir", t.TempDir())
			var rep scaffoldTestReport
			if err := json.Unmarshal([]byte(j.stdout), &rep); err != nil || j.code != 1 || rep.Status != "differs" || len(rep.Differences) != 1 {
				t.Errorf("--json: exit %d, %v, %+v\n%s", j.code, err, rep, j.stdout)
			}
		})
	}
}

// --update refuses folders it would empty of files not its own; a failing
// run is exit 1 naming the step.
func TestScaffoldTestRefuses(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir, values := writeTested(t)
	checkout := t.TempDir()
	os.Mkdir(filepath.Join(checkout, ".git"), 0o755)
	for _, golden := range []string{dir, filepath.Dir(dir), checkout} {
		r := run(ctx, nil, nil, "scaffold", "test", dir, "--values", values, "--golden", golden, "--update", "--data-dir", t.TempDir())
		if r.code != 2 || !strings.Contains(r.stderr, "--update would remove its files") {
			t.Errorf("%s: exit %d\n%s%s", golden, r.code, r.stdout, r.stderr)
		}
	}
	os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(strings.Replace(testedTemplate, "./skeleton", "./nope", 1)), 0o644)
	r := run(ctx, nil, nil, "scaffold", "test", dir, "--values", values, "--golden", t.TempDir(), "--data-dir", t.TempDir())
	if r.code != 1 || !strings.Contains(r.stdout, "FAIL  step fetch (fetch:template)") {
		t.Errorf("failing run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
