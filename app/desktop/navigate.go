package desktop

import (
	"sync"
	"time"
)

// navigateEvent tells the page a route waits for it (Bridge.TakeRoute).
// It is the window's own, sent through Wails' events alone: no other
// front end navigates, so it is not among the portal's events.
const navigateEvent = "window:navigate"

// Until the page takes a route, Navigate tells it again every
// nudgeEvery, for at most nudgeFor: a page busy or reloading when the
// first event came still gets the route, and the caller learns whether
// the window went there.
const (
	nudgeEvery = time.Second
	nudgeFor   = 10 * time.Second
)

// routes holds the route the window was last asked to show until the
// page takes it: the link that started the window, or one forwarded
// before the page listened, still arrives.
type routes struct {
	mu      sync.Mutex
	pending *request
}

// request is one route asked for; done is closed when the page has taken
// it (shown) or a later route replaced it.
type request struct {
	route string
	done  chan struct{}
	shown bool
}

// set makes route the pending one.
func (r *routes) set(route string) *request {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending != nil {
		close(r.pending.done)
	}
	r.pending = &request{route: route, done: make(chan struct{})}
	return r.pending
}

// take returns the pending route, once; "" when there is none.
func (r *routes) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	req := r.pending
	if req == nil {
		return ""
	}
	r.pending = nil
	req.shown = true
	close(req.done)
	return req.route
}

// wasShown says whether the page took req rather than a later route
// replacing it; only once req.done is closed.
func (r *routes) wasShown(req *request) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return req.shown
}
