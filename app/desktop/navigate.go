package desktop

import "sync"

// navigateEvent tells the page a route waits for it (Bridge.TakeRoute).
// It is the window's own, sent through Wails' events alone: no other
// front end navigates, so it is not among the portal's events.
const navigateEvent = "window:navigate"

// routes holds the route the window was last asked to show until the
// page takes it: the link that started the window, or one forwarded
// before the page listened, still arrives.
type routes struct {
	mu      sync.Mutex
	pending string
}

func (r *routes) set(route string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = route
}

func (r *routes) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	route := r.pending
	r.pending = ""
	return route
}
