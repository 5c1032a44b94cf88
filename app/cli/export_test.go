package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

const exportAPIFile = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: api-files
spec:
  targets:
    - ./services/api.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: api-gateway
  annotations:
    github.com/project-slug: acme/api
spec:
  type: service
  lifecycle: production
  owner: team-a
`

const exportService = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: api\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"

// refsOf lists the Component refs of a data dir: what the
// organisation's repositories and the export both hold (the org's own
// User of the token is not a file of any repository).
func refsOf(t *testing.T, dir string) []string {
	t.Helper()
	r := run(context.Background(), nil, nil, "catalog", "list", "--all", "--json", "--data-dir", dir)
	if r.code != 0 {
		t.Fatalf("catalog list = %d %s", r.code, r.stderr)
	}
	var list portal.EntityList
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("catalog list --json: %v\n%s", err, r.stdout)
	}
	var out []string
	for _, e := range list.Items {
		if e.Kind == "Component" {
			out = append(out, e.Ref)
		}
	}
	slices.Sort(out)
	return out
}

func TestCatalogExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	org := &forgetest.Org{Login: "acme", Repos: []*forgetest.Repo{
		{ID: 1, Name: "api", DefaultBranch: "main", Visibility: "private", Git: true,
			Files: map[string]string{"catalog-info.yaml": exportAPIFile, "services/api.yaml": exportService}},
		{ID: 2, Name: "payments", DefaultBranch: "main", Visibility: "private", Git: true,
			Files: map[string]string{"catalog-info.yaml": validComponent}},
		{ID: 3, Name: "notes", DefaultBranch: "main", Visibility: "private", Files: map[string]string{"README.md": "# notes\n"}},
	}}
	srv := forgetest.NewGitHub(t, org)
	var out, errb syncBuffer
	env := Env{Build: buildinfo.Info{Version: "test"}, Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		Tokens: gitfetch.Tokens{ByHost: map[string]string{"CALLBOARD_GIT_TOKEN_127_0_0_1": srv.Token}}}
	if code := Main(ctx, []string{"location", "add", srv.URL + "/acme", "--discover", "--forge", "github", "--data-dir", dir}, env); code != 0 {
		t.Fatalf("location add --discover = %d\n%s", code, errb.String())
	}
	// The demo location is no organisation's: it is not exported.
	exported := filepath.Join(t.TempDir(), "export")
	r := run(ctx, nil, nil, "catalog", "export", "--git", exported, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "exported 3 catalog files of 2 repositories") {
		t.Fatalf("catalog export = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	gittest.Git(t, exported, "rev-parse", "HEAD") // the export made a commit
	files := strings.Fields(gittest.Git(t, exported, "ls-files"))
	want := []string{"acme/api/catalog-info.yaml", "acme/api/services/api.yaml", "acme/payments/catalog-info.yaml", "catalog-info.yaml"}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("exported files (-want +got):\n%s", diff)
	}
	api, err := os.ReadFile(filepath.Join(exported, "acme/api/catalog-info.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"backstage.io/source-location: url:" + srv.URL + "/acme/api/tree/main/",
		"callboard.dev/exported-from: " + srv.URL + "/acme/api.git#catalog-info.yaml",
		"github.com/project-slug: acme/api", // its own annotations stay
	} {
		if !strings.Contains(string(api), s) {
			t.Errorf("exported file lacks %q:\n%s", s, api)
		}
	}
	root, _ := os.ReadFile(filepath.Join(exported, "catalog-info.yaml"))
	if !strings.Contains(string(root), "- ./acme/api/catalog-info.yaml\n    - ./acme/payments/catalog-info.yaml\n") || strings.Contains(string(root), "services/api.yaml") {
		t.Errorf("root Location:\n%s", root)
	}

	// Nothing changed: no commit; files of the repository's own stay.
	os.WriteFile(filepath.Join(exported, "README.md"), []byte("# exported\n"), 0o644)
	gittest.Git(t, exported, "add", "README.md")
	gittest.Git(t, exported, "-c", "user.name=CI", "-c", "user.email=ci@example.invalid", "commit", "-qm", "readme")
	head := strings.TrimSpace(gittest.Git(t, exported, "rev-parse", "HEAD"))
	r = run(ctx, nil, nil, "catalog", "export", "--git", exported, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "up to date") || strings.TrimSpace(gittest.Git(t, exported, "rev-parse", "HEAD")) != head {
		t.Errorf("a second export = %d %s %s", r.code, r.stdout, r.stderr)
	}

	// The exported repository synced as one location has the entities the
	// organisation's repositories have.
	other := t.TempDir()
	if r := run(ctx, nil, nil, "location", "add", exported, "--data-dir", other); r.code != 0 {
		t.Fatalf("location add of the export = %d %s", r.code, r.stderr)
	}
	if diff := cmp.Diff(refsOf(t, dir), refsOf(t, other)); diff != "" {
		t.Errorf("entities of the export against the organisation's (-org +export):\n%s", diff)
	}

	// A repository's catalog file removed: the next export removes it in
	// one commit, and keeps the README.
	srv.Update(func(o *forgetest.Org) { o.Repos[1].Archived = true; o.Repos[1].UpdatedAt = forgetest.Epoch.Add(1e9) })
	if code := Main(ctx, []string{"sync", "--data-dir", dir}, env); code != 0 {
		t.Fatalf("sync = %d %s", code, errb.String())
	}
	r = run(ctx, nil, nil, "catalog", "export", "--git", exported, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "exported 2 catalog files of 1 repositories") {
		t.Fatalf("export after an archive = %d %s %s", r.code, r.stdout, r.stderr)
	}
	files = strings.Fields(gittest.Git(t, exported, "ls-files"))
	if slices.Contains(files, "acme/payments/catalog-info.yaml") || !slices.Contains(files, "README.md") {
		t.Errorf("files after an archive: %v", files)
	}
	if n := gittest.Git(t, exported, "rev-list", "--count", head+"..HEAD"); strings.TrimSpace(n) != "1" {
		t.Errorf("%s commits for one export", n)
	}
}

func TestCatalogExportUsage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"catalog", "export", "--data-dir", dir},                                        // no --git
		{"catalog", "export", "--git", t.TempDir(), "--data-dir", dir},                  // no organisation
		{"catalog", "export", "--git", t.TempDir(), "--org", "nope", "--data-dir", dir}, // no such organisation
		{"catalog", "export", "extra", "--git", t.TempDir(), "--data-dir", dir},         // an argument
	} {
		if r := run(ctx, nil, nil, args...); r.code != 2 {
			t.Errorf("%v = %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}

func TestAnnotate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     []string
		targets  []string
	}{
		{"no annotations", "kind: Component\nmetadata:\n  name: a\n", []string{"  annotations:\n    k: v\n"}, nil},
		{"null annotations", "kind: Component\nmetadata:\n  name: a\n  annotations:\n", []string{"    k: v\n"}, nil},
		{"replaced", "kind: Component\nmetadata:\n  name: a\n  annotations:\n    k: old\n", []string{"    k: v\n"}, nil},
		{"location targets", "kind: Location\nmetadata:\n  name: l\nspec:\n  target: ./a.yaml\n  targets: [b/c.yaml, 'https://x/y.yaml', './*.yaml']\n",
			[]string{"k: v"}, []string{"a.yaml", "b/c.yaml"}},
		{"empty documents skipped", "---\n---\nkind: Group\nmetadata: {name: g}\n", []string{"name: g", "k: v"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, targets, err := annotate([]byte(tc.in), [][2]string{{"k", "v"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("annotate = %q, want %q in it", got, w)
				}
			}
			if strings.Contains(string(got), "old") {
				t.Errorf("the old value stayed: %q", got)
			}
			if diff := cmp.Diff(tc.targets, targets); diff != "" {
				t.Errorf("targets (-want +got):\n%s", diff)
			}
		})
	}
	if _, _, err := annotate([]byte("a: [\n"), nil); err == nil {
		t.Error("broken YAML annotated")
	}
}
