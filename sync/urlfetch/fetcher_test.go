package urlfetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/remote"
)

// server is a loopback server the test can stop, in front of a handler;
// it records the Authorization header of each request.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
}

func serve(t *testing.T, h http.Handler) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) authorizations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

// templates is a repository org/templates served by git http-backend
// behind a server the test can stop, with a skeleton folder.
func templates(t *testing.T) (srv *server, work string, bare string) {
	t.Helper()
	src := gittest.New(t)
	src.Commit("first", map[string][]byte{
		"skeletons/go/main.go":      []byte("package main\n"),
		"skeletons/go/README.md":    []byte("# ${{ values.name }}\n"),
		"skeletons/web/index.html":  []byte("<h1>web</h1>\n"),
		"template.yaml":             []byte("kind: Template\n"),
		"skeletons/go/docs/note.md": []byte("note\n"),
	})
	root := t.TempDir()
	bare = filepath.Join(root, "org", "templates.git")
	gittest.Git(t, root, "clone", "-q", "--bare", src.Dir, bare)
	backend, err := url.Parse(gittest.HTTPBackend(t, root, nil))
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, httputil.NewSingleHostReverseProxy(backend)), src.Dir, bare
}

func newFetcher(t *testing.T, o Options) *Fetcher {
	t.Helper()
	o.Dir = t.TempDir()
	return New(o)
}

func readAll(t *testing.T, r Result) map[string]string {
	t.Helper()
	names, err := r.Files.List()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range names {
		rest, ok := strings.CutPrefix(n, r.Path+"/")
		if !ok {
			continue
		}
		data, err := r.Files.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[rest] = string(data)
	}
	return out
}

// A folder named by a tree URL: fetched shallowly online, fetched again
// when its branch moved, and from the kept copy, saying how old, once the
// server is stopped.
func TestFolderOnlineThenFromTheKeptCopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _, bare := templates(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	f := newFetcher(t, Options{Now: clock})
	tree := srv.URL + "/org/templates/tree/main/skeletons/go"

	if _, ok, err := f.Kept(ctx, tree, true); ok || err != nil {
		t.Fatalf("Kept before any fetch = %v, %v", ok, err)
	}
	first, err := f.Folder(ctx, tree)
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, first); len(got) != 3 || got["main.go"] != "package main\n" || got["docs/note.md"] != "note\n" {
		t.Errorf("files = %v", got)
	}
	if first.Stale != nil || !first.ReadAt.Equal(now) || first.Commit == "" {
		t.Errorf("first fetch: commit %q, readAt %v, stale %v", first.Commit, first.ReadAt, first.Stale)
	}
	if at, ok, err := f.Kept(ctx, tree, true); !ok || err != nil || !at.Equal(now) {
		t.Errorf("Kept after a fetch = %v, %v, %v", at, ok, err)
	}

	// The branch moves: the next fetch has the new commit, and only one
	// copy is kept.
	work := filepath.Join(t.TempDir(), "work")
	gittest.Git(t, filepath.Dir(work), "clone", "-q", bare, work)
	os.WriteFile(filepath.Join(work, "skeletons/go/main.go"), []byte("package main // v2\n"), 0o644)
	gittest.Git(t, work, "commit", "-qam", "v2")
	gittest.Git(t, work, "push", "-q")
	now = now.Add(time.Hour)
	second, err := f.Folder(ctx, tree)
	if err != nil {
		t.Fatal(err)
	}
	if second.Commit == first.Commit || readAll(t, second)["main.go"] != "package main // v2\n" {
		t.Errorf("after a push: commit %s (was %s), main.go %q", second.Commit, first.Commit, readAll(t, second)["main.go"])
	}
	copies, _ := filepath.Glob(filepath.Join(f.entry(srv.URL+"/org/templates.git", "main"), "*"))
	if len(copies) != 2 { // current.json and one copy
		t.Errorf("kept %v", copies)
	}

	// The server stops: the kept copy, with why and how old.
	srv.Close()
	now = now.Add(3 * time.Hour)
	third, err := f.Folder(ctx, tree)
	if err != nil {
		t.Fatal(err)
	}
	if third.Commit != second.Commit || third.Stale == nil || !third.ReadAt.Equal(second.ReadAt) || readAll(t, third)["main.go"] != "package main // v2\n" {
		t.Errorf("offline: commit %s, readAt %v, stale %v", third.Commit, third.ReadAt, third.Stale)
	}
	// Another folder of the same repository and ref is in the same copy.
	web, err := f.Folder(ctx, srv.URL+"/org/templates/tree/main/skeletons/web")
	if err != nil || readAll(t, web)["index.html"] != "<h1>web</h1>\n" {
		t.Errorf("another folder offline: %v, %v", readAll(t, web), err)
	}
	// Another ref was never fetched: nothing to fall back on.
	if _, err := f.Folder(ctx, srv.URL+"/org/templates/tree/v1/skeletons/go"); err == nil {
		t.Error("a ref never fetched was read offline")
	}
}

// A repository that is gone (the server says so) is not stood in for by
// the kept copy; a commit by id is never asked about again.
func TestFolderGoneAndFolderAtACommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, work, bare := templates(t)
	f := newFetcher(t, Options{})
	head := strings.TrimSpace(gittest.Git(t, work, "rev-parse", "HEAD"))
	if _, err := f.Folder(ctx, srv.URL+"/org/templates/tree/main/skeletons/go"); err != nil {
		t.Fatal(err)
	}
	pinned := srv.URL + "/org/templates/tree/" + head[:12] + "/skeletons/web"
	if r, err := f.Folder(ctx, pinned); err != nil || r.Commit != head {
		t.Fatalf("at a commit: %+v, %v", r, err)
	}
	if err := os.Rename(bare, bare+".gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Folder(ctx, srv.URL+"/org/templates/tree/main/skeletons/go"); err == nil {
		t.Error("a repository the server no longer has was read from the kept copy")
	}
	before := len(srv.authorizations())
	if r, err := f.Folder(ctx, pinned); err != nil || r.Stale != nil || r.Commit != head {
		t.Errorf("at a commit, again: %+v, %v", r, err)
	}
	if n := len(srv.authorizations()); n != before {
		t.Errorf("a folder at a commit was asked about again (%d requests)", n-before)
	}
}

// Tokens go only to their host; a host the user has not allowed is not
// asked at all.
func TestFolderCredentialsAndAllowedHosts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _, _ := templates(t)
	tree := srv.URL + "/org/templates/tree/main/skeletons/go"
	others := gitfetch.Credentials{Tokens: gitfetch.Tokens{All: "all-hosts", ByHost: map[string]string{"CALLBOARD_GIT_TOKEN_GITHUB_COM": "for-github"}}}
	if _, err := newFetcher(t, Options{Credentials: others}).Folder(ctx, tree); err != nil {
		t.Fatal(err)
	}
	for _, a := range srv.authorizations() {
		if a != "" {
			t.Fatalf("a token for other hosts was sent: %q", a)
		}
	}
	own := gitfetch.Credentials{Tokens: gitfetch.Tokens{ByHost: map[string]string{"CALLBOARD_GIT_TOKEN_127_0_0_1": "mine"}}}
	if _, err := newFetcher(t, Options{Credentials: own}).Folder(ctx, tree); err != nil {
		t.Fatal(err)
	}
	if got := srv.authorizations(); !strings.HasPrefix(got[len(got)-1], "Basic ") {
		t.Errorf("the host's own token was not sent: %q", got[len(got)-1])
	}

	before := len(srv.authorizations())
	refuse := newFetcher(t, Options{Allowed: func(context.Context, string) (bool, error) { return false, nil }, AllowHint: "add it in Settings"})
	_, err := refuse.Folder(ctx, tree)
	if !errors.Is(err, remote.ErrNotAllowed) || !strings.HasSuffix(err.Error(), "add it in Settings") {
		t.Errorf("a host not allowed: %v", err)
	}
	if n := len(srv.authorizations()); n != before {
		t.Errorf("a host not allowed was asked %d times", n-before)
	}
}

// URLs that name no repository's folder are refused with why.
func TestFolderBadURLs(t *testing.T) {
	t.Parallel()
	f := newFetcher(t, Options{})
	for _, u := range []string{
		"https://example.com/skeleton.zip",
		"https://gitlab.example/api/v4/projects/42/repository/files/skeleton%2Fa/raw?ref=main",
		"ftp://github.com/o/r/tree/main/x",
	} {
		if _, err := f.Folder(context.Background(), u); !errors.Is(err, remote.ErrBadURL) {
			t.Errorf("Folder(%s) = %v, want ErrBadURL", u, err)
		}
	}
}

// A file by URL, from a server answering as GitHub's raw endpoint: read,
// then confirmed unchanged, then from the kept copy once the server is
// stopped.
func TestFileOnlineThenFromTheKeptCopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	var seen []string
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Path+" "+r.Header.Get("If-None-Match"))
		mu.Unlock()
		if r.URL.Path != "/raw/org/templates/main/files/LICENSE" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("MIT\n"))
	}))
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	f := newFetcher(t, Options{Now: func() time.Time { return now }})
	blob := srv.URL + "/org/templates/blob/main/files/LICENSE"

	r, err := f.File(ctx, blob)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := r.Files.ReadFile(r.Path); string(data) != "MIT\n" || r.Path != "LICENSE" || r.Stale != nil {
		t.Errorf("first read: %q at %s, stale %v", data, r.Path, r.Stale)
	}
	now = now.Add(time.Hour)
	if r, err := f.File(ctx, blob); err != nil || !r.ReadAt.Equal(now) {
		t.Errorf("second read: %+v, %v", r, err)
	}
	if len(seen) != 2 || seen[1] != `/raw/org/templates/main/files/LICENSE "v1"` {
		t.Errorf("requests %q: the second should ask whether the file changed", seen)
	}
	srv.Close()
	readAt := now
	now = now.Add(3 * time.Hour)
	r, err = f.File(ctx, blob)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := r.Files.ReadFile(r.Path); string(data) != "MIT\n" || r.Stale == nil || !r.ReadAt.Equal(readAt) {
		t.Errorf("offline: %q, readAt %v, stale %v", data, r.ReadAt, r.Stale)
	}
	if at, ok, err := f.Kept(ctx, blob, false); !ok || err != nil || !at.Equal(readAt) {
		t.Errorf("Kept = %v, %v, %v", at, ok, err)
	}
	if _, err := f.File(ctx, srv.URL+"/org/templates/blob/main/files/OTHER"); err == nil {
		t.Error("a file never read was read offline")
	}
}
