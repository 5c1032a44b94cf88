package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"

	"github.com/callboard/callboard/app/httpapi"
)

// servePprof serves Go's profiles (heap, CPU, goroutines) at addr, a
// loopback address from CALLBOARD_PPROF, for measuring a running serve; it
// returns the address it listens at and a function that stops it and waits. Profiles show what the
// process holds, so they are never served beyond loopback.
func servePprof(ctx context.Context, addr string, log *slog.Logger) (at net.Addr, stop func(), err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !httpapi.IsLoopback(host) {
		return nil, nil, usagef("CALLBOARD_PPROF=%q: want a loopback host:port, e.g. 127.0.0.1:6060", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen for profiles on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := runServer(ctx, httpapi.NewServer(mux), ln); err != nil {
			log.Error("profile server stopped", "err", err)
		}
	}()
	log.Info("serving profiles", "addr", ln.Addr().String())
	return ln.Addr(), func() { cancel(); <-done }, nil
}
