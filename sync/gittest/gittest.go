package gittest

import (
	"encoding/pem"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
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

// Bare makes a bare copy of r that accepts pushes, as a shared remote is,
// and returns its folder. It runs Debian's git.
func (r *Repo) Bare() string {
	r.t.Helper()
	dir := filepath.Join(r.t.TempDir(), "remote.git")
	for _, args := range [][]string{
		{"clone", "-q", "--bare", r.Dir, dir},
		{"-C", dir, "config", "http.receivepack", "true"},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			r.t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// HTTPBackend serves the repositories in root over smart HTTP with Debian's
// git http-backend on loopback, through handle (which may refuse a request
// before passing it on to next), and returns the base URL.
func HTTPBackend(t testing.TB, root string, handle func(w http.ResponseWriter, r *http.Request, next http.Handler)) string {
	t.Helper()
	srv := httptest.NewServer(backend(t, root, handle))
	t.Cleanup(srv.Close)
	return srv.URL
}

// HTTPSBackend is HTTPBackend over TLS on 127.0.0.1; it also returns the
// server's certificate as PEM, for a client to trust.
func HTTPSBackend(t testing.TB, root string, handle func(w http.ResponseWriter, r *http.Request, next http.Handler)) (url string, certPEM []byte) {
	t.Helper()
	srv := httptest.NewTLSServer(backend(t, root, handle))
	t.Cleanup(srv.Close)
	return srv.URL, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

func backend(t testing.TB, root string, handle func(w http.ResponseWriter, r *http.Request, next http.Handler)) http.Handler {
	t.Helper()
	const program = "/usr/lib/git-core/git-http-backend"
	if _, err := os.Stat(program); err != nil {
		t.Skipf("git http-backend not installed: %v", err)
	}
	next := &cgi.Handler{Path: program, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}}
	if handle == nil {
		handle = func(w http.ResponseWriter, r *http.Request, next http.Handler) { next.ServeHTTP(w, r) }
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handle(w, r, next) })
}

// Git runs Debian's git with args in dir and returns its output.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Remote Author", "GIT_AUTHOR_EMAIL=remote@callboard.invalid",
		"GIT_COMMITTER_NAME=Remote Author", "GIT_COMMITTER_EMAIL=remote@callboard.invalid")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// Shared is a repository a team shares: a bare repository served by git
// http-backend on loopback, whose network the test can cut, and a
// colleague's working copy of it that pushes.
type Shared struct {
	t    testing.TB
	Bare string
	URL  string
	work string
	// Offline, when set, makes the server answer every request with 502,
	// as a network that is down would leave the client without an answer.
	Offline atomic.Bool
}

// NewShared makes a shared repository whose first commit holds files.
func NewShared(t testing.TB, files map[string][]byte) *Shared {
	t.Helper()
	src := New(t)
	src.Commit("first", files)
	s := &Shared{t: t, Bare: src.Bare()}
	s.URL = HTTPBackend(t, filepath.Dir(s.Bare), func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if s.Offline.Load() {
			http.Error(w, "no route to host", http.StatusBadGateway)
			return
		}
		next.ServeHTTP(w, r)
	}) + "/" + filepath.Base(s.Bare)
	s.work = filepath.Join(t.TempDir(), "work")
	Git(t, filepath.Dir(s.work), "clone", "-q", s.Bare, s.work)
	return s
}

// File returns a file of the shared main branch.
func (s *Shared) File(name string) string {
	s.t.Helper()
	return Git(s.t, s.Bare, "show", "main:"+name)
}

// Colleague commits files in the working copy and pushes them.
func (s *Shared) Colleague(msg string, files map[string][]byte) {
	s.t.Helper()
	Git(s.t, s.work, "pull", "-q", "--ff-only")
	for name, data := range files {
		p := filepath.Join(s.work, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			s.t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			s.t.Fatal(err)
		}
	}
	Git(s.t, s.work, "add", "-A")
	Git(s.t, s.work, "commit", "-q", "-m", msg)
	Git(s.t, s.work, "push", "-q")
}

// Protect installs a pre-receive hook in the bare repository dir that
// refuses every push updating one of branches, as a forge refuses pushes
// to a protected branch (its message names the branch as protected).
func Protect(t testing.TB, dir string, branches ...string) {
	t.Helper()
	var refs []string
	for _, b := range branches {
		refs = append(refs, "refs/heads/"+b)
	}
	hook := `#!/bin/sh
while read old new ref; do
	for p in ` + strings.Join(refs, " ") + `; do
		if [ "$ref" = "$p" ]; then
			echo "GH006: Protected branch update failed for $ref." >&2
			echo "error: Changes must be made through a pull request." >&2
			exit 1
		fi
	done
done
exit 0
`
	p := filepath.Join(dir, "hooks", "pre-receive")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(hook), 0o755); err != nil {
		t.Fatal(err)
	}
}
