package gitfetch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/gittest"
)

// TestProcessRepository processes a real repository from its git objects:
// Location targets relative and from the root, globs, placeholders, and
// symbolic links that must not lead out of the repository.
func TestProcessRepository(t *testing.T) {
	t.Parallel()
	group := func(name string) []byte {
		return []byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: " + name + "}\nspec: {type: team, children: []}\n")
	}
	repo := gittest.New(t)
	repo.Symlink("services/payments/secret.txt", "/etc/passwd")
	repo.Symlink("teams/linked.yaml", "../../outside.yaml")
	if err := os.MkdirAll(filepath.Join(repo.Dir, "tools"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo.Dir, "tools", "run.sh"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, repo.Dir, "add", "tools/run.sh")
	repo.Commit("catalog", map[string][]byte{
		"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./teams/*.yaml, services/**/catalog-info.yaml]\n"),
		"teams/a.yaml":      group("a"),
		"teams/b.yaml":      group("b"),
		"services/payments/catalog-info.yaml": []byte(`apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: payments}
spec:
  type: openapi
  lifecycle: production
  owner: a
  definition: {$text: ./openapi.yaml}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: leak}
spec:
  type: openapi
  lifecycle: production
  owner: a
  definition: {$text: ./secret.txt}
`),
		"services/payments/openapi.yaml": []byte("openapi: 3.0.0\n"),
	})
	head, err := Fetch(context.Background(), Options{URL: repo.Dir, Dir: filepath.Join(t.TempDir(), "clone")})
	if err != nil {
		t.Fatal(err)
	}
	files, err := head.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Templates keep a skeleton's executable bit from the tree.
	for name, want := range map[string]fs.FileMode{"tools/run.sh": 0o755, "teams/a.yaml": 0o644, "teams/linked.yaml": 0, "nope": 0} {
		if got := files.Mode(name); got != want {
			t.Errorf("Mode(%s) = %o, want %o", name, got, want)
		}
	}
	res := catalog.Process(context.Background(), files, catalog.Options{}, "catalog-info.yaml")
	var refs []string
	for _, p := range res.Entities {
		refs = append(refs, p.Entity.Ref().String())
	}
	slices.Sort(refs)
	if diff := cmp.Diff([]string{"api:default/payments", "group:default/a", "group:default/b", "location:default/root"}, refs); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "services/payments/catalog-info.yaml:17:15: spec.definition: placeholder $text cannot be read: services/payments/secret.txt is a symbolic link, and links are not followed") {
		t.Errorf("errors = %v", res.Errors)
	}
	for _, p := range res.Entities {
		if p.Entity.Metadata.Name == "payments" && p.Entity.Spec["definition"] != "openapi: 3.0.0\n" {
			t.Errorf("definition = %q", p.Entity.Spec["definition"])
		}
	}
}

// FilesSince reuses unchanged directories and must index exactly what a
// fresh walk does.
func TestFilesSinceMatchesFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{
		"a/1.yaml": []byte("1"), "a/b/2.yaml": []byte("2"), "a/b/c/3.yaml": []byte("3"), "d/4.yaml": []byte("4"), "top.yaml": []byte("t"),
	})
	clone := filepath.Join(t.TempDir(), "clone")
	head, err := Fetch(ctx, Options{URL: repo.Dir, Dir: clone})
	if err != nil {
		t.Fatal(err)
	}
	prev, err := head.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	repo.Symlink("d/link.yaml", "../top.yaml")
	repo.Commit("second", map[string][]byte{"a/b/2.yaml": []byte("changed"), "a/b/c/3.yaml": nil, "e/5.yaml": []byte("5")})
	head, err = Fetch(ctx, Options{URL: repo.Dir, Dir: clone})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := head.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	since, err := head.FilesSince(context.Background(), prev)
	if err != nil {
		t.Fatal(err)
	}
	view := func(f *TreeFiles) map[string]string {
		out := map[string]string{}
		list, _ := f.List()
		for _, name := range list {
			out[name] = f.Hash(name)
		}
		for name := range f.links {
			out[name] = "link"
		}
		return out
	}
	if diff := cmp.Diff(view(fresh), view(since)); diff != "" {
		t.Errorf("FilesSince differs from Files (-fresh +since):\n%s", diff)
	}
	if got, _ := since.ReadFile("a/b/2.yaml"); string(got) != "changed" {
		t.Errorf("a/b/2.yaml = %q", got)
	}
	if _, err := since.ReadFile("a/b/c/3.yaml"); err == nil {
		t.Error("a deleted file is still there")
	}
}
