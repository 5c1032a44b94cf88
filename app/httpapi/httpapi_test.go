package httpapi

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
)

// stubAPI answers the few calls the guard and request-decoding tests make;
// what the API does is apitest's, run through this handler by
// TestAPIOverSocket. Any other call panics on the nil API it embeds, which
// fails the request: such a request should not have reached the API.
type stubAPI struct{ portal.API }

func (stubAPI) Info(context.Context) (portal.Info, error) {
	return portal.Info{Version: "1.2.3", Mode: "serve"}, nil
}

func (stubAPI) SetStar(context.Context, string, bool) error { return nil }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestRoutes: what the handler answers before a call reaches the API —
// malformed parameters and bodies, unknown endpoints, the guard, the UI.
func TestRoutes(t *testing.T) {
	t.Parallel()
	ui := fstest.MapFS{"index.html": {Data: []byte("<title>Callboard</title>")}}
	srv := httptest.NewServer(New(stubAPI{}, Options{UI: ui, LoopbackOnly: true, Log: quiet}))
	defer srv.Close()
	tests := []struct {
		method, path string
		header       map[string]string
		status       int
		body         string
		send         string
	}{
		{"GET", "/api/v1/info", nil, 200, `"version":"1.2.3"`, ""},
		{"GET", "/api/v1/search?q=pay&limit=-5", nil, 400, `limit \"-5\" is not a non-negative number`, ""},
		{"GET", "/api/v1/graph?ref=component:default/a&depth=x", nil, 400, `depth \"x\" is not a number`, ""},
		{"POST", "/api/v1/frontend-errors", nil, 400, `a frontend error is`, `{"msg": "boom"}`},
		{"GET", "/api/v1/entities?limit=-1", nil, 400, `limit \"-1\" is not a non-negative number`, ""},
		{"GET", "/api/v1/entities?filter=novalue", nil, 400, `filter \"novalue\" is not of the form key=value`, ""},
		{"GET", "/api/v1/nope", nil, 404, `no API endpoint GET /api/v1/nope`, ""},
		{"POST", "/api/v1/sync", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, "", ""},
		{"POST", "/api/v1/window/focus", nil, 409, "this instance has no window", ""},
		{"POST", "/api/v1/locations", nil, 400, `unknown field`, `{"uri": "x"}`},
		{"POST", "/api/v1/locations", nil, 400, `a location is`, `not json`},
		{"PUT", "/api/v1/locations/payments/file", nil, 400, `the body names location \"other\"`, `{"locationId": "other", "path": "a.yaml", "message": "Edit"}`},
		{"PUT", "/api/v1/plugins/ci", nil, 400, `plugin settings are`, `{"enabled": "yes"}`},
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
}

func TestToken(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(New(stubAPI{}, Options{Token: "s3cret", Log: quiet, UI: fstest.MapFS{"index.html": {Data: []byte("ui")}}}))
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
	bus := &events.Bus{}
	srv := httptest.NewServer(New(stubAPI{}, Options{Events: bus, Log: quiet}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rd := openEvents(t, ctx, srv.URL)
	bus.Emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: "demo"})
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

// openEvents opens base's event stream, checks its first line and returns
// a reader of the rest; the stream closes with the test.
func openEvents(t *testing.T, ctx context.Context, base string) *bufio.Reader {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/events", nil)
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
