package syncer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// forge serves bare repositories root/org/<name>.git with Debian's git
// http-backend on a fixed loopback port, and can be stopped and started
// again as a server that goes away and comes back.
type forge struct {
	t    testing.TB
	root string
	addr string

	// handler serves the repositories: git http-backend, or for the
	// benchmark the in-process upload-pack of goGitBackend.
	handler http.Handler

	mu      sync.Mutex
	srv     *httptest.Server
	sources map[string]*gittest.Repo // by repository name: where its commits are made
}

func newForge(t testing.TB) *forge {
	t.Helper()
	const program = "/usr/lib/git-core/git-http-backend"
	if _, err := os.Stat(program); err != nil {
		t.Skipf("git http-backend not installed: %v", err)
	}
	f := &forge{t: t, root: t.TempDir(), sources: map[string]*gittest.Repo{}}
	if err := os.MkdirAll(filepath.Join(f.root, "org"), 0o755); err != nil {
		t.Fatal(err)
	}
	f.handler = &cgi.Handler{Path: program, Env: []string{"GIT_PROJECT_ROOT=" + f.root, "GIT_HTTP_EXPORT_ALL=1"}}
	f.start()
	t.Cleanup(f.stop)
	return f
}

func (f *forge) start() {
	f.t.Helper()
	addr := f.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		f.t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.handler.ServeHTTP(w, r) }))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	f.mu.Lock()
	f.srv, f.addr = srv, ln.Addr().String()
	f.mu.Unlock()
}

func (f *forge) stop() {
	f.mu.Lock()
	srv := f.srv
	f.srv = nil
	f.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// repo makes repository name with files in its first commit.
func (f *forge) repo(name string, files map[string]string) {
	f.t.Helper()
	src := gittest.New(f.t)
	src.Commit("first", bytesOf(files))
	gittest.Git(f.t, f.root, "clone", "-q", "--bare", src.Dir, f.bare(name))
	f.sources[name] = src
}

// commit changes files of repository name and pushes.
func (f *forge) commit(name string, files map[string]string) {
	f.t.Helper()
	src := f.sources[name]
	src.Commit("change", bytesOf(files))
	gittest.Git(f.t, src.Dir, "push", "-q", "--force", f.bare(name), "main")
}

func (f *forge) bare(name string) string { return filepath.Join(f.root, "org", name+".git") }

// clone is the URL git clones repository name from.
func (f *forge) clone(name string) string { return "http://" + f.addr + "/org/" + name + ".git" }

// url is the address of a file of repository name, as a forge shows it.
func (f *forge) url(name, file string) string {
	return "http://" + f.addr + "/org/" + name + "/blob/main/" + file
}

func bytesOf(files map[string]string) map[string][]byte {
	out := make(map[string][]byte, len(files))
	for name, content := range files {
		out[name] = []byte(content)
	}
	return out
}

func locationOf(name string, targets ...string) string {
	return fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: %s}\nspec:\n  targets:\n    - %s\n", name, strings.Join(targets, "\n    - "))
}

func componentOf(name string) string {
	return fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %s}\nspec: {type: service, lifecycle: production, owner: team}\n", name)
}

// derivedSetup is a syncer over a store on disk with one location, root,
// on the forge's repository root; every host is trusted.
func derivedSetup(t testing.TB, f *forge) (*Syncer, *store.DB, string) {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PutLocation(ctx, store.Location{ID: "root", URL: f.clone("root"), Branch: "main", Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	clones := filepath.Join(t.TempDir(), "clones")
	trusted := func(context.Context, string) (bool, error) { return true, nil }
	return New(db, clones, gitfetch.Credentials{Trusted: trusted}, &recorder{}, quiet, nil), db, clones
}

// where says where each entity is: "ref location file", sorted.
func where(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	if err := db.Entities(context.Background(), func(e store.Entity) bool {
		out = append(out, e.Entity.Ref().String()+" "+e.LocationID+" "+e.Source.File)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestDerivedLocations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newForge(t)
	f.repo("svc", map[string]string{
		"catalog-info.yaml": componentOf("svc") + "---\n" + locationOf("svc-more", "./more/*.yaml"),
		"more/a.yaml":       componentOf("svc-a"),
		"api/b.yaml":        componentOf("svc-b"),
	})
	f.repo("web", map[string]string{"catalog-info.yaml": componentOf("web")})
	f.repo("root", map[string]string{"catalog-info.yaml": locationOf("org",
		f.url("svc", "catalog-info.yaml"), f.url("svc", "api/b.yaml"), f.url("web", "catalog-info.yaml"), "teams.yaml"),
		"teams.yaml": componentOf("root-c"),
	})
	s, db, clones := derivedSetup(t, f)
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}

	// Two targets into svc share one clone; both files are its roots.
	want := []string{
		"component:default/root-c root teams.yaml",
		"component:default/svc svc catalog-info.yaml",
		"component:default/svc-a svc more/a.yaml",
		"component:default/svc-b svc api/b.yaml",
		"component:default/web web catalog-info.yaml",
		"location:default/org root catalog-info.yaml",
		"location:default/svc-more svc catalog-info.yaml",
	}
	if diff := cmp.Diff(want, where(t, db)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	svc, _, _ := db.Location(ctx, "svc")
	if !svc.Derived || svc.URL != f.clone("svc") || svc.Branch != "main" || !slices.Equal(svc.Roots(), []string{"api/b.yaml", "catalog-info.yaml"}) ||
		!slices.Equal(svc.ListedBy(), []string{"root"}) || svc.LastError != "" {
		t.Errorf("svc = %+v", svc)
	}
	e, _, _ := db.Entity(ctx, "component:default/svc-a")
	if got := e.Entity.Metadata.Annotations[catalog.AnnotationLocation]; got != "url:"+f.url("svc", "more/a.yaml") {
		t.Errorf("svc-a is managed by %s", got)
	}
	if _, exists, _, err := s.ReadFile(ctx, "svc", "more/a.yaml"); err != nil || !exists {
		t.Errorf("svc's clone has no more/a.yaml: %v, %v", exists, err)
	}
	if versions, err := s.History(ctx, "svc", "more/a.yaml", "component:default/svc-a", 10); err != nil || len(versions.Versions) != 1 {
		t.Errorf("history of svc-a = %v, %v", versions, err)
	}

	// A target goes: its location goes, with its entities and clone. A
	// new one comes.
	f.repo("lib", map[string]string{"catalog-info.yaml": componentOf("lib")})
	f.commit("root", map[string]string{"catalog-info.yaml": locationOf("org",
		f.url("svc", "catalog-info.yaml"), f.url("svc", "api/b.yaml"), f.url("lib", "catalog-info.yaml"), "teams.yaml")})
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	got := where(t, db)
	if slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, " web ") }) || !slices.Contains(got, "component:default/lib lib catalog-info.yaml") {
		t.Errorf("after web's target went and lib's came: %v", got)
	}
	if _, ok, _ := db.Location(ctx, "web"); ok {
		t.Error("web is still a location")
	}
	if _, err := os.Stat(filepath.Join(clones, "web")); !os.IsNotExist(err) {
		t.Errorf("web's clone is still there: %v", err)
	}

	// svc's catalog file moves within svc: the sync that follows reads
	// the new root though svc's branch did not move since.
	f.commit("svc", map[string]string{"moved.yaml": componentOf("svc-moved")})
	if err := s.SyncTree(ctx, "svc"); err != nil {
		t.Fatal(err)
	}
	f.commit("root", map[string]string{"catalog-info.yaml": locationOf("org",
		f.url("svc", "catalog-info.yaml"), f.url("svc", "moved.yaml"), f.url("lib", "catalog-info.yaml"), "teams.yaml")})
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	if got := where(t, db); !slices.Contains(got, "component:default/svc-moved svc moved.yaml") || slices.Contains(got, "component:default/svc-b svc api/b.yaml") {
		t.Errorf("after svc's roots changed: %v", got)
	}
}

// A repository that lists one of the locations it is read for is not
// followed: the reason is on the location whose target it is.
func TestDerivedLoopIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newForge(t)
	f.repo("b", map[string]string{"catalog-info.yaml": componentOf("b") + "---\n" + locationOf("back", f.url("root", "catalog-info.yaml"))})
	f.repo("root", map[string]string{"catalog-info.yaml": locationOf("org", f.url("b", "catalog-info.yaml"))})
	s, db, _ := derivedSetup(t, f)
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	locs, err := db.Locations(ctx)
	if err != nil || len(locs) != 2 {
		t.Fatalf("locations %v, %v; want root and b", locs, err)
	}
	b, _, _ := db.Location(ctx, "b")
	if len(b.Refused) != 1 || !strings.Contains(b.Refused[0].Message, "location root, which this location is read for (root → b → root), so it would loop") ||
		b.Refused[0].Field != "spec.targets.0" || b.Refused[0].Line != 11 || !strings.Contains(b.Refused[0].Message, "target "+f.url("root", "catalog-info.yaml")+" is not followed") {
		t.Errorf("b refused %+v", b.Refused)
	}
	if !slices.ContainsFunc(b.Errors, func(e catalog.Error) bool { return strings.Contains(e.Message, "would loop") }) {
		t.Errorf("b's processing errors do not say why: %v", b.Errors)
	}
	if got := where(t, db); !slices.Contains(got, "component:default/b b catalog-info.yaml") {
		t.Errorf("entities %v", got)
	}
}

// Offline, every derived location keeps its entities and says it is
// stale; back online, they are read again.
func TestDerivedLocationsOffline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newForge(t)
	f.repo("svc", map[string]string{"catalog-info.yaml": componentOf("svc")})
	f.repo("root", map[string]string{"catalog-info.yaml": locationOf("org", f.url("svc", "catalog-info.yaml"))})
	s, db, _ := derivedSetup(t, f)
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	before := where(t, db)

	f.stop()
	if err := s.SyncTree(ctx, "root"); err == nil {
		t.Error("a sync with the server down succeeded")
	}
	if diff := cmp.Diff(before, where(t, db)); diff != "" {
		t.Errorf("offline, entities changed (-before +after):\n%s", diff)
	}
	for _, id := range []string{"root", "svc"} {
		l, _, _ := db.Location(ctx, id)
		if l.StaleSince.IsZero() || l.LastError == "" || l.Entities == 0 {
			t.Errorf("offline, %s = %+v; want stale, with its entities", id, l)
		}
	}
	// svc is on root's host, which did not answer: it was not asked again.
	if svc, _, _ := db.Location(ctx, "svc"); !strings.Contains(svc.LastError, f.addr+" did not answer earlier in this sync, so it was not asked again") {
		t.Errorf("offline, svc's error: %s", svc.LastError)
	}

	f.start()
	f.commit("svc", map[string]string{"catalog-info.yaml": componentOf("svc-renamed")})
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	if got := where(t, db); !slices.Contains(got, "component:default/svc-renamed svc catalog-info.yaml") {
		t.Errorf("back online: %v", got)
	}
	for _, id := range []string{"root", "svc"} {
		if l, _, _ := db.Location(ctx, id); !l.StaleSince.IsZero() || l.LastError != "" {
			t.Errorf("back online, %s = %+v", id, l)
		}
	}
}

// A target that is a plain file on a web server is read like a
// placeholder: kept, and used from the store while the server is down.
func TestPlainFileTarget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	files := map[string]string{"/catalog/teams.yaml": componentOf("team-file") + "---\n" + locationOf("next", "more.yaml"), "/catalog/more.yaml": componentOf("more-file")}
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		content, ok := files[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, content)
	}))
	t.Cleanup(web.Close)
	f := newForge(t)
	f.repo("root", map[string]string{"catalog-info.yaml": locationOf("org", web.URL+"/catalog/teams.yaml")})
	s, db, _ := derivedSetup(t, f)
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"component:default/more-file root " + web.URL + "/catalog/more.yaml",
		"component:default/team-file root " + web.URL + "/catalog/teams.yaml",
		"location:default/next root " + web.URL + "/catalog/teams.yaml",
		"location:default/org root catalog-info.yaml",
	}
	if diff := cmp.Diff(want, where(t, db)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	web.Close()
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, where(t, db)); diff != "" {
		t.Errorf("offline, entities (-want +got):\n%s", diff)
	}
	e, _, _ := db.Entity(ctx, "component:default/more-file")
	if e.Remote == nil || !strings.Contains(e.Remote.Stale, "cannot be reached") {
		t.Errorf("offline, more-file's remote parts: %+v", e.Remote)
	}
}

// A target naming its GitLab project by id has no clone URL: it is read
// like a file on a web server, through GitLab's files API, and derives
// no location.
func TestProjectByIDTarget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const file = "/api/v4/projects/42/repository/files/teams.yaml/raw"
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != file || r.URL.Query().Get("ref") != "main" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, componentOf("team-file"))
	}))
	t.Cleanup(web.Close)
	f := newForge(t)
	target := web.URL + file + "?ref=main"
	f.repo("root", map[string]string{"catalog-info.yaml": locationOf("org", target)})
	s, db, _ := derivedSetup(t, f)
	if err := s.SyncTree(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"component:default/team-file root " + target,
		"location:default/org root catalog-info.yaml",
	}
	if diff := cmp.Diff(want, where(t, db)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	locs, err := db.Locations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(locs) != 1 {
		t.Errorf("%d locations, want only root: %+v", len(locs), locs)
	}
}
