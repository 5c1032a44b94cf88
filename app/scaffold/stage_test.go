package scaffold

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
	"github.com/google/go-cmp/cmp"
)

// stage commits a folder as go-git's add --all and commit did: the same
// root tree and the same index entries (path, blob, mode, size), or an
// error where go-git gave one. (A link to an absolute path is the one
// difference, tested below: go-git's osfs rewrote it.)
func TestStageAsGoGit(t *testing.T) {
	t.Parallel()
	type tree map[string]string // path: content; "->x" a link to x; "+x" executable
	tests := []struct {
		name    string
		files   tree
		wantErr bool
	}{
		{name: "flat and nested", files: tree{"README.md": "# x\n", "a/b/c.go": "package c\n", "a.b": "dot", "a-b/x": "dash", "ab": "ab"}},
		{name: "empty files, the same content twice, an empty folder", files: tree{"empty": "", "one/same": "same\n", "two/same": "same\n", "none/": ""}},
		{name: "executable", files: tree{"run.sh": "+#!/bin/sh\n", "lib/x.sh": "+exit 0\n"}},
		{name: "links", files: tree{"target.txt": "t", "in": "->target.txt", "dir/up": "->../target.txt", "dangling": "->nowhere"}},
		{name: "ignored", files: tree{
			".gitignore": "*.log\n# comment\n\nbuild/\n!keep.log\n/top.txt\n", "debug.log": "x", "keep.log": "kept", "top.txt": "x", "sub/top.txt": "kept",
			"build/out.o": "x", "sub/build/out.o": "x", "sub/.gitignore": "*.tmp\n", "sub/a.tmp": "x", "a.tmp": "kept",
			"build/.gitignore": "!*.o\n", "deep/er/.gitignore": "/local\n", "deep/er/local": "x", "deep/local": "kept",
		}},
		{name: "nested repository's .git left out", files: tree{"vendor/lib/.git/config": "x", "vendor/lib/main.go": "package lib\n"}},
		{name: "a disguised .git refused", files: tree{".GIT": "x"}, wantErr: true},
		{name: "git~1 refused", files: tree{"sub/GIT~1": "x"}, wantErr: true},
		{name: "nothing at all", files: tree{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for p, content := range tt.files {
				f := filepath.Join(dir, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				switch {
				case p[len(p)-1] == '/':
					if err := os.MkdirAll(f, 0o755); err != nil {
						t.Fatal(err)
					}
				case len(content) > 2 && content[:2] == "->":
					if err := os.Symlink(content[2:], f); err != nil {
						t.Fatal(err)
					}
				case len(content) > 0 && content[0] == '+':
					if err := os.WriteFile(f, []byte(content[1:]), 0o755); err != nil {
						t.Fatal(err)
					}
				default:
					if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			in := publishInput{branch: "main", message: "initial commit", name: "Ada <x>", email: "ada@example.com"}
			st, err := stage(context.Background(), dir, in)

			mem := memory.NewStorage()
			r, gerr := git.InitWithOptions(mem, osfs.New(dir), git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")})
			if gerr != nil {
				t.Fatal(gerr)
			}
			h, gerr := commitAll(context.Background(), r, in)
			if tt.wantErr {
				if err == nil || gerr == nil {
					t.Fatalf("stage: %v, go-git: %v; want errors from both", err, gerr)
				}
				return
			}
			if err != nil || gerr != nil {
				t.Fatalf("stage: %v, go-git: %v", err, gerr)
			}
			c, err := r.CommitObject(h)
			if err != nil {
				t.Fatal(err)
			}
			var commit object.Commit
			if err := commit.Decode(unpack(t, st, st.commit)); err != nil {
				t.Fatal(err)
			}
			if commit.TreeHash != c.TreeHash || commit.Author.Name != c.Author.Name || commit.Message != c.Message {
				t.Errorf("commit of tree %s by %q: %q; go-git's of %s by %q: %q", commit.TreeHash, commit.Author.Name, commit.Message, c.TreeHash, c.Author.Name, c.Message)
			}
			gidx, err := mem.Index()
			if err != nil {
				t.Fatal(err)
			}
			type entry struct {
				Name string
				Hash plumbing.Hash
				Mode string
				Size uint32
			}
			var got, want []entry
			for _, e := range st.index.Entries {
				got = append(got, entry{e.Name, e.Hash, e.Mode.String(), e.Size})
			}
			for _, e := range gidx.Entries {
				want = append(want, entry{e.Name, e.Hash, e.Mode.String(), e.Size})
			}
			byName := func(a, b entry) int { return strings.Compare(a.Name, b.Name) }
			slices.SortFunc(got, byName)
			slices.SortFunc(want, byName)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("index (-go-git +stage):\n%s", diff)
			}
		})
	}
}

// unpack reads the object h back from the pack entry stage made of it.
func unpack(t *testing.T, st staged, h plumbing.Hash) *plumbing.MemoryObject {
	t.Helper()
	for _, o := range st.objects {
		if o.hash != h {
			continue
		}
		i := 0
		for o.data[i]&0x80 != 0 {
			i++
		}
		z, err := zlib.NewReader(bytes.NewReader(o.data[i+1:]))
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(z)
		if err != nil {
			t.Fatal(err)
		}
		mem := &plumbing.MemoryObject{}
		mem.SetType(o.typ)
		mem.Write(content)
		if mem.Hash() != h {
			t.Fatalf("object %s unpacks to %s", h, mem.Hash())
		}
		return mem
	}
	t.Fatalf("no object %s", h)
	return nil
}

// A link to an absolute path is committed as git commits it, the path as
// written (go-git's osfs read it back as "/../../etc/hostname").
func TestStageAbsoluteLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	st, err := stage(context.Background(), dir, publishInput{message: "m", name: "a", email: "a@b"})
	if err != nil {
		t.Fatal(err)
	}
	e := st.index.Entries[0]
	if e.Name != "out" || e.Mode.String() != "0120000" || e.Hash != objectHash(plumbing.BlobObject, []byte("/etc/hostname")) {
		t.Errorf("entry %+v", e)
	}
	var blob bytes.Buffer
	r, _ := unpack(t, st, e.Hash).Reader()
	io.Copy(&blob, r)
	if blob.String() != "/etc/hostname" {
		t.Errorf("link committed as %q", blob.String())
	}
}
