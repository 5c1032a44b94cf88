package syncer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// checkTreeIndex fails t unless location id's clone keeps the tree index
// of the stored commit, byte for byte the one a whole-tree read of that
// commit writes.
func checkTreeIndex(t *testing.T, s *Syncer, db *store.DB, id, step string) {
	t.Helper()
	loc, _, err := db.Location(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(s.clones, id)
	got, err := os.ReadFile(filepath.Join(clone, treeIndexFile))
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	head, err := gitfetch.Open(clone, "")
	if err != nil {
		t.Fatal(err)
	}
	head = head.At(plumbing.NewHash(loc.HeadCommit))
	files, err := head.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, files.MarshalIndex()) {
		idx, err := gitfetch.ReadIndex(got)
		if err == nil {
			t.Errorf("%s: the saved tree index (of %s) is not the whole tree's of the stored commit %s", step, idx.Commit(), loc.HeadCommit)
		} else {
			t.Errorf("%s: the saved tree index is unreadable: %v", step, err)
		}
	}
}

// Patch syncs keep the clone's tree index that of the stored commit: the
// index after each is the one a read of the whole tree writes, whether the
// sync patched (edits) or read the whole set (adds, deletes, moves).
func TestPatchKeepsTheTreeIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Commit("base", map[string][]byte{
		"catalog-info.yaml":                []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./components/*/catalog-info.yaml, ./systems/*/*/catalog-info.yaml]}\n"),
		"components/a/catalog-info.yaml":   component("a", "one"),
		"components/b/catalog-info.yaml":   component("b", "one"),
		"systems/x/deep/catalog-info.yaml": component("c", "one"),
		"docs/index.md":                    []byte("docs"),
	})
	s, db, _ := setup(t, repo.Dir)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	checkTreeIndex(t, s, db, "loc", "first sync")
	for _, step := range []struct {
		name    string
		change  map[string][]byte
		patched bool
	}{
		{"edit", map[string][]byte{"components/a/catalog-info.yaml": component("a", "two")}, true},
		{"edit nested", map[string][]byte{"systems/x/deep/catalog-info.yaml": component("c", "two")}, true},
		{"edit two folders", map[string][]byte{"components/b/catalog-info.yaml": component("b", "three"), "systems/x/deep/catalog-info.yaml": component("c", "three")}, true},
		{"edit not a catalog file", map[string][]byte{"docs/index.md": []byte("docs 2")}, true},
		{"add", map[string][]byte{"components/d/catalog-info.yaml": component("d", "one")}, false},
		{"edit the added", map[string][]byte{"components/d/catalog-info.yaml": component("d", "two")}, true},
		{"delete", map[string][]byte{"components/b/catalog-info.yaml": nil}, false},
		{"move between folders", map[string][]byte{"components/a/catalog-info.yaml": nil, "systems/y/a/catalog-info.yaml": component("a", "two")}, false},
		{"edit the moved", map[string][]byte{"systems/y/a/catalog-info.yaml": component("a", "four")}, true},
	} {
		repo.Commit(step.name, step.change)
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		v, _ := s.runs.Load("loc")
		if patched := v.(runStats).reused == 0; patched != step.patched {
			t.Errorf("%s: patched %v, want %v", step.name, patched, step.patched)
		}
		checkTreeIndex(t, s, db, "loc", step.name)
	}
}

// A missing, damaged or stale tree index costs the patch only reads from
// the clone: the store is what it would be with the index, and the next
// whole read writes the index again.
func TestPatchWithoutAGoodTreeIndex(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, path string, stale []byte)
	}{
		{"missing", func(t *testing.T, path string, _ []byte) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}},
		{"damaged", func(t *testing.T, path string, _ []byte) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 1
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"of another commit", func(t *testing.T, path string, stale []byte) {
			if err := os.WriteFile(path, stale, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			repo := gittest.New(t)
			repo.Commit("base", map[string][]byte{
				"catalog-info.yaml":              []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./components/*/catalog-info.yaml]}\n"),
				"components/a/catalog-info.yaml": component("a", "one"),
				"components/b/catalog-info.yaml": component("b", "one"),
			})
			s, db, _ := setup(t, repo.Dir)
			whole, wdb, _ := setup(t, repo.Dir)
			whole.wholeSet = true
			path := filepath.Join(s.clones, "loc", treeIndexFile)
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			stale, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			repo.Commit("edit", map[string][]byte{"components/a/catalog-info.yaml": component("a", "two")})
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			tc.spoil(t, path, stale)
			repo.Commit("edit again", map[string][]byte{"components/b/catalog-info.yaml": component("b", "two")})
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if v, _ := s.runs.Load("loc"); v.(runStats).reused != 0 {
				t.Error("the sync read the whole set; want a patch")
			}
			if err := whole.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(dump(t, wdb), dump(t, db)); diff != "" {
				t.Errorf("the patched store differs (-whole +patched):\n%s", diff)
			}
			repo.Commit("add", map[string][]byte{"components/c/catalog-info.yaml": component("c", "one")})
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			checkTreeIndex(t, s, db, "loc", "whole read after the patch")
		})
	}
}

func component(name, desc string) []byte {
	return []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: " + name + ", description: " + desc + "}\nspec: {type: service, lifecycle: production, owner: team}\n")
}
