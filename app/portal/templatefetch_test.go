package portal

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// bareRepo makes a bare repository at root/name.git holding files.
func bareRepo(t *testing.T, root, name string, files map[string][]byte) {
	t.Helper()
	src := gittest.New(t)
	src.Commit("first", files)
	gittest.Git(t, root, "clone", "-q", "--bare", src.Dir, filepath.Join(root, name+".git"))
}

// A template synced from a git server fetches a folder of another
// repository of that server by tree URL, a file from a server answering
// as GitHub's raw endpoint, and its own skeleton by its absolute URL; its
// output comes from a placeholder read by URL.
// Create lists the first two as needing the network until a run keeps
// them; once both servers are stopped, the template still runs: its own
// skeleton from its clone, the others from the kept copies, saying so.
func TestScaffoldFetchesByURLOnlineThenOffline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := t.TempDir()
	backend := gittest.HTTPBackend(t, root, nil)
	upstream, _ := url.Parse(backend)
	gitSrv := httptest.NewServer(httputil.NewSingleHostReverseProxy(upstream))
	t.Cleanup(gitSrv.Close)
	rawSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/raw/org/legal/main/LICENSE" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", `"mit"`)
		io.WriteString(w, "MIT ${{ values.name }}\n")
	}))
	t.Cleanup(rawSrv.Close)
	partsSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/raw/org/parts/main/output.yaml" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "text:\n  - title: Made\n    content: ${{ parameters.name }} is ready\n")
	}))
	t.Cleanup(partsSrv.Close)

	own := gitSrv.URL + "/org/templates"
	skeletons := gitSrv.URL + "/org/skeletons/tree/main/go"
	license := rawSrv.URL + "/org/legal/blob/main/LICENSE"
	os.MkdirAll(filepath.Join(root, "org"), 0o755)
	bareRepo(t, filepath.Join(root, "org"), "skeletons", map[string][]byte{"go/main.go": []byte("package main\n"), "go/go.mod": []byte("module ${{ values.name }}\n")})
	bareRepo(t, filepath.Join(root, "org"), "templates", map[string][]byte{
		"template.yaml": []byte("apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: service}\nspec:\n  type: service\n" +
			"  parameters: {$yaml: ./parameters.yaml}\n  output: {$yaml: '" + partsSrv.URL + "/org/parts/blob/main/output.yaml'}\n  steps:\n" +
			"    - {id: own, name: Own skeleton, action: fetch:template, input: {url: '" + own + "/tree/main/skeleton', values: {name: '${{ parameters.name }}'}}}\n" +
			"    - {id: go, name: Go skeleton, action: fetch:plain, input: {url: '" + skeletons + "', targetPath: go}}\n" +
			"    - {id: license, name: License, action: fetch:template:file, input: {url: '" + license + "', targetPath: LICENSE, values: {name: '${{ parameters.name }}'}}}\n"),
		"parameters.yaml":    []byte("required: [name]\nproperties:\n  name: {type: string}\n  owner: {type: string}\n"),
		"skeleton/README.md": []byte("# ${{ values.name }}\n"),
	})

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	s, _ := newService(t, func(c *Config) {
		creds := gitfetch.Credentials{Trusted: Trust{c.DB}.TrustsHost}
		sy := syncer.New(c.DB, filepath.Join(dir, "clones"), creds, &events.Bus{}, quiet, nil)
		c.DataDir, c.Syncer = dir, sy
		c.Fetches = NewFetcher(dir, creds, sy.RemoteAllowed, quiet)
	})
	// The template's output is read by URL at its sync, from a host the
	// user allows.
	if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, RemoteReadHosts: []string{strings.TrimPrefix(partsSrv.URL, "http://")}}); err != nil {
		t.Fatal(err)
	}
	loc, err := s.AddLocation(ctx, NewLocation{URL: own + ".git", Path: "template.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, loc.ID); err != nil {
		t.Fatal(err)
	}

	detail, err := s.Template(ctx, "template:service")
	if err != nil {
		t.Fatal(err)
	}
	if string(detail.Parameters) != `{"required":["name"],"properties":{"name":{"type":"string"},"owner":{"type":"string"}}}` {
		t.Errorf("parameters from a placeholder: %s", detail.Parameters)
	}
	if len(detail.Fetches) != 2 || detail.Fetches[0].URL != skeletons || detail.Fetches[1].URL != license || detail.Fetches[0].Cached || detail.Fetches[1].Cached {
		t.Fatalf("fetches before any run: %+v", detail.Fetches)
	}

	values := []byte(`{"name":"radar"}`)
	refused, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:service", Values: values, DryRun: true, Wait: true})
	rawHost := strings.TrimPrefix(rawSrv.URL, "http://")
	if err != nil || refused.Status != "failed" || !strings.Contains(refused.Error, rawHost+" is not a host Callboard reads files from: add it under Remote read hosts in Settings") {
		t.Fatalf("a file from a host not allowed: %s: %s, %v", refused.Status, refused.Error, err)
	}
	if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, RemoteReadHosts: []string{rawHost, strings.TrimPrefix(partsSrv.URL, "http://")}}); err != nil {
		t.Fatal(err)
	}
	online, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:service", Values: values, Target: filepath.Join(t.TempDir(), "radar"), Wait: true})
	if err != nil || online.Status != "completed" {
		t.Fatalf("online: %+v, %v", online, err)
	}
	for _, f := range []string{"README.md", "go/main.go", "go/go.mod", "LICENSE"} {
		if _, err := os.Stat(filepath.Join(online.Target, f)); err != nil {
			t.Errorf("online: %v", err)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(online.Target, "LICENSE")); string(data) != "MIT radar\n" {
		t.Errorf("LICENSE = %q", data)
	}
	detail, err = s.Template(ctx, "template:service")
	if err != nil || len(detail.Fetches) != 2 || !detail.Fetches[0].Cached || !detail.Fetches[1].Cached || detail.Fetches[0].ReadAt == "" {
		t.Fatalf("fetches after a run: %+v, %v", detail.Fetches, err)
	}

	gitSrv.Close()
	rawSrv.Close()
	partsSrv.Close()
	offline, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:service", Values: values, Target: filepath.Join(t.TempDir(), "radar"), Wait: true})
	if err != nil || offline.Status != "completed" {
		t.Fatalf("offline: %+v, %v", offline, err)
	}
	want := map[string]string{
		"own":     "from the template's own repository, without the network",
		"go":      "Using the copy of " + skeletons + " kept from ",
		"license": "Using the copy of " + license + " kept from ",
	}
	for _, st := range offline.Steps {
		if log := strings.Join(st.Log, "\n"); !strings.Contains(log, want[st.ID]) {
			t.Errorf("step %s's log lacks %q:\n%s", st.ID, want[st.ID], log)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(offline.Target, "go/main.go")); string(data) != "package main\n" {
		t.Errorf("offline go/main.go = %q", data)
	}
	// The output read by URL at the sync is the stored entity's: no server
	// is asked for it again.
	if len(offline.Texts) != 1 || offline.Texts[0].Content != "radar is ready" {
		t.Errorf("offline output: %+v", offline.Texts)
	}
}
