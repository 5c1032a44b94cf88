package catalog

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// DirFiles reads through os.Root: a symbolic link inside the directory
// works, one leading out of it is refused.
func TestDirFilesStaysInside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("api.yaml", "openapi: 3.0.0\n")
	write("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: inside}\nspec: {type: openapi, lifecycle: production, owner: a, definition: {$text: ./inside.txt}}\n---\n"+
		"apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: outside}\nspec: {type: openapi, lifecycle: production, owner: a, definition: {$text: ./outside.txt}}\n")
	if err := os.Symlink("api.yaml", filepath.Join(dir, "inside.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "outside.txt")); err != nil {
		t.Fatal(err)
	}
	files, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	if err := os.WriteFile(filepath.Join(dir, "run.sh"), []byte("#!/bin/sh\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]fs.FileMode{"run.sh": 0o755, "api.yaml": 0o644, "inside.txt": 0o644, "outside.txt": 0, "nope": 0, ".": 0} {
		if got := files.Mode(name); got != want {
			t.Errorf("Mode(%s) = %o, want %o", name, got, want)
		}
	}
	res := Process(context.Background(), files, Options{}, "catalog-info.yaml")
	if len(res.Entities) != 1 || res.Entities[0].Entity.Metadata.Name != "inside" {
		t.Errorf("entities = %v", res.Entities)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "placeholder $text cannot read outside.txt") || !strings.Contains(res.Errors[0].Error(), "escapes") {
		t.Errorf("errors = %v", res.Errors)
	}
}
