package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const validComponent = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCatalogValidate(t *testing.T) {
	t.Parallel()
	good := writeTree(t, map[string]string{
		"catalog-info.yaml":            "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./svc/a.yaml]}\n",
		"svc/a.yaml":                   validComponent,
		"template/skeleton/c.yaml":     "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: ${{ values.name }}}\n",
		"template/catalog-info.yaml":   "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: ${{ values.name }}}\n",
		"mkdocs.yml":                   "site_name: x\n",
		"node_modules/x/catalog.yaml":  "kind: Component\napiVersion: broken\n",
		".github/workflows/build.yaml": "on: push\n",
	})
	// The catalog in .backstage/, as many repositories keep it; version
	// control and dependency folders hold YAML that is nobody's catalog,
	// unless a Location names it.
	dotted := writeTree(t, map[string]string{
		".backstage/catalog-info.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [../vendor/catalog/team.yaml]}\n",
		".backstage/api.yaml":                strings.Replace(validComponent, "payments", "ledger", 1),
		"vendor/catalog/team.yaml":           "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\nspec: {type: team, children: []}\n",
		"vendor/other/catalog-info.yaml":     "kind: Component\napiVersion: broken\n",
		".git/catalog-info.yaml":             "kind: Component\napiVersion: broken\n",
		".venv/lib/site-packages/k8s/a.yaml": "kind: Deployment\napiVersion: apps/v1\n",
	})
	bad := writeTree(t, map[string]string{
		"catalog-info.yaml": validComponent + "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Bad Name\nspec: {}\n---\nkind: [\n",
	})
	nameless := writeTree(t, map[string]string{"catalog-info.yaml": "metadata:\n  namespace: default\nkind: system\n"})
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{name: "valid directory", args: []string{good}, code: 0, stdout: []string{"ok    location:default/root", "ok    component:default/payments", "2 entities: 2 valid, 0 invalid"}},
		{name: "catalog in a dot-folder", args: []string{dotted}, code: 0, stdout: []string{
			"ok    location:default/root", "ok    component:default/ledger", "ok    group:default/team-a", "3 entities: 3 valid, 0 invalid",
		}},
		{name: "one file", args: []string{filepath.Join(good, "svc/a.yaml")}, code: 0, stdout: []string{"1 entity: 1 valid"}},
		{name: "invalid entity and broken YAML", args: []string{bad}, code: 1, stdout: []string{
			"FAIL  component:default/bad name",
			"catalog-info.yaml:13:9: metadata.name: must be a string that is sequences of [a-zA-Z0-9]",
			"FAIL  " + filepath.Join(bad, "catalog-info.yaml") + ":16:7: invalid YAML",
			"2 entities: 1 valid, 1 invalid; 1 file error, 0 warnings",
		}, stderr: "some entities or files are invalid"},
		{name: "an entity with no kind or name, its errors once", args: []string{filepath.Join(nameless, "catalog-info.yaml")}, code: 1, stdout: []string{
			"FAIL  (no kind or name)",
			"catalog-info.yaml:2:3: metadata.name: is required",
			"1 entity: 0 valid, 1 invalid; 0 file errors, 0 warnings",
		}, stderr: "some entities or files are invalid"},
		{name: "no arguments", args: nil, code: 2, stderr: "needs at least one file or directory"},
		{name: "missing path", args: []string{filepath.Join(good, "nope")}, code: 2, stderr: "no such file"},
		{name: "directory without catalog files", args: []string{filepath.Join(good, ".github")}, code: 2, stderr: "no catalog files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := run(context.Background(), nil, nil, append([]string{"catalog", "validate"}, tt.args...)...)
			if res.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", res.code, tt.code, res.stdout, res.stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(res.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
				}
			}
			if !strings.Contains(res.stderr, tt.stderr) {
				t.Errorf("stderr = %q, want %q", res.stderr, tt.stderr)
			}
		})
	}
}

func TestCatalogValidateJSON(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"catalog-info.yaml": validComponent + "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\nspec: {type: service, owner: a}\n---\n[1, 2\n",
	})
	res := run(context.Background(), nil, nil, "catalog", "validate", "--json", dir)
	if res.code != 1 {
		t.Fatalf("exit %d: %s %s", res.code, res.stdout, res.stderr)
	}
	var rep struct {
		Entities []struct {
			Ref    string `json:"ref"`
			Kind   string `json:"kind"`
			File   string `json:"file"`
			Line   int    `json:"line"`
			Valid  bool   `json:"valid"`
			Errors []struct {
				Field   string `json:"field"`
				Line    int    `json:"line"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"entities"`
		Files []struct {
			File   string `json:"file"`
			Errors []struct {
				Line    int    `json:"line"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, res.stdout)
	}
	if len(rep.Entities) != 2 || !rep.Entities[0].Valid || rep.Entities[1].Valid {
		t.Fatalf("entities = %+v", rep.Entities)
	}
	e := rep.Entities[1]
	if e.Ref != "component:default/x" || e.Kind != "Component" || e.Line != 10 || len(e.Errors) != 1 ||
		e.Errors[0].Field != "spec.lifecycle" || e.Errors[0].Line != 13 || e.Errors[0].Message != "is required" {
		t.Errorf("invalid entity = %+v", e)
	}
	if len(rep.Files) != 1 || len(rep.Files[0].Errors) != 1 || rep.Files[0].Errors[0].Line != 15 || !strings.Contains(rep.Files[0].Errors[0].Message, "invalid YAML") {
		t.Errorf("files = %+v", rep.Files)
	}
}

// Placeholders that name a file by URL are read, with no data dir: here
// from a plain http server on loopback (no token ever goes over http).
func TestCatalogValidateReadsURLs(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/specs/api.yaml" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "openapi: 3.0.0\n")
	}))
	defer srv.Close()
	api := func(name, url string) string {
		return "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: " + name + "}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition: {$text: " + url + "}\n"
	}
	dir := writeTree(t, map[string]string{"catalog-info.yaml": api("a", srv.URL+"/specs/api.yaml")})
	if res := run(context.Background(), nil, nil, "catalog", "validate", dir); res.code != 0 {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", res.code, res.stdout, res.stderr)
	}
	res := run(context.Background(), nil, nil, "catalog", "validate", "--offline", dir)
	if res.code != 1 || !strings.Contains(res.stdout, "files are not read by URL here") {
		t.Errorf("--offline: exit %d\nstdout: %s", res.code, res.stdout)
	}
	gone := writeTree(t, map[string]string{"catalog-info.yaml": api("b", srv.URL+"/specs/gone.yaml")})
	res = run(context.Background(), nil, nil, "catalog", "validate", gone)
	if want := "placeholder $text cannot read " + srv.URL + "/specs/gone.yaml: the server answered 404 Not Found"; res.code != 1 || !strings.Contains(res.stdout, want) {
		t.Errorf("a missing file: exit %d, want 1 and %q\nstdout: %s", res.code, want, res.stdout)
	}
}

// validate follows a root Location's targets into other repositories and
// web servers by URL, with no data dir, and names what it could not read.
func TestCatalogValidateFollowsURLTargets(t *testing.T) {
	t.Parallel()
	location := func(name string, targets ...string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: " + name + "}\nspec:\n  targets: [" + strings.Join(targets, ", ") + "]\n"
	}
	group := func(name string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: " + name + "}\nspec: {type: team, children: []}\n"
	}
	files := map[string]string{
		"/teams/all.yaml":  location("teams", "more.yaml") + "---\n" + group("all"),
		"/teams/more.yaml": group("more"),
		// A GitHub Enterprise host serves files at /raw/owner/repo/ref/path.
		"/raw/org/svc/main/catalog-info.yaml": location("svc", "/other.yaml") + "---\n" + validComponent,
		"/raw/org/svc/main/other.yaml":        group("other"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, body)
	}))
	defer srv.Close()
	dir := writeTree(t, map[string]string{"catalog-info.yaml": location("root",
		srv.URL+"/teams/all.yaml", srv.URL+"/org/svc/blob/main/catalog-info.yaml", srv.URL+"/gone.yaml", "./local.yaml"),
		"local.yaml": group("local")})
	res := run(context.Background(), nil, nil, "catalog", "validate", dir)
	for _, want := range []string{
		"ok    group:default/all", srv.URL + "/teams/all.yaml",
		"ok    group:default/more", srv.URL + "/teams/more.yaml",
		"ok    component:default/payments", srv.URL + "/org/svc/blob/main/catalog-info.yaml",
		"ok    group:default/other", srv.URL + "/org/svc/blob/main/other.yaml",
		"ok    group:default/local",
		"target " + srv.URL + "/gone.yaml cannot be read: the server answered 404 Not Found",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("validate does not say %q\nstdout: %s\nstderr: %s", want, res.stdout, res.stderr)
		}
	}
	if res.code != 1 {
		t.Errorf("exit %d, want 1 (a target could not be read)", res.code)
	}
	res = run(context.Background(), nil, nil, "catalog", "validate", "--offline", dir)
	if res.code != 1 || !strings.Contains(res.stdout, "targets are not followed by URL here") || !strings.Contains(res.stdout, "ok    group:default/local") {
		t.Errorf("--offline: exit %d\nstdout: %s", res.code, res.stdout)
	}
}
