package gittest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Repo is a non-bare repository in a temp dir with branch main.
type Repo struct {
	t    testing.TB
	Dir  string
	repo *git.Repository
	tick int
}

// New creates an empty repository in a fresh temp dir.
func New(t testing.TB) *Repo {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatalf("init repo: %v", err)
	}
	return &Repo{t: t, Dir: dir, repo: r}
}

// Commit writes files (path → contents; nil contents deletes the file) and
// commits them, returning the commit hash.
func (r *Repo) Commit(msg string, files map[string][]byte) string {
	r.t.Helper()
	wt, err := r.repo.Worktree()
	if err != nil {
		r.t.Fatalf("worktree: %v", err)
	}
	for name, data := range files {
		p := filepath.Join(r.Dir, filepath.FromSlash(name))
		if data == nil {
			if _, err := wt.Remove(name); err != nil {
				r.t.Fatalf("remove %s: %v", name, err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			r.t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			r.t.Fatalf("add %s: %v", name, err)
		}
	}
	r.tick++
	when := time.Date(2026, 1, 1, 12, 0, r.tick, 0, time.UTC)
	sig := &object.Signature{Name: "Test Author", Email: "test@callboard.invalid", When: when}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		r.t.Fatalf("commit: %v", err)
	}
	return h.String()
}

// Symlink stages a symbolic link at name pointing at target; the next
// Commit records it.
func (r *Repo) Symlink(name, target string) {
	r.t.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		r.t.Fatal(err)
	}
	wt, err := r.repo.Worktree()
	if err != nil {
		r.t.Fatalf("worktree: %v", err)
	}
	if _, err := wt.Add(name); err != nil {
		r.t.Fatalf("add %s: %v", name, err)
	}
}
