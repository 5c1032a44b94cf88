package gitinsights

import (
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// deleted, as a file's content in testRepo.commit, removes the file.
const deleted = "\x00deleted"

// testRepo is a repository in t.TempDir() built with go-git, each commit
// with the author and time the test gives, so hashes are stable.
type testRepo struct {
	t    *testing.T
	dir  string
	repo *git.Repository
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	return &testRepo{t: t, dir: dir, repo: r}
}

// commit writes files (path → content, or deleted) and commits them as
// author ("Name <email>") at when, returning the commit's hash.
func (r *testRepo) commit(author string, when time.Time, msg string, files map[string]string) string {
	r.t.Helper()
	wt, err := r.repo.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	for name, content := range files {
		if content == deleted {
			if _, err := wt.Remove(name); err != nil {
				r.t.Fatalf("remove %s: %v", name, err)
			}
			continue
		}
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			r.t.Fatalf("add %s: %v", name, err)
		}
	}
	name, email, _ := strings.Cut(strings.TrimSuffix(author, ">"), " <")
	sig := &object.Signature{Name: name, Email: email, When: when}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		r.t.Fatalf("commit: %v", err)
	}
	return h.String()
}

// bare clones the repository bare with go-git, as the app's sync does,
// and returns its folder. go-git's local transport runs git-upload-pack.
func (r *testRepo) bare() string {
	r.t.Helper()
	requireGit(r.t)
	dir := filepath.Join(r.t.TempDir(), "clone.git")
	if _, err := git.PlainClone(dir, true, &git.CloneOptions{URL: r.dir}); err != nil {
		r.t.Fatalf("bare clone: %v", err)
	}
	return dir
}

// requireGit returns the git executable, skipping the test without one.
func requireGit(t testing.TB) string {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not found")
	}
	return git
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// backend is one way of reading a repository.
type backend struct {
	name string
	// git is the git executable newPlugin gets.
	git  string
	open func(clone string) history
}

// backends are the ways the plugin reads repositories that this machine
// has: go-git always, the git executable when it is installed.
func backends(t *testing.T) []backend {
	bs := []backend{{name: "go-git", open: func(clone string) history { return newGoGit(clone) }}}
	if git, err := exec.LookPath("git"); err == nil {
		bs = append(bs, backend{name: "git", git: git, open: func(clone string) history { return newGitCLI(git, clone, "") }})
	} else {
		t.Log("git not found: testing go-git only")
	}
	return bs
}

// clones are the repository as a working tree and as a bare clone.
func clones(r *testRepo) map[string]string {
	m := map[string]string{"worktree": r.dir}
	if _, err := exec.LookPath("git"); err == nil {
		m["bare"] = r.bare()
	}
	return m
}

// view returns the view with id.
func view(t *testing.T, views []*pluginv1.View, id string) *pluginv1.View {
	t.Helper()
	for _, v := range views {
		if v.GetId() == id {
			return v
		}
	}
	t.Fatalf("no view %q", id)
	return nil
}

// tableOf returns the cells of the view's first table.
func tableOf(t *testing.T, v *pluginv1.View) [][]string {
	t.Helper()
	for _, b := range v.GetBlocks() {
		if tb := b.GetTable(); tb != nil {
			var rows [][]string
			for _, r := range tb.GetRows() {
				var cells []string
				for _, c := range r.GetCells() {
					cells = append(cells, c.GetText())
				}
				rows = append(rows, cells)
			}
			return rows
		}
	}
	t.Fatalf("view %q has no table", v.GetId())
	return nil
}

// noticeOf returns the text of the view's first notice, "" when none.
func noticeOf(v *pluginv1.View) string {
	for _, b := range v.GetBlocks() {
		if n := b.GetNotice(); n != nil {
			return n.GetText()
		}
	}
	return ""
}
