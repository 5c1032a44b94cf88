package gitfetch

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/gittest"
)

// PathFiles reads what TreeFiles reads of the same commit, also when it
// reuses the trees a comparison with an earlier commit read.
func TestPathFiles(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	repo.Symlink("link.yaml", "a.yaml")
	old := repo.Commit("base", map[string][]byte{"a.yaml": []byte("a"), "dir/deep/b.yaml": []byte("bb"), "dir/c.yaml": []byte("ccc")})
	saved := indexOf(t, repo.Dir)
	repo.Commit("change", map[string][]byte{"dir/deep/b.yaml": []byte("b2"), "dir/c.yaml": []byte("c2")})
	head, err := Open(repo.Dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := head.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	changes, err := head.ChangedSince(context.Background(), old, readIndex(t, saved))
	if err != nil || len(changes.dirs) == 0 {
		t.Fatalf("changes %v (%d trees read), %v", changes, len(changes.dirs), err)
	}
	plain, err := head.PathFiles()
	if err != nil {
		t.Fatal(err)
	}
	with, err := head.PathFilesWith(changes)
	if err != nil {
		t.Fatal(err)
	}
	for how, paths := range map[string]*PathFiles{"by path": plain, "with the changed trees": with} {
		for _, name := range []string{"a.yaml", "dir/deep/b.yaml", "dir/c.yaml", "missing.yaml", "dir/missing/x.yaml", "dir/deep/missing.yaml", "link.yaml", "dir", "dir/deep"} {
			t.Run(how+"/"+name, func(t *testing.T) {
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
			t.Errorf("%s: reads of a sound clone reported damage", how)
		}
	}
}
