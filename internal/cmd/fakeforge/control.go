package main

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"

	"github.com/callboard/callboard/internal/fakehost"
	"github.com/callboard/callboard/sync/discover/forgetest"
)

// control is what the e2e asks of the forge as its people would: list
// the pull requests opened, and merge one as a reviewer does.
type control struct {
	h   *fakehost.Host
	srv *forgetest.Server
}

// serveControl serves c on a loopback port of its own, apart from the
// forge's API so that the client under test can never reach it by
// accident; it returns the base URL.
func serveControl(h *fakehost.Host, srv *forgetest.Server) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.Fatalf("control listener: %v", err)
	}
	hs := &http.Server{Handler: (&control{h: h, srv: srv}).mux()}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.Logf("control server: %v", err)
		}
	}()
	h.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}

func (c *control) mux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pulls", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, c.srv.PullRequests())
	})
	mux.HandleFunc("POST /merge", c.merge)
	return mux
}

// merge merges the open pull request ?number=N: a merge commit on its
// base branch in the bare repository, and the pull request merged.
func (c *control) merge(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("number"))
	pulls := c.srv.PullRequests()
	switch {
	case err != nil || n < 1 || n > len(pulls):
		reply(w, http.StatusNotFound, map[string]string{"message": "no pull request " + r.URL.Query().Get("number")})
		return
	case pulls[n-1].State != "open":
		reply(w, http.StatusConflict, map[string]string{"message": "pull request " + strconv.Itoa(n) + " is " + pulls[n-1].State})
		return
	}
	// Merge reports a failed git command through the host's Fatal, which
	// panics: answered here rather than ending the forge.
	defer func() {
		if p := recover(); p != nil {
			if _, failed := p.(fakehost.Failed); !failed {
				panic(p)
			}
			reply(w, http.StatusInternalServerError, map[string]string{"message": "merge failed; see the forge's log"})
		}
	}()
	c.srv.Merge(c.h, n)
	c.h.Logf("merged pull request %d", n)
	reply(w, http.StatusOK, c.srv.PullRequests()[n-1])
}

func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
