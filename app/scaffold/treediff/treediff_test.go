package treediff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type file struct {
	data string
	mode os.FileMode // 0: 0644
	link string
}

func write(t *testing.T, files map[string]file) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if f.link != "" {
			if err := os.Symlink(f.link, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		if err := os.WriteFile(p, []byte(f.data), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func read(t *testing.T, dir string) *Tree {
	t.Helper()
	tree, err := Read(os.DirFS(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestCompare(t *testing.T) {
	t.Parallel()
	base := map[string]file{"README.md": {data: "# a\n\nline\n"}, "bin/run.sh": {data: "#!/bin/sh\n", mode: 0o755}, "logo.png": {data: "\x89PNG\x00\x01"}}
	with := func(changes map[string]file, drop ...string) map[string]file {
		out := map[string]file{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range changes {
			out[k] = v
		}
		for _, k := range drop {
			delete(out, k)
		}
		return out
	}
	tests := []struct {
		name     string
		got      map[string]file
		want     []Difference
		contains []string
	}{
		{name: "same", got: base},
		{name: "changed text", got: with(map[string]file{"README.md": {data: "# b\n\nline\n"}}),
			want: []Difference{{Path: "README.md", Kind: Changed}}, contains: []string{"--- expected/README.md\n+++ rendered/README.md\n@@ -1,3 +1,3 @@\n-# a\n+# b\n"}},
		{name: "final newline", got: with(map[string]file{"README.md": {data: "# a\n\nline"}}),
			want: []Difference{{Path: "README.md", Kind: Changed}}, contains: []string{"-line\n+line\n\\ No newline at end of file\n"}},
		{name: "missing and extra", got: with(map[string]file{"NEW.md": {data: "new\n"}}, "README.md"),
			want: []Difference{{Path: "NEW.md", Kind: Extra}, {Path: "README.md", Kind: Missing}}, contains: []string{"--- /dev/null\n+++ rendered/NEW.md", "--- expected/README.md\n+++ /dev/null"}},
		{name: "binary by hash", got: with(map[string]file{"logo.png": {data: "\x89PNG\x00\x02"}}),
			want: []Difference{{Path: "logo.png", Kind: Changed}}, contains: []string{"logo.png differs: expected 6 bytes, sha256"}},
		{name: "executable bit", got: with(map[string]file{"bin/run.sh": {data: "#!/bin/sh\n", mode: 0o644}}),
			want: []Difference{{Path: "bin/run.sh", Kind: Mode}}, contains: []string{"expected 100755 (executable), rendered 100644"}},
		{name: "link", got: with(map[string]file{"README.md": {link: "docs/index.md"}}),
			want: []Difference{{Path: "README.md", Kind: Changed}}, contains: []string{"rendered a symbolic link to docs/index.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want, got := read(t, write(t, base)), read(t, write(t, tt.got))
			diffs := Compare(want, got)
			var kinds []Difference
			var all strings.Builder
			for _, d := range diffs {
				kinds = append(kinds, Difference{Path: d.Path, Kind: d.Kind})
			}
			if err := Print(&all, diffs); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, kinds); d != "" {
				t.Errorf("differences (-want +got):\n%s", d)
			}
			for _, s := range tt.contains {
				if !strings.Contains(all.String(), s) {
					t.Errorf("report lacks %q:\n%s", s, all.String())
				}
			}
		})
	}
}

// Update makes the expected folder equal the rendered tree, and touches
// nothing else.
func TestUpdate(t *testing.T) {
	t.Parallel()
	expected := write(t, map[string]file{"README.md": {data: "old\n"}, "gone/deep/x.txt": {data: "x"}, "bin/run.sh": {data: "#!/bin/sh\n"}, "keep.txt": {data: "same"}})
	rendered := write(t, map[string]file{"README.md": {data: "new\n"}, "bin/run.sh": {data: "#!/bin/sh\n", mode: 0o755}, "keep.txt": {data: "same"}, "a/b/new.txt": {data: "n"}, "link": {link: "keep.txt"}})
	got := read(t, rendered)
	diffs := Compare(read(t, expected), got)
	if err := Update(expected, got, diffs); err != nil {
		t.Fatal(err)
	}
	if again := Compare(read(t, expected), got); len(again) != 0 {
		t.Errorf("after update: %+v", again)
	}
	if _, err := os.Stat(filepath.Join(expected, "gone")); !os.IsNotExist(err) {
		t.Errorf("the emptied folder is still there: %v", err)
	}
}

// A tree's file added from memory (the run's outputs) compares as any.
func TestAdd(t *testing.T) {
	t.Parallel()
	tree := read(t, write(t, map[string]file{"a.txt": {data: "a"}}))
	if err := tree.Add("a.txt", nil); err == nil {
		t.Error("Add replaced a file")
	}
	if err := tree.Add(".outputs.json", []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	want := read(t, write(t, map[string]file{"a.txt": {data: "a"}, ".outputs.json": {data: "{}\n"}}))
	if d := Compare(want, tree); len(d) != 0 {
		t.Errorf("%+v", d)
	}
}

func TestUpdateRefusesUnsafePaths(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"../x", "/etc/x", "a/../../x", "."} {
		err := Update(t.TempDir(), &Tree{Files: map[string]File{}}, []Difference{{Path: p, Kind: Extra}})
		if err == nil {
			t.Errorf("%s: no error", p)
		}
	}
}
