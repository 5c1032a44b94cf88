package httpapi_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/portal/portaltest"
)

// busy is a real portal whose history is always busy.
type busy struct{ portal.API }

func (busy) History(context.Context, string, int) (portal.EntityHistory, error) {
	return portal.EntityHistory{}, fmt.Errorf("entity history: 2 already running: %w", portal.ErrBusy)
}

func do(t *testing.T, c *http.Client, method, url, host string, header map[string]string, body string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestGuard: who may call the API, over TCP, the unix socket and a second
// serve's proxy.
func TestGuard(t *testing.T) {
	t.Parallel()
	ui := fstest.MapFS{"index.html": {Data: []byte("<title>Callboard</title>")}, "assets/app.js": {Data: []byte("js")}}
	h := httpapi.New(busy{portaltest.Demo(t).Service}, httpapi.Options{UI: ui, LoopbackOnly: true, Log: quiet})
	tcp := portaltest.Loopback(t, h)
	sock := portaltest.Socket(t, h)
	proxy := portaltest.Loopback(t, httpapi.NewProxy(sock, httpapi.Options{UI: ui, LoopbackOnly: true, Log: quiet}))
	proxyOrigin := proxy

	tests := []struct {
		name   string
		via    string // tcp, unix or proxy
		method string
		path   string
		host   string
		header map[string]string
		body   string
		status int
		want   string
	}{
		{"same-origin read", "tcp", "GET", "/api/v1/info", "", map[string]string{"Sec-Fetch-Site": "same-origin"}, "", 200, `"version":"portaltest"`},
		{"typed address", "tcp", "GET", "/api/v1/info", "", map[string]string{"Sec-Fetch-Site": "none"}, "", 200, `"version":"portaltest"`},
		{"cross-site read", "tcp", "GET", "/api/v1/entities/component%3Adefault%2Fa/history", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, "", 403, "from another site is refused"},
		{"same-site read (another port)", "tcp", "GET", "/api/v1/info", "", map[string]string{"Sec-Fetch-Site": "same-site"}, "", 403, "from another site is refused"},
		{"cross-origin read, older browser", "tcp", "GET", "/api/v1/info", "", map[string]string{"Origin": "https://evil.example"}, "", 403, "from another site is refused"},
		{"cross-site link to the UI", "tcp", "GET", "/", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, "", 200, "<title>Callboard</title>"},
		{"busy", "tcp", "GET", "/api/v1/entities/component%3Adefault%2Fa/history", "", nil, "", 503, "already running"},
		{"socket alias over TCP", "tcp", "GET", "/api/v1/info", "callboard", nil, "", 403, "is not a loopback address"},
		{"socket alias on the socket", "unix", "GET", "http://callboard/api/v1/info", "", nil, "", 200, `"version":"portaltest"`},
		{"asset", "tcp", "GET", "/assets/app.js", "", nil, "", 200, "js"},
		{"assets folder", "tcp", "GET", "/assets/", "", nil, "", 404, ""},
		{"assets folder without slash", "tcp", "GET", "/assets", "", nil, "", 404, ""},
		{"proxy: same-origin write, older browser", "proxy", "POST", "/api/v1/stars", "", map[string]string{"Origin": proxyOrigin}, `{"ref": "component:default/a", "on": true}`, 200, "{}"},
		{"proxy: same-origin write", "proxy", "POST", "/api/v1/stars", "", map[string]string{"Origin": proxyOrigin, "Sec-Fetch-Site": "same-origin"}, `{"ref": "component:default/a", "on": true}`, 200, "{}"},
		{"proxy: cross-origin write", "proxy", "POST", "/api/v1/stars", "", map[string]string{"Origin": "https://evil.example"}, `{"ref": "component:default/a", "on": true}`, 403, ""},
		{"proxy: cross-site read", "proxy", "GET", "/api/v1/info", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, "", 403, "from another site is refused"},
		{"proxy: socket alias", "proxy", "GET", "/api/v1/info", "callboard", nil, "", 403, "is not a loopback address"},
		{"proxy: busy", "proxy", "GET", "/api/v1/entities/component%3Adefault%2Fa/history", "", nil, "", 503, "already running"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, url := http.DefaultClient, tcp+tt.path
			switch tt.via {
			case "unix":
				c, url = portaltest.SocketClient(sock), tt.path
			case "proxy":
				url = proxy + tt.path
			}
			status, header, body := do(t, c, tt.method, url, tt.host, tt.header, tt.body)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("%s %s = %d %s; want %d containing %q", tt.method, tt.path, status, body, tt.status, tt.want)
			}
			if status == 503 && header.Get("Retry-After") == "" {
				t.Error("busy without Retry-After")
			}
		})
	}
}

// TestSlowBody: a client that sends headers and part of a body, then
// stalls, is cut off after BodyTimeout, and the event stream, whose
// request never ends, lives on past it.
func TestSlowBody(t *testing.T) {
	t.Parallel()
	l := portaltest.Demo(t)
	base := portaltest.Loopback(t, httpapi.New(l.Service, httpapi.Options{BodyTimeout: 200 * time.Millisecond, LoopbackOnly: true, Log: quiet}))
	addr := strings.TrimPrefix(base, "http://")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lines := openEvents(t, ctx, base+"/api/v1/events")

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/stars HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ref\": ", addr)
	// Far longer than BodyTimeout: without a deadline on the body, the
	// server would still be waiting when this one ends.
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the server still waits for a body that never comes")
		}
		// The connection was closed without an answer: cut off too.
	} else {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("stalled body answered %d, want 400", resp.StatusCode)
		}
	}

	// BodyTimeout has passed since the stream began; it still streams.
	l.Bus.Emit(ctx, events.CatalogChanged, events.SyncResultData{LocationID: "demo"})
	for {
		line, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream ended: %v", err)
		}
		if strings.HasPrefix(line, "event: ") {
			if line != "event: catalog:changed\n" {
				t.Errorf("event %q", line)
			}
			break
		}
	}

	// A body that arrives in time is read whole, and the handler is not
	// cut off for it.
	status, _, body := do(t, http.DefaultClient, "POST", base+"/api/v1/stars", "", nil, `{"ref": "component:default/a", "on": true}`)
	if status != 200 {
		t.Errorf("star = %d %s", status, body)
	}
}
