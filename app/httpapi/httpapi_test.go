package httpapi_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/portal/portaltest"
)

var quiet = portaltest.Quiet

// recorder is a real portal that notes the arguments of the calls whose
// decoding TestRoutes checks.
type recorder struct {
	portal.API
	mu       sync.Mutex
	query    portal.EntityQuery
	graph    portal.GraphQuery
	synced   string
	starred  []string
	resolved string
}

func (r *recorder) note(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
}

func (r *recorder) ListEntities(ctx context.Context, q portal.EntityQuery) (portal.EntityList, error) {
	r.note(func() { r.query = q })
	return r.API.ListEntities(ctx, q)
}

func (r *recorder) Graph(ctx context.Context, q portal.GraphQuery) (portal.Graph, error) {
	r.note(func() { r.graph = q })
	return r.API.Graph(ctx, q)
}

func (r *recorder) Sync(ctx context.Context, id string) ([]portal.Location, error) {
	r.note(func() { r.synced = id })
	return r.API.Sync(ctx, id)
}

func (r *recorder) SetStar(ctx context.Context, ref string, on bool) error {
	r.note(func() { r.starred = append(r.starred, ref) })
	return r.API.SetStar(ctx, ref, on)
}

func (r *recorder) ResolveConflict(ctx context.Context, id, keep string) error {
	r.note(func() { r.resolved = id + " " + keep })
	return r.API.ResolveConflict(ctx, id, keep)
}

// TestRoutes: each route decodes its arguments, reaches the portal (the
// demo organisation on a real store) and answers with its result, or
// its error as the status of the error's code.
func TestRoutes(t *testing.T) {
	t.Parallel()
	api := &recorder{API: portaltest.Demo(t).Service}
	ui := fstest.MapFS{"index.html": {Data: []byte("<title>Callboard</title>")}}
	base := portaltest.Loopback(t, httpapi.New(api, httpapi.Options{UI: ui, LoopbackOnly: true, Log: quiet}))
	const booking = "component%3Adefault%2Fbooking-service"
	tests := []struct {
		method, path string
		header       map[string]string
		status       int
		body         string
		send         string
	}{
		{"GET", "/api/v1/info", nil, 200, `"version":"portaltest"`, ""},
		{"GET", "/api/v1/entities?facets.kind=api&facets.kind=component&facets.owner=group:default/a&starred=true&mine=1&hasErrors=1&sort=owner&desc=1&offset=50&limit=50", nil, 200, `"items":[]`, ""},
		{"GET", "/api/v1/entities?filters=novalue", nil, 200, `"items":[`, ""},
		{"GET", "/api/v1/entities?facets.kind=component&text=booking&limit=5&filters.spec.type=service&token=ignored", nil, 200, `"ref":"component:default/booking-service"`, ""},
		{"GET", "/api/v1/me", nil, 200, `"starred":[]`, ""},
		{"GET", "/api/v1/docs", nil, 200, `"ref":"component:default/booking-service"`, ""},
		{"GET", "/api/v1/docs/" + booking + "/page?page=runbook.md", nil, 200, `"path":"runbook.md"`, ""},
		{"GET", "/api/v1/search?text=booking&types=entity&limit=5", nil, 200, `"ref":"component:default/booking-service"`, ""},
		{"GET", "/api/v1/search?text=pay&limit=five", nil, 400, `{"code":"invalid","message":"bad query: limit \"five\" is not a whole number"}`, ""},
		{"GET", "/api/v1/entities/" + booking + "/history?limit=5", nil, 200, `"commit":"`, ""},
		{"GET", "/api/v1/entities/component:default%2Fbooking-service/history", nil, 200, `"changes":[`, ""},
		{"GET", "/api/v1/graph?ref=component:default/booking-service&depth=3&types=ownedBy&types=dependsOn", nil, 200, `"ref":"component:default/booking-service","kind":"Component"`, ""},
		{"GET", "/api/v1/graph?ref=component:default/booking-service&depth=x", nil, 400, `depth \"x\" is not a whole number`, ""},
		{"POST", "/api/v1/stars", nil, 200, `{}`, `{"ref": "component:default/booking-service", "on": true}`},
		{"POST", "/api/v1/stars", nil, 400, `{"code":"invalid","message":"invalid request: `, `{"ref": "", "on": true}`},
		{"POST", "/api/v1/stars", nil, 400, `the body is {\"ref\", \"on\"}: json: unknown field \"star\"`, `{"star": "x"}`},
		{"POST", "/api/v1/open", nil, 400, `only files of your local repositories open`, `{"path": "/x/README.md", "with": "editor"}`},
		{"POST", "/api/v1/open", nil, 400, `invalid request`, `{"path": "/x", "with": "browser"}`},
		{"GET", "/api/v1/templates/template%3Adefault%2Fgo-service", nil, 200, `"ref":"template:default/go-service"`, ""},
		{"POST", "/api/v1/runs", nil, 200, `"status":"running"`, `{"template": "template:default/go-service", "values": {"name": "x"}, "dryRun": true}`},
		{"POST", "/api/v1/runs", nil, 400, `"code":"invalid"`, `{"template": ""}`},
		{"GET", "/api/v1/runs", nil, 200, `[{"id":"`, ""},
		{"GET", "/api/v1/runs/r2", nil, 404, `{"code":"not_found","message":"run r2: not found"}`, ""},
		{"POST", "/api/v1/runs/r2/cancel", nil, 404, `{"code":"not_found","message":"run r2: not found"}`, ""},
		{"POST", "/api/v1/visits", nil, 200, `{}`, `{"ref": "component:default/booking-service"}`},
		{"POST", "/api/v1/frontend-errors", nil, 200, `{}`, `{"kind": "boundary", "route": "/", "where": "card", "message": "boom", "stack": "at x"}`},
		{"POST", "/api/v1/frontend-errors", nil, 400, `invalid request`, `{"message": "boom"}`},
		{"POST", "/api/v1/frontend-errors", nil, 400, `the body is {\"kind\", \"route\", \"where\", \"message\", \"stack\"}`, `{"msg": "boom"}`},
		{"GET", "/api/v1/entities?limit=1&limit=2", nil, 400, `limit is given 2 times`, ""},
		{"GET", "/api/v1/entities/" + booking, nil, 200, `"ref":"component:default/booking-service"`, ""},
		{"GET", "/api/v1/entities/component%3Adefault%2Fzzz", nil, 404, `{"code":"not_found","message":"entity component:default/zzz: not found"}`, ""},
		{"GET", "/api/v1/entities/component/default/a", nil, 404, `{"code":"not_found","message":"no API endpoint GET /api/v1/entities/component/default/a"}`, ""},
		{"GET", "/api/v1/nope", nil, 404, `no API endpoint GET /api/v1/nope`, ""},
		{"POST", "/api/v1/sync", nil, 200, `"id":"demo"`, `{"locationID": "demo"}`},
		{"POST", "/api/v1/sync", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, `{"code":"invalid","message":"POST /api/v1/sync from another site is refused"}`, ""},
		{"POST", "/api/v1/window/focus", nil, 409, `{"code":"conflict","message":"this instance has no window"}`, ""},
		{"POST", "/api/v1/window/open", nil, 409, `{"code":"conflict","message":"this instance has no window"}`, `{"link": "callboard://"}`},
		{"POST", "/api/v1/locations", nil, 200, `"id":"payments"`, `{"url": "https://git.example/org/payments.git", "branch": "main"}`},
		{"POST", "/api/v1/locations", nil, 400, `needs a repository URL`, `{"url": ""}`},
		{"POST", "/api/v1/locations", nil, 400, `unknown field`, `{"uri": "x"}`},
		{"POST", "/api/v1/locations", nil, 400, `the body is {\"url\", \"branch\", \"path\", \"discover\", \"backstage\"}`, `not json`},
		{"GET", "/api/v1/locations", nil, 200, `"id":"demo"`, ""},
		{"DELETE", "/api/v1/locations/payments", nil, 200, `{}`, ""},
		{"GET", "/api/v1/settings", nil, 200, `"syncIntervalMinutes":5`, ""},
		{"GET", "/api/v1/locations/demo/file?path=components%2Fbooking-service%2Fcatalog-info.yaml", nil, 200, `"path":"components/booking-service/catalog-info.yaml"`, ""},
		{"POST", "/api/v1/outbox", nil, 400, `a write needs a location`, `{"path": "a.yaml", "content": "x", "message": "Edit"}`},
		{"GET", "/api/v1/outbox", nil, 200, "[]\n", ""},
		{"GET", "/api/v1/plugins", nil, 200, "[]\n", ""},
		{"PUT", "/api/v1/plugins", nil, 404, `plugin \"ci\": not found`, `{"name": "ci", "enabled": true, "values": {"apiUrl": "http://127.0.0.1:1"}}`},
		{"PUT", "/api/v1/plugins", nil, 400, `the body is {\"name\", \"enabled\", \"values\", \"secrets\"}`, `{"enabled": "yes"}`},
		{"GET", "/api/v1/plugins/git-insights/log", nil, 404, `not found`, ""},
		{"GET", "/api/v1/entities/" + booking + "/plugins", nil, 200, "[]\n", ""},
		{"POST", "/api/v1/outbox/demo%2F1/resolve", nil, 404, `not found`, `{"keep": "mine"}`},
		{"POST", "/api/v1/outbox/demo%2F1/resolve", nil, 400, `keep \"maybe\": want mine or theirs`, `{"keep": "maybe"}`},
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
			req, _ := http.NewRequest(tt.method, base+tt.path, body)
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
	api.mu.Lock()
	defer api.mu.Unlock()
	if q := api.query; !slices.Equal(q.Facets["kind"], []string{"component"}) || q.Text != "booking" || q.Limit != 5 || q.Filters["spec.type"] != "service" {
		t.Errorf("query = %+v", q)
	}
	if g := api.graph; !slices.Equal(g.Types, []string{"ownedBy", "dependsOn"}) || g.Depth != 3 {
		t.Errorf("graph query = %+v", g)
	}
	if api.resolved != "demo/1 maybe" {
		t.Errorf("resolved %q", api.resolved)
	}
	if !slices.Equal(api.starred, []string{"component:default/booking-service", ""}) {
		t.Errorf("starred %q", api.starred)
	}
	if api.synced != "demo" {
		t.Errorf("synced %q, want demo", api.synced)
	}
}

func TestToken(t *testing.T) {
	t.Parallel()
	base := portaltest.Loopback(t, httpapi.New(portaltest.Demo(t).Service, httpapi.Options{Token: "s3cret", Log: quiet, UI: fstest.MapFS{"index.html": {Data: []byte("ui")}}}))
	get := func(path string, mod func(*http.Request)) *http.Response {
		req, _ := http.NewRequest("GET", base+path, nil)
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
	l := portaltest.Demo(t)
	base := portaltest.Loopback(t, httpapi.New(l.Service, httpapi.Options{Log: quiet}))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rd := openEvents(t, ctx, base+"/api/v1/events?names=catalog:changed")
	l.Bus.Emit(ctx, events.SyncDone, events.SyncResultData{LocationID: "filtered out"})
	l.Bus.Emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: "demo"})
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
