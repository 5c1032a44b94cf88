package scaffold

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestFoldersWriteAsWorkspace writes through folder handles what the
// workspace's own WriteFile writes, and falls back to it where a handle
// cannot be had.
func TestFoldersWriteAsWorkspace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		path  string
		mode  fs.FileMode
		want  fs.FileMode // 0: an error
	}{
		{name: "top level", path: "README.md", want: 0o644},
		{name: "new nested folders", path: "a/b/c/main.go", want: 0o644},
		{name: "executable", path: "scripts/run.sh", mode: 0o755, want: 0o755},
		{name: "into a link to a sibling folder", setup: func(t *testing.T, dir string) {
			mustMkdir(t, filepath.Join(dir, "real"))
			if err := os.Symlink("../real", filepath.Join(dir, "sub", "link")); err != nil {
				t.Fatal(err)
			}
		}, path: "sub/link/file.txt", want: 0o644},
		{name: "a file in the way", setup: func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "sub", "x"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, path: "sub/x/file.txt"},
		{name: "leaving the workspace", path: "../escape.txt"},
		{name: "through a link out of the workspace", setup: func(t *testing.T, dir string) {
			if err := os.Symlink(t.TempDir(), filepath.Join(dir, "sub", "out")); err != nil {
				t.Fatal(err)
			}
		}, path: "sub/out/file.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			mustMkdir(t, filepath.Join(dir, "sub"))
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			w, err := openWorkspace(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer w.close()
			f := w.folders()
			defer f.close()
			err = f.writeFile(tt.path, []byte("hello"), tt.mode)
			if tt.want == 0 {
				if err == nil {
					t.Fatalf("writeFile(%q) wrote; want an error", tt.path)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(tt.path)))
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != tt.want {
				t.Errorf("mode %v, want %v", fi.Mode().Perm(), tt.want)
			}
			for _, p := range []string{tt.path, "sub/link"} {
				got, err := f.exists(p)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := w.Exists(p)
				if got != want {
					t.Errorf("exists(%q) = %v, the workspace says %v", p, got, want)
				}
			}
			if got := w.files.Load(); got != 1 {
				t.Errorf("%d files accounted, want 1", got)
			}
		})
	}
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}
