package portaltest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal"
)

// Version is the version Demo's instance reports in Info.
const Version = "portaltest"

// Quiet is a logger that writes nothing.
var Quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Demo opens a local instance on a fresh data dir, as the app does (a
// real store, syncer, search index and event bus; no plugins, blind to
// the environment), with the demo organisation synced and listed. It
// closes when the test ends.
func Demo(t testing.TB) *instance.Local {
	t.Helper()
	ctx := context.Background()
	l, err := instance.Open(ctx, instance.Config{Root: t.TempDir(), Mode: "serve", Version: Version, Log: Quiet,
		Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close the instance: %v", err)
		}
	})
	if _, err := l.Service.Sync(ctx, portal.DemoLocationID); err != nil {
		t.Fatal(err)
	}
	if err := l.Service.RefreshListing(ctx); err != nil {
		t.Fatal(err)
	}
	l.Service.WaitForSearch()
	return l
}

// Serve serves h with httpapi.NewServer on ln until the test ends.
func Serve(t testing.TB, h http.Handler, ln net.Listener) {
	t.Helper()
	srv := httpapi.NewServer(h)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

// Loopback serves h on a loopback TCP port until the test ends and
// returns its base URL (http://127.0.0.1:port).
func Loopback(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	Serve(t, h, ln)
	return "http://" + ln.Addr().String()
}

// Socket serves h on a unix socket in a temporary folder until the test
// ends and returns the socket's path.
func Socket(t testing.TB, h http.Handler) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "s.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	Serve(t, h, ln)
	return sock
}

// SocketClient talks HTTP over the unix socket at path, as apiclient
// does; its requests may name any host (the socket's alias is callboard).
func SocketClient(path string) *http.Client {
	return &http.Client{Transport: apiclient.SocketTransport(path)}
}

// Client serves api on a unix socket as an instance does (loopback
// names only, the socket's alias allowed) and returns a client of it.
func Client(t testing.TB, api portal.API) *apiclient.Client {
	t.Helper()
	return apiclient.New(Socket(t, httpapi.New(api, httpapi.Options{LoopbackOnly: true, Log: Quiet})))
}
