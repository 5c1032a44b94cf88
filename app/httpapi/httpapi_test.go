package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
)

// fakeAPI answers from fixed data and records what it was asked. The
// methods no test calls are left to the nil portal.API it embeds.
type fakeAPI struct {
	portal.API
	bus       events.Bus
	lastQuery portal.EntityQuery
	lastGraph portal.GraphQuery
	synced    string
	starred   string
	resolved  string
}

func (f *fakeAPI) Subscribe(ctx context.Context, names ...string) (<-chan events.Event, error) {
	for _, n := range names {
		if !events.Known(n) {
			return nil, fmt.Errorf("event %q: %w", n, portal.ErrInvalid)
		}
	}
	in, cancel := f.bus.Subscribe()
	out := make(chan events.Event)
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-in:
				if len(names) > 0 && !slices.Contains(names, ev.Name) {
					continue
				}
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

func (f *fakeAPI) Info(context.Context) (portal.Info, error) {
	return portal.Info{Version: "1.2.3", Mode: "serve"}, nil
}

func (f *fakeAPI) ListEntities(_ context.Context, q portal.EntityQuery) (portal.EntityList, error) {
	f.lastQuery = q
	return portal.EntityList{Items: []portal.EntitySummary{{Ref: "component:default/a", Tags: []string{}}}, Total: 1}, nil
}

func (f *fakeAPI) GetEntity(_ context.Context, ref string) (portal.EntityDetail, error) {
	if ref != "component:default/a" {
		return portal.EntityDetail{}, fmt.Errorf("entity %s: %w", ref, portal.ErrNotFound)
	}
	return portal.EntityDetail{EntitySummary: portal.EntitySummary{Ref: ref}}, nil
}

// ListLocations answers nil, which the wire sends as [].
func (f *fakeAPI) ListLocations(context.Context) ([]portal.Location, error) { return nil, nil }

func (f *fakeAPI) AddLocation(_ context.Context, in portal.NewLocation) (portal.Location, error) {
	if in.URL == "" {
		return portal.Location{}, fmt.Errorf("a location needs a repository URL or path: %w", portal.ErrInvalid)
	}
	return portal.Location{ID: "payments", URL: in.URL, Branch: in.Branch, Path: in.Path}, nil
}

func (f *fakeAPI) Settings(context.Context) (portal.Settings, error) {
	return portal.Settings{SyncIntervalMinutes: 5}, nil
}

func (f *fakeAPI) UpdateSettings(_ context.Context, s portal.Settings) (portal.Settings, error) {
	if s.SyncIntervalMinutes < 1 {
		return portal.Settings{}, fmt.Errorf("sync interval: %w", portal.ErrInvalid)
	}
	return s, nil
}

func (f *fakeAPI) RemoveLocation(_ context.Context, id string) error {
	if id != "payments" {
		return fmt.Errorf("location %q: %w", id, portal.ErrNotFound)
	}
	return nil
}

func (f *fakeAPI) Sync(_ context.Context, id string) ([]portal.Location, error) {
	f.synced = id
	return []portal.Location{}, nil
}

func (f *fakeAPI) ReadFile(_ context.Context, id, path string) (portal.CatalogFile, error) {
	if path == "" {
		return portal.CatalogFile{}, fmt.Errorf("path %q: %w", path, portal.ErrInvalid)
	}
	return portal.CatalogFile{LocationID: id, Path: path, Content: "kind: Component\n", Exists: true}, nil
}

func (f *fakeAPI) WriteFile(_ context.Context, w portal.FileWrite) (portal.OutboxEntry, error) {
	if w.Message == "" {
		return portal.OutboxEntry{}, fmt.Errorf("a commit message is required: %w", portal.ErrInvalid)
	}
	return portal.OutboxEntry{ID: w.LocationID + "/1", LocationID: w.LocationID, Paths: []string{w.Path}, State: "pending"}, nil
}

func (f *fakeAPI) Outbox(context.Context) ([]portal.OutboxEntry, error) {
	return []portal.OutboxEntry{{ID: "payments/1"}}, nil
}

func (f *fakeAPI) ResolveConflict(_ context.Context, id, keep string) error {
	if id != "payments/1" {
		return fmt.Errorf("outbox entry %s: %w", id, portal.ErrNotFound)
	}
	f.resolved = id + " " + keep
	return nil
}

func (f *fakeAPI) UserState(context.Context) (portal.UserState, error) {
	return portal.UserState{Identity: portal.Identity{UserRef: "user:default/me", Groups: []string{}}, Starred: []portal.EntitySummary{}, Recent: []portal.EntitySummary{}}, nil
}

func (f *fakeAPI) SetStar(_ context.Context, ref string, on bool) error {
	if ref == "" {
		return fmt.Errorf("ref: %w", portal.ErrInvalid)
	}
	f.starred = ref
	return nil
}

func (f *fakeAPI) Template(_ context.Context, ref string) (portal.TemplateDetail, error) {
	return portal.TemplateDetail{Ref: ref, Parameters: []byte(`[]`), Steps: []portal.TemplateStep{}}, nil
}

func (f *fakeAPI) Scaffold(_ context.Context, req portal.ScaffoldRequest) (portal.ScaffoldRun, error) {
	if req.Template == "" {
		return portal.ScaffoldRun{}, fmt.Errorf("template: %w", portal.ErrInvalid)
	}
	return portal.ScaffoldRun{ID: "r1", Template: req.Template, Status: "running"}, nil
}

func (f *fakeAPI) ScaffoldRuns(context.Context) ([]portal.ScaffoldRun, error) {
	return []portal.ScaffoldRun{{ID: "r1"}}, nil
}

func (f *fakeAPI) ScaffoldRun(_ context.Context, id string) (portal.ScaffoldRun, error) {
	if id != "r1" {
		return portal.ScaffoldRun{}, fmt.Errorf("run %s: %w", id, portal.ErrNotFound)
	}
	return portal.ScaffoldRun{ID: id}, nil
}

func (f *fakeAPI) CancelScaffold(_ context.Context, id string) error { return nil }

func (f *fakeAPI) Plugins(context.Context) ([]portal.PluginInfo, error) {
	return []portal.PluginInfo{{Name: "git-insights", State: "running", Enabled: true}}, nil
}

func (f *fakeAPI) SetPlugin(_ context.Context, in portal.PluginSettings) (portal.PluginInfo, error) {
	return portal.PluginInfo{Name: in.Name, Enabled: in.Enabled, Values: in.Values}, nil
}

func (f *fakeAPI) PluginLog(_ context.Context, name string) ([]string, error) {
	if name != "git-insights" {
		return nil, fmt.Errorf("plugin %q: %w", name, portal.ErrNotFound)
	}
	return []string{"started"}, nil
}

func (f *fakeAPI) EntityPlugins(_ context.Context, ref string) ([]portal.PluginContent, error) {
	return []portal.PluginContent{{Plugin: "git-insights", Views: []json.RawMessage{json.RawMessage(`{"id":"` + ref + `"}`)}}}, nil
}

func (f *fakeAPI) Open(_ context.Context, req portal.OpenRequest) error {
	if req.With != "editor" {
		return fmt.Errorf("with %q: %w", req.With, portal.ErrInvalid)
	}
	return nil
}

func (f *fakeAPI) Graph(_ context.Context, q portal.GraphQuery) (portal.Graph, error) {
	f.lastGraph = q
	return portal.Graph{Nodes: []portal.GraphNode{{Ref: q.Ref, Depth: q.Depth}}, Edges: []portal.GraphEdge{}}, nil
}

func (f *fakeAPI) History(_ context.Context, ref string, limit int) ([]portal.EntityVersion, error) {
	return []portal.EntityVersion{{Commit: "abc", Message: fmt.Sprintf("%s %d", ref, limit)}}, nil
}

func (f *fakeAPI) Search(_ context.Context, q portal.SearchQuery) (portal.SearchResult, error) {
	return portal.SearchResult{Total: 1, Hits: []portal.SearchHit{{Type: "entity", Ref: "component:default/a", Name: q.Text}}, Facets: map[string][]portal.FacetCount{}}, nil
}

func (f *fakeAPI) ListDocs(context.Context) ([]portal.DocsEntry, error) {
	return []portal.DocsEntry{{Ref: "component:default/a", Kind: "Component", Name: "a"}}, nil
}

func (f *fakeAPI) Docs(_ context.Context, ref string) (portal.DocsSite, error) {
	return portal.DocsSite{Ref: ref, Name: "A"}, nil
}

func (f *fakeAPI) DocsPage(_ context.Context, ref, page string) (portal.DocsPage, error) {
	return portal.DocsPage{Ref: ref, Path: page}, nil
}

func (f *fakeAPI) Visit(_ context.Context, ref string) error { return nil }

func (f *fakeAPI) ReportFrontendError(_ context.Context, e portal.FrontendError) error {
	if e.Kind == "" {
		return fmt.Errorf("frontend error kind: %w", portal.ErrInvalid)
	}
	return nil
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestRoutes(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	ui := fstest.MapFS{"index.html": {Data: []byte("<title>Callboard</title>")}}
	srv := httptest.NewServer(New(api, Options{UI: ui, LoopbackOnly: true, Log: quiet}))
	defer srv.Close()
	tests := []struct {
		method, path string
		header       map[string]string
		status       int
		body         string
		send         string
	}{
		{"GET", "/api/v1/info", nil, 200, `"version":"1.2.3"`, ""},
		{"GET", "/api/v1/entities?facets.kind=api&facets.kind=component&facets.owner=group:default/a&starred=true&mine=1&hasErrors=1&sort=owner&desc=1&offset=50&limit=50", nil, 200, `"ref":"component:default/a"`, ""},
		{"GET", "/api/v1/entities?filters=novalue", nil, 200, `"ref":"component:default/a"`, ""},
		{"GET", "/api/v1/entities?facets.kind=component&text=pay&limit=5&filters.spec.type=service&token=ignored", nil, 200, `"ref":"component:default/a"`, ""},
		{"GET", "/api/v1/me", nil, 200, `"userRef":"user:default/me"`, ""},
		{"GET", "/api/v1/docs", nil, 200, `"ref":"component:default/a"`, ""},
		{"GET", "/api/v1/docs/component%3Adefault%2Fa/page?page=guides%2Fsetup.md", nil, 200, `"path":"guides/setup.md"`, ""},
		{"GET", "/api/v1/search?text=pay&types=entity&limit=5", nil, 200, `"name":"pay"`, ""},
		{"GET", "/api/v1/search?text=pay&limit=five", nil, 400, `{"code":"invalid","message":"bad query: limit \"five\" is not a whole number"}`, ""},
		{"GET", "/api/v1/entities/component%3Adefault%2Fa/history?limit=5", nil, 200, `"message":"component:default/a 5"`, ""},
		{"GET", "/api/v1/entities/component:default%2Fa/history", nil, 200, `"message":"component:default/a 0","changes":[]`, ""},
		{"GET", "/api/v1/graph?ref=component:default/a&depth=3&types=ownedBy&types=dependsOn", nil, 200, `"ref":"component:default/a","kind":"","name":"","depth":3`, ""},
		{"GET", "/api/v1/graph?ref=component:default/a&depth=x", nil, 400, `depth \"x\" is not a whole number`, ""},
		{"POST", "/api/v1/stars", nil, 200, `{}`, `{"ref": "component:default/a", "on": true}`},
		{"POST", "/api/v1/stars", nil, 400, `{"code":"invalid","message":"ref: invalid request"}`, `{"ref": "", "on": true}`},
		{"POST", "/api/v1/stars", nil, 400, `the body is {\"ref\", \"on\"}: json: unknown field \"star\"`, `{"star": "x"}`},
		{"POST", "/api/v1/open", nil, 200, `{}`, `{"path": "/x/README.md", "with": "editor"}`},
		{"GET", "/api/v1/templates/template%3Adefault%2Ft", nil, 200, `"ref":"template:default/t"`, ""},
		{"POST", "/api/v1/runs", nil, 200, `"id":"r1"`, `{"template": "template:default/t", "values": {"a": 1}, "dryRun": true}`},
		{"POST", "/api/v1/runs", nil, 400, `"code":"invalid"`, `{"template": ""}`},
		{"GET", "/api/v1/runs", nil, 200, `[{"id":"r1"`, ""},
		{"GET", "/api/v1/runs/r2", nil, 404, `{"code":"not_found","message":"run r2: not found"}`, ""},
		{"POST", "/api/v1/runs/r1/cancel", nil, 200, `{}`, ""},
		{"POST", "/api/v1/open", nil, 400, `invalid request`, `{"path": "/x", "with": "browser"}`},
		{"POST", "/api/v1/visits", nil, 200, `{}`, `{"ref": "component:default/a"}`},
		{"POST", "/api/v1/frontend-errors", nil, 200, `{}`, `{"kind": "boundary", "route": "/", "where": "card", "message": "boom", "stack": "at x"}`},
		{"POST", "/api/v1/frontend-errors", nil, 400, `invalid request`, `{"message": "boom"}`},
		{"POST", "/api/v1/frontend-errors", nil, 400, `the body is {\"kind\", \"route\", \"where\", \"message\", \"stack\"}`, `{"msg": "boom"}`},
		{"GET", "/api/v1/entities?limit=1&limit=2", nil, 400, `limit is given 2 times`, ""},
		{"GET", "/api/v1/entities/component%3Adefault%2Fa", nil, 200, `"ref":"component:default/a"`, ""},
		{"GET", "/api/v1/entities/component%3Adefault%2Fzzz", nil, 404, `{"code":"not_found","message":"entity component:default/zzz: not found"}`, ""},
		{"GET", "/api/v1/entities/component/default/a", nil, 404, `{"code":"not_found","message":"no API endpoint GET /api/v1/entities/component/default/a"}`, ""},
		{"GET", "/api/v1/nope", nil, 404, `no API endpoint GET /api/v1/nope`, ""},
		{"POST", "/api/v1/sync", nil, 200, `[]`, `{"locationID": "demo"}`},
		{"POST", "/api/v1/sync", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, `{"code":"invalid","message":"POST /api/v1/sync from another site is refused"}`, ""},
		{"POST", "/api/v1/window/focus", nil, 409, `{"code":"conflict","message":"this instance has no window"}`, ""},
		{"POST", "/api/v1/locations", nil, 200, `"id":"payments"`, `{"url": "https://git.example/org/payments.git", "branch": "main"}`},
		{"POST", "/api/v1/locations", nil, 400, `needs a repository URL`, `{"url": ""}`},
		{"POST", "/api/v1/locations", nil, 400, `unknown field`, `{"uri": "x"}`},
		{"POST", "/api/v1/locations", nil, 400, `the body is {\"url\", \"branch\", \"path\"}`, `not json`},
		{"GET", "/api/v1/locations", nil, 200, "[]\n", ""},
		{"DELETE", "/api/v1/locations/payments", nil, 200, `{}`, ""},
		{"GET", "/api/v1/settings", nil, 200, `"syncIntervalMinutes":5`, ""},
		{"GET", "/api/v1/locations/payments/file?path=a%2Fcatalog-info.yaml", nil, 200, `"path":"a/catalog-info.yaml"`, ""},
		{"GET", "/api/v1/locations/payments/file", nil, 400, `path \"\": invalid request`, ""},
		{"POST", "/api/v1/outbox", nil, 200, `"id":"payments/1"`, `{"locationId": "payments", "path": "a.yaml", "content": "x", "message": "Edit"}`},
		{"POST", "/api/v1/outbox", nil, 400, `commit message`, `{"locationId": "payments", "path": "a.yaml", "content": "x"}`},
		{"GET", "/api/v1/outbox", nil, 200, `[{"id":"payments/1","locationId":"","commit":"","message":"","author":"","paths":[],"createdAt":"","state":""}]`, ""},
		{"GET", "/api/v1/plugins", nil, 200, `"name":"git-insights"`, ""},
		{"PUT", "/api/v1/plugins", nil, 200, `"name":"ci","version":"","builtIn":false,"enabled":true`, `{"name": "ci", "enabled": true, "values": {"apiUrl": "http://127.0.0.1:1"}}`},
		{"PUT", "/api/v1/plugins", nil, 400, `the body is {\"name\", \"enabled\", \"values\", \"secrets\"}`, `{"enabled": "yes"}`},
		{"GET", "/api/v1/plugins/git-insights/log", nil, 200, `["started"]`, ""},
		{"GET", "/api/v1/plugins/nope/log", nil, 404, `not found`, ""},
		{"GET", "/api/v1/entities/component%3Adefault%2Fpayments/plugins", nil, 200, `"views":[{"id":"component:default/payments"}]`, ""},
		{"POST", "/api/v1/outbox/payments%2F1/resolve", nil, 200, `{}`, `{"keep": "mine"}`},
		{"POST", "/api/v1/outbox/nope%2F1/resolve", nil, 404, `not found`, `{"keep": "mine"}`},
		{"PUT", "/api/v1/settings", nil, 200, `"syncIntervalMinutes":15`, `{"syncIntervalMinutes": 15}`},
		{"PUT", "/api/v1/settings", nil, 400, `sync interval`, `{"syncIntervalMinutes": 0}`},
		{"DELETE", "/api/v1/locations/nope", nil, 404, `location \"nope\": not found`, ""},
		{"GET", "/api/v1/events?names=nope", nil, 400, `event \"nope\"`, ""},
		{"GET", "/", nil, 200, "<title>Callboard</title>", ""},
		{"GET", "/api/v1/info", map[string]string{"Host": "evil.example:7007"}, 403, `is not a loopback address`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			var body io.Reader
			if tt.send != "" {
				body = strings.NewReader(tt.send)
			}
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, body)
			for k, v := range tt.header {
				if k == "Host" {
					req.Host = v
				} else {
					req.Header.Set(k, v)
				}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.body) {
				t.Errorf("%s %s = %d %s; want %d containing %q", tt.method, tt.path, resp.StatusCode, b, tt.status, tt.body)
			}
		})
	}
	if q := api.lastQuery; !slices.Equal(q.Facets["kind"], []string{"component"}) || q.Text != "pay" || q.Limit != 5 || q.Filters["spec.type"] != "service" {
		t.Errorf("query = %+v", q)
	}
	if g := api.lastGraph; !slices.Equal(g.Types, []string{"ownedBy", "dependsOn"}) {
		t.Errorf("graph query = %+v", g)
	}
	if api.resolved != "payments/1 mine" {
		t.Errorf("resolved %q", api.resolved)
	}
	if api.starred != "component:default/a" {
		t.Errorf("starred %q", api.starred)
	}
	if api.synced != "demo" {
		t.Errorf("synced %q, want demo", api.synced)
	}
}

func TestToken(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(New(&fakeAPI{}, Options{Token: "s3cret", Log: quiet, UI: fstest.MapFS{"index.html": {Data: []byte("ui")}}}))
	defer srv.Close()
	get := func(path string, mod func(*http.Request)) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if mod != nil {
			mod(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get("/api/v1/info", nil); r.StatusCode != 401 {
		t.Errorf("no token: %d, want 401", r.StatusCode)
	}
	if r := get("/api/v1/info", func(r *http.Request) { r.Header.Set("Authorization", "Bearer wrong") }); r.StatusCode != 401 {
		t.Errorf("wrong token: %d, want 401", r.StatusCode)
	}
	if r := get("/api/v1/info", func(r *http.Request) { r.Header.Set("Authorization", "Bearer s3cret") }); r.StatusCode != 200 {
		t.Errorf("bearer token: %d, want 200", r.StatusCode)
	}
	r := get("/?token=s3cret", nil)
	if r.StatusCode != 200 || len(r.Cookies()) != 1 {
		t.Fatalf("query token: %d, cookies %v", r.StatusCode, r.Cookies())
	}
	cookie := r.Cookies()[0]
	if r := get("/api/v1/info", func(r *http.Request) { r.AddCookie(cookie) }); r.StatusCode != 200 {
		t.Errorf("cookie: %d, want 200", r.StatusCode)
	}
}

func TestEventStream(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	srv := httptest.NewServer(New(api, Options{Log: quiet}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rd := openEvents(t, ctx, srv.URL+"/api/v1/events?names=catalog:changed")
	api.bus.Emit(ctx, events.SyncDone, events.SyncResultData{LocationID: "filtered out"})
	api.bus.Emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: "demo"})
	var got []string
	for len(got) < 3 {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line = strings.TrimSpace(line); line != "" {
			got = append(got, line)
		}
		if len(got) == 2 {
			break
		}
	}
	want := `event: catalog:changed|data: {"locationId":"demo"}`
	if strings.Join(got, "|") != want {
		t.Errorf("stream = %q, want %q", strings.Join(got, "|"), want)
	}
}

// openEvents opens the event stream at url, checks its first line and
// returns a reader of the rest; the stream closes with the test.
func openEvents(t *testing.T, ctx context.Context, url string) *bufio.Reader {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	rd := bufio.NewReader(resp.Body)
	if line, _ := rd.ReadString('\n'); line != ": connected\n" {
		t.Fatalf("first line %q", line)
	}
	return rd
}
