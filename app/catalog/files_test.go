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

// A DirReader reads what ReadFileMax and Mode read, from each folder's
// handle, and refuses what they refuse: links out of the directory,
// names leaving it, folders that are files, files over the limit.
func TestDirReaderReadsAsTheRoot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	outside := t.TempDir()
	for name, body := range map[string]string{"top.txt": "top", "a/b/c/deep.go": "deep", "a/run.sh": "#!/bin/sh\n", "a/big.bin": strings.Repeat("x", 100), "sibling/file.txt": "sibling"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "a", "run.sh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"a/in-folder.txt":  "run.sh",                                // a file beside it
		"a/b/up.txt":       "../../sibling/file.txt",                // out of its folder, inside the directory
		"a/out.txt":        filepath.Join(outside, "secret"),        // out of the directory
		"a/b/c/up-out.txt": "../../../../" + filepath.Base(outside), // out by ..
		"linked":           "sibling",                               // a folder inside
		"escape":           outside,                                 // a folder outside
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	files, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	r := files.Reader()
	defer r.Close()
	for _, name := range []string{
		"top.txt", "a/b/c/deep.go", "a/run.sh", "a/big.bin", "a/in-folder.txt", "a/b/up.txt", "a/out.txt",
		"a/b/c/up-out.txt", "linked/file.txt", "escape/secret", "missing", "a/missing/x", "top.txt/x",
		"../x", "/etc/hostname", "a/../top.txt", "a", ".", "",
	} {
		t.Run(name, func(t *testing.T) {
			data, mode, err := r.ReadFileMode(name, 50)
			want, wantErr := files.ReadFileMax(name, 50)
			wantMode := files.Mode(name)
			if wantErr != nil {
				if err == nil {
					t.Fatalf("read %q (mode %o); want an error like %v", data, mode, wantErr)
				}
				return
			}
			if err != nil || string(data) != string(want) || mode != wantMode {
				t.Errorf("got %q, %o, %v; want %q, %o", data, mode, err, want, wantMode)
			}
		})
	}
	if _, _, err := r.ReadFileMode("a/out.txt", 50); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a link out of the directory: %v", err)
	}
	if data, mode, err := r.ReadFileMode("a/b/up.txt", 50); string(data) != "sibling" || mode != 0o644 || err != nil {
		t.Errorf("a link out of its folder, inside the directory: %q, %o, %v", data, mode, err)
	}
	if data, mode, err := r.ReadFileMode("a/run.sh", 50); string(data) != "#!/bin/sh\n" || mode != 0o755 || err != nil {
		t.Errorf("an executable: %q, %o, %v", data, mode, err)
	}
}
