package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/callboard/callboard/app/catalogapi"
	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/instance"
)

func (r *runner) serve(ctx context.Context, args []string) error {
	fs := r.flags("serve")
	addr := fs.String("addr", "127.0.0.1:7007", "address to listen on")
	token := fs.String("token", "", "token every request must carry (generated when --addr is not loopback)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	return r.serveHTTP(ctx, *addr, *token, "")
}

// serveHTTP serves the UI and the API at addr; the URL printed opens
// route ("" for Home).
func (r *runner) serveHTTP(ctx context.Context, addr, token, route string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--addr %q is not host:port: %v", addr, err)
	}
	loopback := httpapi.IsLoopback(host)
	if !loopback && token == "" {
		token = newToken()
	}
	log := r.logger(slog.LevelInfo)
	if a := r.env.Getenv("CALLBOARD_PPROF"); a != "" {
		_, stop, err := servePprof(ctx, a, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v; is another program using it? pick another with --addr", addr, errors.Unwrap(errors.Unwrap(err)))
	}
	defer ln.Close()
	r.longRunningGC()
	conn, err := r.connect(ctx, "serve", log)
	if err != nil {
		return err
	}
	defer conn.Close()

	local, everywhere := reachAt(ln.Addr())
	url := "http://" + local + "/"
	if token != "" {
		url += "?token=" + token
	}
	opts := httpapi.Options{UI: r.env.UI, Token: token, LoopbackOnly: token == "", Log: log}
	var h http.Handler
	if conn.local != nil {
		opts.Catalog = conn.catalogAPI(log)
		h = httpapi.New(conn.api, opts)
		// A link opened while only serve runs is answered with its page's
		// URL, for the browser; the socket is the user's own, like the token.
		pageURL := func(_ context.Context, route string) (string, error) { return url + "#" + route, nil }
		// The notification centre fills while serve runs too; nothing is
		// shown on the desktop.
		if err := conn.local.Service.WatchNotifications(nil); err != nil {
			log.Warn("watch for notifications", "err", err)
		}
		if err := r.serveSocket(conn, nil, pageURL, log); err != nil {
			return err
		}
	} else {
		log.Info("another instance owns the data dir; forwarding the API to it", "dataDir", conn.root)
		h = httpapi.NewProxy(instance.PathsOf(conn.root).Socket, opts)
	}
	if route != "" {
		fmt.Fprintf(r.env.Stdout, "Callboard %s is serving %s\n", r.env.Build.Version, url+"#"+route)
	} else {
		fmt.Fprintf(r.env.Stdout, "Callboard %s is serving %s\n", r.env.Build.Version, url)
	}
	switch {
	case everywhere:
		fmt.Fprintf(r.env.Stdout, "warning: listening on every network interface (port %d): other machines can reach it at this machine's addresses, with the token\n", ln.Addr().(*net.TCPAddr).AddrPort().Port())
	case !loopback:
		fmt.Fprintf(r.env.Stdout, "warning: listening on %s, beyond loopback: other machines can reach it, with the token\n", local)
	}
	fmt.Fprintf(r.env.Stdout, "data dir: %s (Ctrl-C stops)\n", conn.root)
	return runServer(ctx, httpapi.NewServer(h), ln)
}

// catalogAPI is the instance's Backstage catalog API (/api/catalog).
func (c *connection) catalogAPI(log *slog.Logger) http.Handler {
	if c.catalog == nil {
		c.catalog = catalogapi.New(c.local.DB, catalogapi.Options{Index: c.local.Fields, Locations: catalogapi.PortalLocations(c.api), Repos: c.local.Fetches, Log: log})
	}
	return c.catalog
}

// serveSocket serves the portal on the data dir's socket for other
// processes (the CLI, a second serve or window; focus and open, when not
// nil, show the window or a page) and starts the instance's
// workers: the scheduler that keeps every location fresh
// (CALLBOARD_SYNC_INTERVAL, else as chosen in Settings) and the catalog
// table. The instance owns them all: closing it stops them.
func (r *runner) serveSocket(conn *connection, focus func(context.Context) error, open func(ctx context.Context, route string) (string, error), log *slog.Logger) error {
	var interval time.Duration
	if v := r.env.Getenv("CALLBOARD_SYNC_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return usagef("CALLBOARD_SYNC_INTERVAL=%q: want a duration of at least 1s, e.g. 5m", v)
		}
		interval = d
	}
	ln, err := conn.local.Listen()
	if err != nil {
		return err
	}
	srv := httpapi.NewServer(httpapi.New(conn.api, httpapi.Options{Focus: focus, Open: open, LoopbackOnly: true, Catalog: conn.catalogAPI(log), Log: log}))
	err = conn.local.Go("socket server", func(ctx context.Context) {
		if err := runServer(ctx, srv, ln); err != nil {
			log.Error("socket server stopped", "err", err)
		}
	})
	if err != nil {
		ln.Close()
		return err
	}
	return conn.local.Start(interval)
}

// runServer serves until ctx ends, then shuts down gracefully (requests
// under way get 5 s to finish), and returns once Serve has returned.
func runServer(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	<-errc // http.ErrServerClosed, at once
	return nil
}

// reachAt is the host:port a browser on this machine opens for a server
// listening at addr; everywhere is set when addr is a wildcard address
// (0.0.0.0 is reported as [::]), which no browser can open.
func reachAt(addr net.Addr) (hostport string, everywhere bool) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String(), false
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port)), true
}

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// longRunningGC collects the heap at half its live size of garbage instead
// of Go's default, as much again, for the processes that hold the catalog
// table for hours (serve, the window): at 100,000 entities the heap would
// otherwise grow from 88 MB live towards 176 MB between collections, which
// is what its RSS drifts up to (issue 20). A GOGC the user set wins.
func (r *runner) longRunningGC() {
	if r.env.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
}

// syncMemory is the soft limit of a standalone sync's memory
// (syncMemoryLimit).
const syncMemory = 320 << 20

// syncMemoryLimit softly bounds the Go memory of `callboard sync` and
// `callboard location add` (a location's first sync). It binds
// only where the heap would outgrow it, a first sync of about 100,000
// entities or more: there the collector runs more often instead of
// letting the heap reach 1.5 times what is live (peak RSS 584-615 MiB
// without the limit, 409-410 with it, for 15-26% more CPU;
// BENCHMARKS.md, issue 20). Where what is live exceeds it, Go caps the
// collector at half the CPU, so a larger catalog syncs slower, never
// fails. Not for serve or the window, which hold the catalog's listing
// for hours. A GOMEMLIMIT the user set wins.
func (r *runner) syncMemoryLimit() {
	if r.env.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(syncMemory)
	}
}
