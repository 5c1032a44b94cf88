package syncer

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/remote"
)

// specServer answers as a GitHub Enterprise raw endpoint does
// (/raw/owner/repo/ref/path, with an ETag answering If-None-Match with
// 304) on a fixed loopback port, and can be stopped and started again.
type specServer struct {
	t    testing.TB
	addr string

	mu    sync.Mutex
	files map[string]string // path after /raw/
	log   []string          // "GET path" or "304 path"
	srv   *httptest.Server
}

func newSpecServer(t testing.TB, files map[string]string) *specServer {
	t.Helper()
	s := &specServer{t: t, files: files}
	s.start()
	s.addr = s.srv.Listener.Addr().String()
	t.Cleanup(s.stop)
	return s
}

func (s *specServer) start() {
	s.t.Helper()
	addr := s.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	srv.Listener.Close()
	srv.Listener = ln
	srv.StartTLS()
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
}

func (s *specServer) stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// transport trusts the server (httptest's certificate is the same for
// every server).
func (s *specServer) transport() *http.Transport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv.Client().Transport.(*http.Transport).Clone()
}

func (s *specServer) url(path string) string {
	return "https://" + s.addr + "/o/specs/blob/main/" + path
}

func (s *specServer) set(path, content string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = content
}

func (s *specServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.log
	s.log = nil
	return out
}

func (s *specServer) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/raw/o/specs/main/")
	s.mu.Lock()
	content, ok := s.files[path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(content)))
	w.Header().Set("ETag", etag)
	verb := "GET"
	if r.Header.Get("If-None-Match") == etag {
		verb = "304"
	}
	s.mu.Lock()
	s.log = append(s.log, verb+" "+path)
	s.mu.Unlock()
	if verb == "304" {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	io.WriteString(w, content)
}

func apiEntity(name, definition string) string {
	return "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: " + name + "}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition: " + definition + "\n"
}

// remoteSetup is setup over a store on disk, with the reader trusting srv,
// srv's host allowed, and a clock the test moves.
func remoteSetup(t testing.TB, url string, srv *specServer, now *time.Time) (*Syncer, *store.DB) {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PutLocation(ctx, store.Location{ID: "loc", URL: url, Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	s := New(db, filepath.Join(t.TempDir(), "clones"), gitfetch.Credentials{}, &recorder{}, quiet, nil)
	s.now = func() time.Time { return *now }
	if srv != nil {
		if err := db.UpdateSettings(ctx, func(st *store.Settings) error {
			st.RemoteReadHosts = []string{srv.addr}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		s.SetRemote(remote.Options{Transport: srv.transport(), Now: func() time.Time { return *now }})
	}
	return s, db
}

func TestRemotePlaceholdersOnlineAndOffline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := newSpecServer(t, map[string]string{"a.yaml": "openapi: 3.0.0\n", "b.json": `{"openapi":"3.1.0"}`})
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte(
		apiEntity("a", "{$text: "+srv.url("a.yaml")+"}") + apiEntity("b", "{$text: "+srv.url("b.json")+"}") +
			apiEntity("c", "{$text: "+srv.url("a.yaml")+"}"))})
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s, db := remoteSetup(t, repo.Dir, srv, &now)
	definition := func(ref string) (string, store.Entity) {
		t.Helper()
		e, ok, err := db.Entity(ctx, ref)
		if err != nil || !ok {
			t.Fatalf("%s: %v, %v", ref, ok, err)
		}
		d, _ := e.Entity.Spec["definition"].(string)
		return d, e
	}

	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := srv.requests(); strings.Join(got, ",") != "GET a.yaml,GET b.json" && strings.Join(got, ",") != "GET b.json,GET a.yaml" {
		t.Errorf("first sync asked %v, want each file once", got)
	}
	d, e := definition("api:default/a")
	if d != "openapi: 3.0.0\n" || e.Remote == nil || !e.Remote.ReadAt.Equal(now) || e.Remote.Stale != "" {
		t.Fatalf("after the first sync: %q, %+v", d, e.Remote)
	}

	// An idle sync asks whether the files changed, and nothing else.
	now = now.Add(time.Hour)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := srv.requests(); len(got) != 2 || !strings.HasPrefix(got[0], "304") || !strings.HasPrefix(got[1], "304") {
		t.Errorf("idle sync asked %v, want two conditional requests", got)
	}
	// The entities found unchanged are left as stored; the kept files
	// say when they were confirmed.
	confirmed := now
	if _, e := definition("api:default/b"); !e.Remote.ReadAt.Equal(confirmed.Add(-time.Hour)) {
		t.Errorf("after an idle sync, the entity says read at %v, want %v as stored", e.Remote.ReadAt, confirmed.Add(-time.Hour))
	}
	if at, ok, err := db.RemoteReadAt(ctx, []string{srv.url("a.yaml"), srv.url("b.json")}); err != nil || !ok || !at.Equal(confirmed) {
		t.Errorf("after an idle sync, the kept files say read at %v (%v, %v), want %v", at, ok, err, confirmed)
	}

	// Offline: every entity is still there, from the cache, and says so.
	srv.stop()
	now = now.Add(3 * time.Hour)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"api:default/a", "api:default/b", "api:default/c"} {
		d, e := definition(ref)
		if d == "" || e.Remote == nil || e.Remote.Stale == "" || !e.Remote.ReadAt.Equal(confirmed) || len(e.Errors) > 0 {
			t.Errorf("offline, %s = %q, %+v, errors %v", ref, d, e.Remote, e.Errors)
		}
	}
	if _, e := definition("api:default/a"); !strings.Contains(e.Remote.Stale, "cannot be reached") {
		t.Errorf("offline, the cause is %q", e.Remote.Stale)
	}

	// Back online: the new version is read, and the warning is gone.
	srv.set("a.yaml", "openapi: 3.1.0\n")
	srv.start()
	now = now.Add(time.Minute)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if d, e := definition("api:default/c"); d != "openapi: 3.1.0\n" || e.Remote.Stale != "" || !e.Remote.ReadAt.Equal(now) {
		t.Errorf("back online: %q, %+v", d, e.Remote)
	}
}

func TestRemotePlaceholderErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := newSpecServer(t, map[string]string{"a.yaml": "openapi: 3.0.0\n"})
	other := newSpecServer(t, map[string]string{"a.yaml": "openapi: 3.0.0\n"})
	repo := gittest.New(t)
	repo.Commit("first", map[string][]byte{"catalog-info.yaml": []byte(
		apiEntity("missing", "{$text: "+srv.url("gone.yaml")+"}") +
			apiEntity("elsewhere", "{$text: "+other.url("a.yaml")+"}") +
			"---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: offline}\nspec:\n  lifecycle: production\n  definition: {$text: https://127.0.0.1:1/o/r/blob/main/x.yaml}\n")})
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s, db := remoteSetup(t, repo.Dir, srv, &now)
	if err := db.UpdateSettings(ctx, func(st *store.Settings) error {
		st.RemoteReadHosts = append(st.RemoteReadHosts, "127.0.0.1:1")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	loc, _, _ := db.Location(ctx, "loc")
	var msgs []string
	for _, e := range loc.Errors {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"placeholder $text cannot read " + srv.url("gone.yaml") + ": the server answered 404 Not Found",
		"placeholder $text cannot read " + other.url("a.yaml") + ": " + other.addr + " is not a host Callboard reads files from: add it under Remote read hosts in Settings",
		"placeholder $text cannot read https://127.0.0.1:1/o/r/blob/main/x.yaml: 127.0.0.1:1 cannot be reached",
		"spec.type: is required", "spec.owner: is required",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("errors do not say %q:\n%s", want, all)
		}
	}
	if len(other.requests()) != 0 {
		t.Error("a host the user did not allow was asked")
	}
}

// A URL into the location's own repository, at the branch synced, is read
// from the clone at the synced commit: nothing is asked of the server.
func TestRemotePlaceholderIntoTheSameRepository(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := gittest.New(t)
	src.Commit("first", map[string][]byte{"catalog-info.yaml": []byte("placeholder"), "api/spec.yaml": []byte("openapi: 3.0.0\n")})
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "org"), 0o755); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(root, "org", "repo.git")
	gittest.Git(t, root, "clone", "-q", "--bare", src.Dir, bare)
	gittest.Git(t, bare, "config", "http.receivepack", "true")
	var mu sync.Mutex
	var paths []string
	base := gittest.HTTPBackend(t, root, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		next.ServeHTTP(w, r)
	})
	work := filepath.Join(t.TempDir(), "work")
	gittest.Git(t, filepath.Dir(work), "clone", "-q", base+"/org/repo.git", work)
	catalogFile := apiEntity("same", "{$text: "+base+"/org/repo/blob/main/api/spec.yaml}")
	if err := os.WriteFile(filepath.Join(work, "catalog-info.yaml"), []byte(catalogFile), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, work, "commit", "-qam", "point at the spec by URL")
	gittest.Git(t, work, "push", "-q")

	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s, db := remoteSetup(t, base+"/org/repo.git", nil, &now)
	mu.Lock()
	paths = nil
	mu.Unlock()
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	e, ok, err := db.Entity(ctx, "api:default/same")
	if err != nil || !ok || e.Entity.Spec["definition"] != "openapi: 3.0.0\n" || e.Remote != nil {
		t.Fatalf("entity = %+v, %v, %v", e, ok, err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range paths {
		if strings.Contains(p, "/blob/") || strings.Contains(p, "/raw/") {
			t.Errorf("the server was asked for %s", p)
		}
	}
}
