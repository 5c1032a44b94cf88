package branchpush

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// forgeFront is a fake GitHub (its API and git http-backend) behind a
// proxy on loopback whose network the test can cut, recording every
// credential a request carried.
type forgeFront struct {
	forge   *forgetest.Server
	URL     string // the repository's clone URL through the proxy
	bare    string
	offline atomic.Bool
	mu      sync.Mutex
	seen    []string
}

func newForgeFront(t *testing.T) *forgeFront {
	t.Helper()
	org := &forgetest.Org{Login: "acme", Repos: []*forgetest.Repo{{ID: 1, Name: "svc", DefaultBranch: "main", Git: true,
		Files: map[string]string{"README.md": "svc\n"}}}}
	f := &forgeFront{forge: forgetest.NewGitHub(t, org)}
	target, err := url.Parse(f.forge.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.seen = append(f.seen, credentialOf(r))
		f.mu.Unlock()
		if f.offline.Load() {
			http.Error(w, "no route to host", http.StatusBadGateway)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL + "/acme/svc.git"
	f.bare = filepath.Join(f.forge.GitDir(), "acme", "svc.git")
	return f
}

// credentialOf is the secret a request's Authorization carries, basic
// or bearer.
func credentialOf(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if b, ok := strings.CutPrefix(h, "Basic "); ok {
		raw, _ := base64.StdEncoding.DecodeString(b)
		_, pw, _ := strings.Cut(string(raw), ":")
		return pw
	}
	return strings.TrimPrefix(h, "Bearer ")
}

// pusher is the Pusher of credentials holding the proxy host's
// token, another host's, and an all-hosts token for no trusted host.
func (f *forgeFront) pusher() Pusher {
	creds := gitfetch.Credentials{Tokens: gitfetch.Tokens{All: "all-hosts-secret", ByHost: map[string]string{
		"CALLBOARD_GIT_TOKEN_127_0_0_1": f.forge.Token,
		"CALLBOARD_GIT_TOKEN_LOCALHOST": "other-host-secret",
	}}}
	return New(creds, discover.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxRetries: 1})
}

// checkout clones the repository as the user's project and commits a
// file on a new branch made from main.
func (f *forgeFront) checkout(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "project")
	gittest.Git(t, filepath.Dir(dir), "clone", "-q", f.URL, dir)
	return dir
}

func commitOnBranch(t *testing.T, dir, branch, file, content string) string {
	t.Helper()
	gittest.Git(t, dir, "checkout", "-q", "-B", branch, "origin/main")
	if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "update "+file)
	return strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD"))
}

func TestBranchPushOpensOnePullRequest(t *testing.T) {
	t.Parallel()
	f := newForgeFront(t)
	dir := f.checkout(t)
	commit := commitOnBranch(t, dir, "callboard/template-update/aaaa1111", "ci.yaml", "steps: [lint]\n")
	push := Request{Dir: dir, Branch: "callboard/template-update/aaaa1111", RemoteBranch: "callboard/template-update/svc",
		PullRequest: &PullRequest{Title: "Update from template svc (aaaa1111)", Body: "- add lint", Forge: "github"}}
	ctx := context.Background()
	for range 2 { // the second finds the pull request open
		got, err := f.pusher().Push(ctx, push)
		if err != nil {
			t.Fatal(err)
		}
		if got.Commit != commit || got.PR == nil || got.PR.Number != 1 || got.PR.URL == "" {
			t.Fatalf("Push = %+v, want %s and pull request 1", got, commit)
		}
	}
	if head := strings.TrimSpace(gittest.Git(t, f.bare, "rev-parse", "callboard/template-update/svc")); head != commit {
		t.Errorf("remote branch = %s, want %s", head, commit)
	}
	prs := f.forge.PullRequests()
	if len(prs) != 1 || prs[0].Head != "callboard/template-update/svc" || prs[0].Base != "main" || prs[0].Title != push.PullRequest.Title || prs[0].Body != "- add lint" {
		t.Errorf("pull requests = %+v", prs)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.seen {
		if c == "other-host-secret" || c == "all-hosts-secret" {
			t.Errorf("a request to 127.0.0.1 carried %q, another host's credential", c)
		}
	}
}

func TestBranchPushOfflineLandsOnTheNextTry(t *testing.T) {
	t.Parallel()
	f := newForgeFront(t)
	dir := f.checkout(t)
	commit := commitOnBranch(t, dir, "update", "ci.yaml", "steps: [lint]\n")
	push := Request{Dir: dir, Branch: "update"}
	f.offline.Store(true)
	_, err := f.pusher().Push(context.Background(), push)
	if !errors.Is(err, ErrOffline) || Cause(err) != "offline" {
		t.Fatalf("Push offline = %v, want ErrOffline", err)
	}
	f.offline.Store(false)
	got, err := f.pusher().Push(context.Background(), push)
	if err != nil || got.Commit != commit || got.PR != nil {
		t.Fatalf("Push back online = %+v, %v", got, err)
	}
	if head := strings.TrimSpace(gittest.Git(t, f.bare, "rev-parse", "update")); head != commit {
		t.Errorf("remote branch = %s, want %s", head, commit)
	}
}

// A newer update replaces the branch Callboard pushed, but never one
// someone else pushed to since.
func TestBranchPushLease(t *testing.T) {
	t.Parallel()
	f := newForgeFront(t)
	dir := f.checkout(t)
	ctx := context.Background()
	first := commitOnBranch(t, dir, "callboard/template-update/aaaa1111", "ci.yaml", "v1\n")
	got, err := f.pusher().Push(ctx, Request{Dir: dir, Branch: "callboard/template-update/aaaa1111", RemoteBranch: "up"})
	if err != nil || got.Commit != first {
		t.Fatalf("first push = %+v, %v", got, err)
	}
	second := commitOnBranch(t, dir, "callboard/template-update/bbbb2222", "ci.yaml", "v2\n")
	newer := Request{Dir: dir, Branch: "callboard/template-update/bbbb2222", RemoteBranch: "up"}
	gittest.Git(t, dir, "update-ref", "-d", "refs/remotes/origin/up") // no remote-tracking branch to lease from
	if _, err := f.pusher().Push(ctx, newer); !errors.Is(err, ErrMoved) {
		t.Fatalf("replacing without a lease = %v, want ErrMoved", err)
	}
	newer.Lease = first
	if got, err := f.pusher().Push(ctx, newer); err != nil || got.Commit != second {
		t.Fatalf("replacing under the lease = %+v, %v", got, err)
	}
	if tracked := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "origin/up")); tracked != second {
		t.Errorf("origin/up after the push = %s, want %s", tracked, second)
	}
	if head := strings.TrimSpace(gittest.Git(t, f.bare, "rev-parse", "up")); head != second {
		t.Errorf("remote branch = %s, want %s", head, second)
	}
	// A reviewer pushes a commit of their own: the lease no longer holds.
	tree := strings.TrimSpace(gittest.Git(t, f.bare, "rev-parse", "up^{tree}"))
	theirs := strings.TrimSpace(gittest.Git(t, f.bare, "commit-tree", tree, "-p", "up", "-m", "reviewer's fix"))
	gittest.Git(t, f.bare, "update-ref", "refs/heads/up", theirs)
	third := commitOnBranch(t, dir, "callboard/template-update/cccc3333", "ci.yaml", "v3\n")
	for _, lease := range []string{second, ""} { // "": the remote-tracking branch, as the push left it
		_, err = f.pusher().Push(ctx, Request{Dir: dir, Branch: "callboard/template-update/cccc3333", RemoteBranch: "up", Lease: lease})
		if !errors.Is(err, ErrMoved) || Cause(err) != "nonFastForward" {
			t.Fatalf("replacing a moved branch under lease %q = %v, want ErrMoved", lease, err)
		}
	}
	if head := strings.TrimSpace(gittest.Git(t, f.bare, "rev-parse", "up")); head != theirs {
		t.Errorf("the moved branch is %s, want the reviewer's %s (not %s)", head, theirs, third)
	}
	// Once fetched, the reviewer's commit is the lease, as with git.
	gittest.Git(t, dir, "fetch", "-q", "origin")
	got, err = f.pusher().Push(ctx, Request{Dir: dir, Branch: "callboard/template-update/cccc3333", RemoteBranch: "up"})
	if err != nil || got.Commit != third {
		t.Errorf("replacing a fetched branch = %+v, %v", got, err)
	}
}

func TestBranchPushWithoutOrigin(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Commit("first", map[string][]byte{"a": []byte("a\n")})
	_, err := Pusher{}.Push(context.Background(), Request{Dir: r.Dir, Branch: "main"})
	if !errors.Is(err, ErrNoOrigin) {
		t.Errorf("Push without origin = %v, want ErrNoOrigin", err)
	}
}

// A pull request opened from a pushed branch is read again as the forge
// has it: open, then merged; another closed unmerged.
func TestBranchPullRequestState(t *testing.T) {
	t.Parallel()
	f := newForgeFront(t)
	dir := f.checkout(t)
	ctx := context.Background()
	for i, branch := range []string{"callboard/template-update/a", "callboard/template-update/b"} {
		commitOnBranch(t, dir, branch, "ci.yaml", branch+"\n")
		got, err := f.pusher().Push(ctx, Request{Dir: dir, Branch: branch, PullRequest: &PullRequest{Title: branch, Forge: "github"}})
		if err != nil || got.PR == nil || got.PR.Number != i+1 {
			t.Fatalf("Push %s = %+v, %v", branch, got, err)
		}
	}
	state := func(number int) string {
		t.Helper()
		pr, err := f.pusher().PullRequest(ctx, dir, "github", number)
		if err != nil {
			t.Fatalf("PullRequest #%d: %v", number, err)
		}
		return pr.State
	}
	if s := state(1); s != discover.PROpen {
		t.Errorf("an open pull request reads %q", s)
	}
	f.forge.Merge(t, 1)
	f.forge.SetPullRequest(2, func(p *forgetest.PullRequest) { p.State = "closed" })
	if s1, s2 := state(1), state(2); s1 != discover.PRMerged || s2 != discover.PRClosed {
		t.Errorf("merged and closed read %q and %q", s1, s2)
	}
	f.offline.Store(true)
	if _, err := f.pusher().PullRequest(ctx, dir, "github", 1); !errors.Is(err, ErrOffline) {
		t.Errorf("offline: %v, want ErrOffline", err)
	}
	if _, err := f.pusher().PullRequest(ctx, t.TempDir(), "github", 1); err == nil {
		t.Error("a folder in no checkout read a pull request")
	}
}
