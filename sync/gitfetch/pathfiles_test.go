package gitfetch

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/gittest"
)

// PathFiles reads what TreeFiles reads of the same commit.
func TestPathFiles(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	repo.Symlink("link.yaml", "a.yaml")
	repo.Commit("base", map[string][]byte{"a.yaml": []byte("a"), "dir/deep/b.yaml": []byte("bb"), "dir/c.yaml": []byte("ccc")})
	head, err := Open(repo.Dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := head.Files()
	if err != nil {
		t.Fatal(err)
	}
	paths, err := head.PathFiles()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.yaml", "dir/deep/b.yaml", "dir/c.yaml", "missing.yaml", "dir/missing/x.yaml", "link.yaml", "dir"} {
		t.Run(name, func(t *testing.T) {
			if got, want := paths.Hash(name), tree.Hash(name); got != want {
				t.Errorf("hash %q, want %q", got, want)
			}
			got, gotErr := catalog.ReadLimited(paths, name)
			want, wantErr := catalog.ReadLimited(tree, name)
			if string(got) != string(want) || (gotErr == nil) != (wantErr == nil) {
				t.Errorf("read %q (%v), want %q (%v)", got, gotErr, want, wantErr)
			}
			for _, target := range []error{fs.ErrNotExist, catalog.ErrSymlink} {
				if errors.Is(gotErr, target) != errors.Is(wantErr, target) {
					t.Errorf("error %v, want %v", gotErr, wantErr)
				}
			}
		})
	}
	if paths.Damaged() {
		t.Error("reads of a sound clone reported damage")
	}
}
