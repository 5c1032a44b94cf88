package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/portal"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test
// reads, and that a test can wait on.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed at the next write
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written != nil {
		close(b.written)
		b.written = nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// await returns re's first match (and its groups) once the command has
// written it, waking at each write; nil if a minute passes without it.
func (b *syncBuffer) await(re *regexp.Regexp) []string {
	giveUp := time.After(time.Minute)
	for {
		b.mu.Lock()
		m := re.FindStringSubmatch(b.buf.String())
		if b.written == nil {
			b.written = make(chan struct{})
		}
		written := b.written
		b.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-written:
		case <-giveUp:
			return nil
		}
	}
}

// fakeWindow stands in for the Wails window: Run closes running, when
// set, and blocks until ctx ends.
type fakeWindow struct {
	focused atomic.Int32
	running chan struct{}
	opened  WindowOptions // as NewWindow was told
	// failed is what Env.StartFailed was given.
	failed []string

	mu        sync.Mutex
	navigated []string
}

func (w *fakeWindow) Run(ctx context.Context) error {
	if w.running != nil {
		close(w.running)
	}
	<-ctx.Done()
	return nil
}

func (w *fakeWindow) Focus(context.Context) error { w.focused.Add(1); return nil }

func (w *fakeWindow) Navigate(_ context.Context, route string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.navigated = append(w.navigated, route)
	return nil
}

type result struct {
	code           int
	stdout, stderr string
}

func run(ctx context.Context, env map[string]string, win *fakeWindow, args ...string) result {
	var out, errb syncBuffer
	return runTo(ctx, &out, &errb, env, win, args...)
}

func runTo(ctx context.Context, out, errb *syncBuffer, env map[string]string, win *fakeWindow, args ...string) result {
	e := Env{Build: buildinfo.Info{Version: "test"}, Stdout: out, Stderr: errb, Getenv: func(k string) string { return env[k] }}
	if win != nil {
		e.NewWindow = func(_ portal.API, _ *slog.Logger, o WindowOptions) Window { win.opened = o; return win }
		e.StartFailed = func(m string) { win.failed = append(win.failed, m) }
	}
	code := Main(ctx, args, e)
	return result{code, out.String(), errb.String()}
}

func TestUsageAndErrors(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		stdout string
		stderr string
	}{
		{name: "help", args: []string{"--help"}, code: 0, stdout: "callboard catalog validate PATH..."},
		{name: "help lists plugins", args: []string{"help"}, code: 0, stdout: "callboard plugins list"},
		{name: "a command's help", args: []string{"scaffold", "--help"}, code: 0, stdout: "Usage: callboard scaffold TEMPLATE --values FILE --out DIR [--dry-run] [--overwrite]\n\nRun a software template"},
		{name: "a command's help lists its flags", args: []string{"location", "add", "-h"}, code: 0, stdout: "  -branch string"},
		{name: "a group's help", args: []string{"catalog", "--help"}, code: 0, stdout: "callboard catalog get REF"},
		{name: "a group alone", args: []string{"outbox", "--help"}, code: 0, stdout: "Usage: callboard outbox\n"},
		{name: "a group without its subcommand", args: []string{"token"}, code: 2, stderr: "callboard: token needs a subcommand: set, status, remove; run callboard token --help\n"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderr: `callboard: unknown command "frobnicate"; run callboard --help for the list` + "\n"},
		{name: "unknown flag", args: []string{"catalog", "list", "--colour"}, code: 2, stderr: "callboard: catalog list: flag provided but not defined: -colour\n"},
		{name: "search without words", args: []string{"search"}, code: 2, stderr: "callboard: search takes the words to look for"},
		{name: "get without ref", args: []string{"catalog", "get"}, code: 2, stderr: "callboard: catalog get takes one entity ref, e.g. component:default/payments\n"},
		{name: "unwritable data dir", args: []string{"catalog", "list", "--data-dir", filepath.Join(file, "sub")}, code: 2, stderr: "callboard: data dir is not usable: " + filepath.Join(file, "sub") + ": not a directory\n"},
		{name: "window without display", args: []string{"--data-dir", t.TempDir()}, code: 2, stderr: "callboard: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); run callboard serve to use Callboard in a browser\n"},
		{name: "serve bad addr", args: []string{"serve", "--addr", "nonsense"}, code: 2, stderr: `callboard: --addr "nonsense" is not host:port`},
		{name: "version", args: []string{"version", "--json"}, code: 0, stdout: `"version": "test"`},
		{name: "--version", args: []string{"--version"}, code: 0, stdout: "callboard test\n"},
		{name: "--version as JSON", args: []string{"--version", "--json"}, code: 0, stdout: `"storeFormat": 0`},
		{name: "data dir", args: []string{"data-dir", "--data-dir", "/tmp/cb-data"}, code: 0, stdout: "/tmp/cb-data\n"},
		{name: "token set without a host", args: []string{"token", "set"}, code: 2, stderr: "callboard: token set takes one host"},
		{name: "token set with a URL", args: []string{"token", "set", "https://github.com/org"}, code: 2, stderr: "callboard: token set takes one host"},
		{name: "token set without stdin", args: []string{"token", "set", "github.com"}, code: 2, stderr: "callboard: token set reads the token from stdin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := run(context.Background(), tt.env, &fakeWindow{}, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.HasPrefix(r.stderr, tt.stderr) {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout with %q, stderr starting %q", r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestCatalogOnFreshDataDir(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	r := run(ctx, nil, nil, "catalog", "list", "--kind", "component", "--data-dir", dir, "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var list portal.EntityList
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	if list.Total < 20 || list.Items[0].Kind != "Component" {
		t.Fatalf("demo components: %d, first %+v", list.Total, list.Items[0])
	}
	ref := list.Items[0].Ref
	r = run(ctx, nil, nil, "catalog", "get", ref, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "kind: Component") {
		t.Errorf("catalog get %s: exit %d\n%s%s", ref, r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, nil, "catalog", "get", "component:default/no-such-thing", "--data-dir", dir)
	if r.code != 2 || !strings.Contains(r.stderr, "entity component:default/no-such-thing: not found") {
		t.Errorf("missing entity: exit %d: %s", r.code, r.stderr)
	}
	r = run(ctx, nil, nil, "location", "list", "--data-dir", dir)
	if r.code != 0 || !regexp.MustCompile(`demo\s+ok\s+\d+`).MatchString(r.stdout) {
		t.Errorf("location list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// startServe runs `serve` until the test ends and returns its base URL.
func startServe(t *testing.T, dir string) string {
	t.Helper()
	return startServeEnv(t, dir, nil)
}

func startServeEnv(t *testing.T, dir string, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan result, 1)
	go func() { done <- runTo(ctx, &out, &errb, env, nil, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir) }()
	t.Cleanup(func() {
		cancel()
		if r := <-done; r.code != 0 {
			t.Errorf("serve exited %d: %s", r.code, r.stderr)
		}
	})
	m := out.await(regexp.MustCompile(`http://127\.0\.0\.1:\d+/`))
	if m == nil {
		t.Fatalf("serve printed no address; stderr: %s", errb.String())
	}
	return m[0]
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// A running serve owns the store; the CLI and a second serve go through its socket.
func TestServeSharesTheDataDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base := startServe(t, dir)
	var info portal.Info
	getJSON(t, base+"api/v1/info", &info)
	if info.Mode != "serve" || info.DataDir != dir {
		t.Errorf("info = %+v", info)
	}

	r := run(context.Background(), nil, nil, "sync", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "demo") {
		t.Fatalf("sync through the socket: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(context.Background(), nil, nil, "catalog", "list", "--data-dir", dir)
	if r.code != 0 || strings.Count(r.stdout, "component:") < 20 {
		t.Errorf("catalog list through the socket: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	second := startServe(t, dir)
	var list portal.EntityList
	getJSON(t, second+"api/v1/entities?kind=api", &list)
	if list.Total < 5 {
		t.Errorf("second serve forwarded %d APIs", list.Total)
	}

	// The port of the first serve is taken: a clear error, exit 2.
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	r = run(context.Background(), nil, nil, "serve", "--addr", addr, "--data-dir", t.TempDir())
	if r.code != 2 || !strings.Contains(r.stderr, "cannot listen on "+addr+": address already in use") {
		t.Errorf("port in use: exit %d: %s", r.code, r.stderr)
	}
}

func TestServeOnAllInterfacesNeedsToken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan result, 1)
	go func() {
		done <- runTo(ctx, &out, &errb, nil, nil, "serve", "--addr", net.JoinHostPort("0.0.0.0", strconv.Itoa(port)), "--data-dir", t.TempDir())
	}()
	defer func() { cancel(); <-done }()
	// An address a browser can open, not the wildcard [::]:port.
	re := regexp.MustCompile(`serving http://127\.0\.0\.1:` + strconv.Itoa(port) + `/\?token=([\w-]+)`)
	var token string
	if m := out.await(re); m != nil {
		token = m[1]
	}
	if len(token) < 20 {
		t.Fatalf("no generated token printed: %s %s", out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "warning: listening on every network interface (port "+strconv.Itoa(port)+")") {
		t.Errorf("no warning that it listens beyond loopback: %s", out.String())
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/api/v1/info"
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("without token: %d", resp.StatusCode)
	}
	var info portal.Info
	getJSON(t, url+"?token="+token, &info)
}

func TestReachAt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr       net.Addr
		want       string
		everywhere bool
	}{
		{&net.TCPAddr{IP: net.IPv4zero, Port: 7007}, "127.0.0.1:7007", true},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 7007}, "127.0.0.1:7007", true},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 7007}, "127.0.0.1:7007", false},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 7007}, "[::1]:7007", false},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 5), Port: 80}, "192.168.1.5:80", false},
	}
	for _, tt := range tests {
		if got, everywhere := reachAt(tt.addr); got != tt.want || everywhere != tt.everywhere {
			t.Errorf("reachAt(%v) = %q, %v; want %q, %v", tt.addr, got, everywhere, tt.want, tt.everywhere)
		}
	}
}

func TestSecondWindowFocusesTheFirst(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"DISPLAY": ":99"}
	first := &fakeWindow{running: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- run(ctx, env, first, "--data-dir", dir) }()
	defer func() {
		cancel()
		if r := <-done; r.code != 0 {
			t.Errorf("first window exited %d: %s", r.code, r.stderr)
		}
	}()
	// The window opens once the socket serves.
	select {
	case <-first.running:
	case <-time.After(time.Minute):
		t.Fatal("the first window never opened")
	}
	fi, err := os.Stat(filepath.Join(dir, "callboard.sock"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want 0600", fi.Mode().Perm())
	}
	r := run(context.Background(), env, &fakeWindow{}, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "brought its window to the front") || first.focused.Load() != 1 {
		t.Errorf("second window: exit %d, focused %d\n%s%s", r.code, first.focused.Load(), r.stdout, r.stderr)
	}
}
