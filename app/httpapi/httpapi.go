package httpapi

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/callboard/callboard/app/deeplink"
	"github.com/callboard/callboard/app/portal"
)

// Options configure the handler.
type Options struct {
	// UI holds the built frontend (index.html at its root); nil serves the API only.
	UI fs.FS
	// Token, when set, is required on every request: as a bearer token, a
	// token query parameter (which also sets a cookie for the page's assets),
	// or that cookie.
	Token string
	// LoopbackOnly refuses requests whose Host is not a loopback name, so a
	// web page cannot reach the API through DNS rebinding.
	LoopbackOnly bool
	// Focus brings the desktop window to the front; nil means there is none.
	Focus func(ctx context.Context) error
	// Open shows the page of a UI route (a callboard:// link's, read by
	// the handler): in the desktop window, returning "", or, when this
	// instance has no window but serves a browser, returning the page's
	// http URL. nil means neither.
	Open func(ctx context.Context, route string) (url string, err error)
	// Catalog, when set, serves Backstage's catalog API under
	// /api/catalog (app/catalogapi), behind the same guard.
	Catalog http.Handler
	// BodyTimeout bounds reading a request's body (60 s when zero), so a
	// client that never finishes its body does not hold its connection.
	BodyTimeout time.Duration
	Log         *slog.Logger
}

const tokenCookie = "callboard_token"

// New returns the handler serving api.
func New(api portal.API, opts Options) http.Handler {
	h := &handler{api: api, opts: opts, log: opts.Log.With("component", "httpapi")}
	mux := http.NewServeMux()
	h.routes(mux)
	mux.HandleFunc("POST /api/v1/window/focus", h.focus)
	mux.HandleFunc("POST /api/v1/window/open", h.open)
	if opts.Catalog != nil {
		mux.Handle("/api/catalog/", http.StripPrefix("/api/catalog", opts.Catalog))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		refuse(w, http.StatusNotFound, portal.CodeNotFound, fmt.Sprintf("no API endpoint %s %s", r.Method, r.URL.Path))
	})
	if opts.UI != nil {
		mux.Handle("/", static(opts.UI))
	}
	return h.guard(mux)
}

type handler struct {
	api  portal.API
	opts Options
	log  *slog.Logger
}

func (h *handler) focus(w http.ResponseWriter, r *http.Request) {
	if h.opts.Focus == nil {
		refuse(w, http.StatusConflict, portal.CodeConflict, "this instance has no window")
		return
	}
	h.reply(w, struct{}{}, h.opts.Focus(r.Context()))
}

// OpenRequest is the body of POST /api/v1/window/open: the link to open.
// The instance that shows it reads the link, so a window opens the pages
// of its own version whatever version of the CLI forwarded it.
type OpenRequest struct {
	Link string `json:"link"`
}

// Opened answers POST /api/v1/window/open: URL is where a browser shows
// the page, empty when the window shows it.
type Opened struct {
	URL string `json:"url"`
}

func (h *handler) open(w http.ResponseWriter, r *http.Request) {
	if h.opts.Open == nil {
		refuse(w, http.StatusConflict, portal.CodeConflict, "this instance has no window")
		return
	}
	var req OpenRequest
	if !h.decode(w, r, &req, 16<<10, `{"link": "callboard://…"}`) {
		return
	}
	route, err := deeplink.Route(req.Link)
	if err != nil {
		refuse(w, http.StatusBadRequest, portal.CodeInvalid, err.Error())
		return
	}
	url, err := h.opts.Open(r.Context(), route)
	h.reply(w, Opened{URL: url}, err)
}
