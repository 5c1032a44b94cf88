package httpapi

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

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
