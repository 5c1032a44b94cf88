package gitfetch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/callboard/callboard/sync/gittest"
)

var ignoreIndex = cmpopts.IgnoreUnexported(Changes{})

func TestChangedSince(t *testing.T) {
	t.Parallel()
	base := map[string][]byte{"a.yaml": []byte("a"), "dir/b.yaml": []byte("b"), "dir/deep/c.yaml": []byte("c"), "other/d.yaml": []byte("d")}
	for _, tc := range []struct {
		name   string
		change map[string][]byte
		want   Changes
	}{
		{"nothing", map[string][]byte{}, Changes{}},
		{"one file deep", map[string][]byte{"dir/deep/c.yaml": []byte("c2")}, Changes{Modified: []string{"dir/deep/c.yaml"}}},
		{"two files", map[string][]byte{"a.yaml": []byte("a2"), "other/d.yaml": []byte("d2")}, Changes{Modified: []string{"a.yaml", "other/d.yaml"}}},
		{"added", map[string][]byte{"dir/new.yaml": []byte("n")}, Changes{Reshaped: true}},
		{"removed", map[string][]byte{"dir/b.yaml": nil}, Changes{Reshaped: true}},
		{"removed and modified", map[string][]byte{"dir/b.yaml": nil, "a.yaml": []byte("a3")}, Changes{Modified: []string{"a.yaml"}, Reshaped: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			repo := gittest.New(t)
			old := repo.Commit("base", base)
			saved := indexOf(t, repo.Dir)
			repo.Commit("change", tc.change)
			head, err := Open(repo.Dir, "main")
			if err != nil {
				t.Fatal(err)
			}
			// The same answer whether the old side comes from the pack or
			// from the saved index.
			for name, idx := range map[string]*TreeIndex{"pack": nil, "index": readIndex(t, saved)} {
				got, err := head.ChangedSince(context.Background(), old, idx)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got, ignoreIndex); diff != "" {
					t.Errorf("%s: changes (-want +got):\n%s", name, diff)
				}
			}
		})
	}
	t.Run("unknown commit", func(t *testing.T) {
		t.Parallel()
		repo := gittest.New(t)
		repo.Commit("base", base)
		head, err := Open(repo.Dir, "main")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := head.ChangedSince(context.Background(), "0123456789012345678901234567890123456789", nil); err == nil {
			t.Error("a commit the clone does not hold compared without an error")
		}
	})
}

// A sequence of commits, each compared with the last through the saved
// index, which is patched forward when the tree kept its shape and written
// whole from a read of the tree when it did not (as the syncer does): the
// index after each is byte for byte the one a read of the whole tree of
// the same commit writes.
func TestPatchedIndexIsTheWholeTreeIndex(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	repo.Commit("base", map[string][]byte{"catalog-info.yaml": []byte("root"), "components/a/catalog-info.yaml": []byte("a"),
		"components/b/catalog-info.yaml": []byte("b"), "systems/x/deep/er/c.yaml": []byte("c"), "docs/index.md": []byte("d")})
	repo.Symlink("components/link.yaml", "a/catalog-info.yaml")
	old := repo.Commit("link", nil)
	saved := indexOf(t, repo.Dir)
	for _, step := range []struct {
		name     string
		change   map[string][]byte
		reshaped bool
	}{
		{"edit", map[string][]byte{"components/a/catalog-info.yaml": []byte("a2")}, false},
		{"edit nested", map[string][]byte{"systems/x/deep/er/c.yaml": []byte("c2")}, false},
		{"edit in two folders", map[string][]byte{"catalog-info.yaml": []byte("root2"), "components/b/catalog-info.yaml": []byte("b2"), "docs/index.md": []byte("d2")}, false},
		{"add", map[string][]byte{"components/c/catalog-info.yaml": []byte("c")}, true},
		{"edit after an add", map[string][]byte{"components/c/catalog-info.yaml": []byte("c3")}, false},
		{"delete", map[string][]byte{"components/b/catalog-info.yaml": nil}, true},
		{"move between folders", map[string][]byte{"components/a/catalog-info.yaml": nil, "systems/x/a.yaml": []byte("a2")}, true},
		{"edit after a move", map[string][]byte{"systems/x/a.yaml": []byte("a4")}, false},
		{"nothing", map[string][]byte{}, false},
	} {
		commit := repo.Commit(step.name, step.change)
		head, err := Open(repo.Dir, "main")
		if err != nil {
			t.Fatal(err)
		}
		idx := readIndex(t, saved)
		changes, err := head.ChangedSince(context.Background(), old, idx)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		fromPack, err := head.ChangedSince(context.Background(), old, nil)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if diff := cmp.Diff(fromPack, changes, ignoreIndex); diff != "" {
			t.Errorf("%s: changes (-from the pack +from the index):\n%s", step.name, diff)
		}
		if changes.Reshaped != step.reshaped {
			t.Errorf("%s: reshaped %v, want %v", step.name, changes.Reshaped, step.reshaped)
		}
		whole := indexOf(t, repo.Dir)
		patched, ok := idx.Patched(changes)
		switch {
		case step.reshaped && ok:
			t.Errorf("%s: a reshaped tree's index was patched", step.name)
		case !step.reshaped && !ok:
			t.Errorf("%s: the index was not patched", step.name)
		case ok && !bytes.Equal(patched, whole):
			t.Errorf("%s: the patched index differs from the whole tree's", step.name)
		}
		if x, err := ReadIndex(whole); err != nil || x.Commit() != commit {
			t.Errorf("%s: index of commit %v, %v; want %s", step.name, x, err, commit)
		}
		saved, old = whole, commit
	}
}

// An index that does not describe the old commit is not used, nor patched:
// one of another commit, and one that claims the old commit but holds
// another tree. A damaged one is not read at all.
func TestChangedSinceIgnoresAnIndexOfAnotherTree(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	first := repo.Commit("first", map[string][]byte{"dir/a.yaml": []byte("a"), "b.yaml": []byte("b")})
	staleIndex := indexOf(t, repo.Dir)
	old := repo.Commit("second", map[string][]byte{"dir/a.yaml": []byte("a2")})
	head, err := Open(repo.Dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	files, err := head.At(plumbing.NewHash(first)).Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	files.commit = plumbing.NewHash(old)
	lying := files.MarshalIndex()
	repo.Commit("third", map[string][]byte{"dir/a.yaml": []byte("a3")})
	head, err = Open(repo.Dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	want := Changes{Modified: []string{"dir/a.yaml"}}
	for name, saved := range map[string][]byte{"another commit's": staleIndex, "lying": lying} {
		idx := readIndex(t, saved)
		got, err := head.ChangedSince(context.Background(), old, idx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got, ignoreIndex); diff != "" {
			t.Errorf("%s: changes (-want +got):\n%s", name, diff)
		}
		if _, ok := idx.Patched(got); ok {
			t.Errorf("%s: an index not of the old commit was patched", name)
		}
	}
	damaged := append([]byte(nil), indexOf(t, repo.Dir)...)
	damaged[len(damaged)/2] ^= 1
	for name, b := range map[string][]byte{"empty": nil, "flipped bit": damaged, "version 1": {1, 0, 0, 0, 0, 0}} {
		if _, err := ReadIndex(b); err == nil {
			t.Errorf("%s index read", name)
		}
	}
}

// With the saved index of the old commit, the old commit's trees are not
// read from the clone: with them gone, the comparison still succeeds.
func TestChangedSinceReadsTheOldSideFromTheIndex(t *testing.T) {
	t.Parallel()
	repo := gittest.New(t)
	old := repo.Commit("first", map[string][]byte{"dir/deep/a.yaml": []byte("a"), "b.yaml": []byte("b")})
	saved := indexOf(t, repo.Dir)
	head, err := Open(repo.Dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	files, err := head.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var trees []string
	for _, dir := range []string{"", "dir", "dir/deep"} {
		trees = append(trees, files.dirs[dir].hash.String())
	}
	repo.Commit("second", map[string][]byte{"dir/deep/a.yaml": []byte("a2")})
	for _, h := range trees {
		if err := os.Remove(filepath.Join(repo.Dir, ".git", "objects", h[:2], h[2:])); err != nil {
			t.Fatal(err)
		}
	}
	head, err = Open(repo.Dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := head.ChangedSince(context.Background(), old, nil); err == nil {
		t.Fatal("the old trees are still in the clone")
	}
	got, err := head.ChangedSince(context.Background(), old, readIndex(t, saved))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Changes{Modified: []string{"dir/deep/a.yaml"}}, got, ignoreIndex); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// indexOf is the saved index a read of the whole tree of dir's head writes.
func indexOf(t *testing.T, dir string) []byte {
	t.Helper()
	head, err := Open(dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	files, err := head.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return files.MarshalIndex()
}

func readIndex(t *testing.T, b []byte) *TreeIndex {
	t.Helper()
	idx, err := ReadIndex(b)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}
