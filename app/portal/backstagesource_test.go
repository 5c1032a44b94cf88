package portal

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/backstage/backstagetest"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// backstageOrg is an organisation's Backstage on loopback listing es,
// whose repositories are served by a git http-backend (gitURL, its repos
// made with bareRepo under root/org), and a service whose syncer reads
// that Backstage with its token.
type backstageOrg struct {
	s       *Service
	bs      *backstagetest.Catalog
	git     *httptest.Server
	root    string
	locID   string
	dataDir string
}

func newBackstageOrg(t *testing.T) *backstageOrg {
	t.Helper()
	root := t.TempDir()
	upstream, _ := url.Parse(gittest.HTTPBackend(t, root, nil))
	gitSrv := httptest.NewServer(httputil.NewSingleHostReverseProxy(upstream))
	t.Cleanup(gitSrv.Close)
	os.MkdirAll(filepath.Join(root, "org"), 0o755)
	return &backstageOrg{git: gitSrv, root: root}
}

// start serves es as the Backstage and syncs it into a new service.
func (o *backstageOrg) start(t *testing.T, es []map[string]any) {
	t.Helper()
	ctx := context.Background()
	o.bs = backstagetest.NewCatalog(t, "bs-token", es)
	bsURL, _ := url.Parse(o.bs.URL)
	tokens, _ := gitfetch.TokensFromEnv([]string{hostTokenVar(bsURL.Hostname()) + "=bs-token"})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	o.dataDir = t.TempDir()
	o.s, _ = newService(t, func(c *Config) {
		creds := gitfetch.Credentials{Tokens: tokens, Trusted: Trust{c.DB}.TrustsHost}
		sy := syncer.New(c.DB, filepath.Join(o.dataDir, "clones"), creds, &events.Bus{}, quiet, nil)
		c.DataDir, c.Syncer = o.dataDir, sy
		c.Fetches = NewFetcher(o.dataDir, creds, sy.RemoteAllowed, quiet)
	})
	gitHost := strings.TrimPrefix(o.git.URL, "http://")
	if _, err := o.s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, RemoteReadHosts: []string{gitHost}}); err != nil {
		t.Fatal(err)
	}
	loc, err := o.s.AddLocation(ctx, NewLocation{URL: o.bs.URL, Backstage: true})
	if err != nil {
		t.Fatal(err)
	}
	o.locID = loc.ID
	locs, err := o.s.Sync(ctx, loc.ID)
	if err != nil || len(locs) != 1 || locs[0].LastError != "" {
		t.Fatalf("sync the Backstage: %+v, %v", locs, err)
	}
}

// hostTokenVar is the variable of host's own token.
func hostTokenVar(host string) string {
	var b strings.Builder
	b.WriteString(gitfetch.TokenEnv + "_")
	for _, r := range strings.ToUpper(host) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// backstageEntity is an entity as the backend serves it, read from the
// file at url.
func backstageEntity(t *testing.T, doc, url string) map[string]any {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		t.Fatal(err)
	}
	md := e["metadata"].(map[string]any)
	md["namespace"] = "default"
	md["annotations"] = map[string]any{"backstage.io/managed-by-location": "url:" + url, "backstage.io/managed-by-origin-location": "url:" + url}
	return e
}

// A Template a Backstage lists runs locally: its skeleton, relative to
// its file in the repository its managed-by-location names, is fetched
// from that repository (a git server on loopback), and a dry run
// scaffolds it; once the server is gone, the kept copy still runs it.
func TestBackstageTemplateRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newBackstageOrg(t)
	bareRepo(t, filepath.Join(o.root, "org"), "templates", map[string][]byte{
		"templates/service/template.yaml":       []byte("# the Backstage read this file; its entity is served\n"),
		"templates/service/skeleton/README.md":  []byte("# ${{ values.name }}\n"),
		"templates/service/skeleton/src/app.go": []byte("package ${{ values.name }}\n"),
	})
	file := o.git.URL + "/org/templates/blob/main/templates/service/template.yaml"
	o.start(t, []map[string]any{backstageEntity(t, `{"apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template",
		"metadata": {"name": "service"}, "spec": {"type": "service", "parameters": {"required": ["name"], "properties": {"name": {"type": "string"}}},
		"steps": [{"id": "fetch", "name": "Skeleton", "action": "fetch:template", "input": {"url": "./skeleton", "values": {"name": "${{ parameters.name }}"}}}]}}`, file)})

	want := map[string]string{"README.md": "# radar\n", "src/app.go": "package radar\n"}
	for _, phase := range []string{"online", "offline"} {
		run, err := o.s.Scaffold(ctx, ScaffoldRequest{Template: "template:service", Values: []byte(`{"name":"radar"}`), DryRun: true, Wait: true})
		if err != nil || run.Status != "completed" {
			t.Fatalf("%s: %s %s, %v", phase, run.Status, run.Error, err)
		}
		got := map[string]string{}
		for _, f := range run.Files {
			if !f.Dir {
				got[f.Path] = f.Content
			}
		}
		if len(got) != len(want) || got["README.md"] != want["README.md"] || got["src/app.go"] != want["src/app.go"] {
			t.Errorf("%s: dry run files %v, want %v", phase, got, want)
		}
		o.git.Close()
	}
}

// A Template whose Backstage names no repository it came from is refused
// saying so.
func TestBackstageTemplateWithoutSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newBackstageOrg(t)
	e := backstageEntity(t, `{"apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template", "metadata": {"name": "bare"},
		"spec": {"type": "service", "steps": [{"id": "fetch", "action": "fetch:template", "input": {"url": "./skeleton"}}]}}`, "x")
	e["metadata"].(map[string]any)["annotations"] = map[string]any{"backstage.io/managed-by-location": "bitbucket-cloud:x"}
	o.start(t, []map[string]any{e})
	_, err := o.s.Template(ctx, "template:bare")
	if err == nil || !strings.Contains(err.Error(), "names no repository it came from") {
		t.Fatalf("template without a source: %v", err)
	}
}
