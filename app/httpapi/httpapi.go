package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/callboard/callboard/app/events"
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
	// Events feeds GET /api/v1/events; nil disables it.
	Events *events.Bus
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
	mux.HandleFunc("GET /api/v1/info", h.info)
	mux.HandleFunc("GET /api/v1/entities", h.listEntities)
	mux.HandleFunc("GET /api/v1/entities/{kind}/{namespace}/{name}", h.getEntity)
	mux.HandleFunc("GET /api/v1/locations", h.listLocations)
	mux.HandleFunc("POST /api/v1/locations", h.addLocation)
	mux.HandleFunc("DELETE /api/v1/locations/{id}", h.removeLocation)
	mux.HandleFunc("GET /api/v1/locations/{id}/file", h.readFile)
	mux.HandleFunc("PUT /api/v1/locations/{id}/file", h.writeFile)
	mux.HandleFunc("GET /api/v1/outbox", h.outbox)
	mux.HandleFunc("POST /api/v1/outbox/resolve", h.resolve)
	mux.HandleFunc("GET /api/v1/me", h.userState)
	mux.HandleFunc("GET /api/v1/graph", h.graph)
	mux.HandleFunc("GET /api/v1/search", h.search)
	mux.HandleFunc("GET /api/v1/docs", h.listDocs)
	mux.HandleFunc("GET /api/v1/docs/{kind}/{namespace}/{name}", h.docs)
	mux.HandleFunc("GET /api/v1/docs/{kind}/{namespace}/{name}/page", h.docsPage)
	mux.HandleFunc("GET /api/v1/entities/{kind}/{namespace}/{name}/history", h.history)
	mux.HandleFunc("POST /api/v1/stars", h.setStar)
	mux.HandleFunc("POST /api/v1/visits", h.visit)
	mux.HandleFunc("POST /api/v1/frontend-errors", h.frontendError)
	mux.HandleFunc("POST /api/v1/open", h.open)
	mux.HandleFunc("GET /api/v1/templates", h.template)
	mux.HandleFunc("GET /api/v1/runs", h.runs)
	mux.HandleFunc("POST /api/v1/runs", h.scaffold)
	mux.HandleFunc("GET /api/v1/runs/{id}", h.run)
	mux.HandleFunc("POST /api/v1/runs/{id}/cancel", h.cancelRun)
	mux.HandleFunc("GET /api/v1/plugins", h.plugins)
	mux.HandleFunc("PUT /api/v1/plugins/{name}", h.setPlugin)
	mux.HandleFunc("GET /api/v1/plugins/{name}/log", h.pluginLog)
	mux.HandleFunc("GET /api/v1/entities/{kind}/{namespace}/{name}/plugins", h.entityPlugins)
	mux.HandleFunc("GET /api/v1/settings", h.settings)
	mux.HandleFunc("PUT /api/v1/settings", h.updateSettings)
	mux.HandleFunc("POST /api/v1/sync", h.sync)
	mux.HandleFunc("GET /api/v1/events", h.events)
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

func (h *handler) info(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.Info(r.Context())
	h.reply(w, v, err)
}

func (h *handler) listEntities(w http.ResponseWriter, r *http.Request) {
	query, err := portal.ParseEntityQuery(r.URL.Query())
	if err != nil {
		h.reply(w, nil, err)
		return
	}
	v, err := h.api.ListEntities(r.Context(), query)
	h.reply(w, v, err)
}

func (h *handler) listDocs(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.ListDocs(r.Context())
	h.reply(w, v, err)
}

func pathRef(r *http.Request) string {
	return r.PathValue("kind") + ":" + r.PathValue("namespace") + "/" + r.PathValue("name")
}

func (h *handler) docs(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.Docs(r.Context(), pathRef(r))
	h.reply(w, v, err)
}

func (h *handler) docsPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.DocsPage(r.Context(), pathRef(r), r.URL.Query().Get("path"))
	h.reply(w, v, err)
}

func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	q, err := portal.ParseSearchQuery(r.URL.Query())
	if err != nil {
		h.reply(w, nil, err)
		return
	}
	v, err := h.api.Search(r.Context(), q)
	h.reply(w, v, err)
}

func (h *handler) graph(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Query()
	q := portal.GraphQuery{Ref: p.Get("ref"), Types: p["type"], Direction: p.Get("direction")}
	if d := p.Get("depth"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			refuse(w, http.StatusBadRequest, portal.CodeInvalid, fmt.Sprintf("depth %q is not a number", d))
			return
		}
		q.Depth = n
	}
	v, err := h.api.Graph(r.Context(), q)
	h.reply(w, v, err)
}

func (h *handler) history(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("kind") + ":" + r.PathValue("namespace") + "/" + r.PathValue("name")
	limit := 0
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			refuse(w, http.StatusBadRequest, portal.CodeInvalid, fmt.Sprintf("limit %q is not a non-negative number", l))
			return
		}
		limit = n
	}
	v, err := h.api.History(r.Context(), ref, limit)
	h.reply(w, v, err)
}

func (h *handler) userState(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.UserState(r.Context())
	h.reply(w, v, err)
}

// Star stars or unstars an entity.
type starRequest struct {
	Ref string `json:"ref"`
	On  bool   `json:"on"`
}

func (h *handler) setStar(w http.ResponseWriter, r *http.Request) {
	var in starRequest
	if !decodeBody(w, r, &in, `a star is {"ref", "on"}`) {
		return
	}
	h.reply(w, struct{}{}, h.api.SetStar(r.Context(), in.Ref, in.On))
}

func (h *handler) template(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.Template(r.Context(), r.URL.Query().Get("ref"))
	h.reply(w, v, err)
}

func (h *handler) runs(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.ScaffoldRuns(r.Context())
	h.reply(w, v, err)
}

func (h *handler) run(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.ScaffoldRun(r.Context(), r.PathValue("id"))
	h.reply(w, v, err)
}

func (h *handler) cancelRun(w http.ResponseWriter, r *http.Request) {
	h.reply(w, struct{}{}, h.api.CancelScaffold(r.Context(), r.PathValue("id")))
}

func (h *handler) scaffold(w http.ResponseWriter, r *http.Request) {
	var in portal.ScaffoldRequest
	if !decodeBodyMax(w, r, &in, `a run is {"template", "values", "secrets", "target", "dryRun", "overwrite"}`, 4<<20) {
		return
	}
	v, err := h.api.Scaffold(r.Context(), in)
	h.reply(w, v, err)
}

func (h *handler) open(w http.ResponseWriter, r *http.Request) {
	var in portal.OpenRequest
	if !decodeBody(w, r, &in, `an open request is {"path", "with": "editor"|"folder"|"terminal"}`) {
		return
	}
	h.reply(w, struct{}{}, h.api.Open(r.Context(), in))
}

func (h *handler) visit(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Ref string `json:"ref"`
	}
	if !decodeBody(w, r, &in, `a visit is {"ref"}`) {
		return
	}
	h.reply(w, struct{}{}, h.api.Visit(r.Context(), in.Ref))
}

func (h *handler) frontendError(w http.ResponseWriter, r *http.Request) {
	var in portal.FrontendError
	if !decodeBody(w, r, &in, `a frontend error is {"kind", "route", "where", "message", "stack"}`) {
		return
	}
	h.reply(w, struct{}{}, h.api.ReportFrontendError(r.Context(), in))
}

func (h *handler) getEntity(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("kind") + ":" + r.PathValue("namespace") + "/" + r.PathValue("name")
	v, err := h.api.GetEntity(r.Context(), ref)
	h.reply(w, v, err)
}

func (h *handler) listLocations(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.ListLocations(r.Context())
	h.reply(w, v, err)
}

// decodeBody reads a JSON request body of at most 64 KiB into v, refusing
// unknown fields; on failure it replies 400 saying the expected shape.
func decodeBody(w http.ResponseWriter, r *http.Request, v any, shape string) bool {
	return decodeBodyMax(w, r, v, shape, 64<<10)
}

// decodeBodyMax is decodeBody for bodies of up to limit bytes.
func decodeBodyMax(w http.ResponseWriter, r *http.Request, v any, shape string, limit int64) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		refuse(w, http.StatusBadRequest, portal.CodeInvalid, fmt.Sprintf("%s: %v", shape, err))
		return false
	}
	return true
}

func (h *handler) addLocation(w http.ResponseWriter, r *http.Request) {
	var in portal.NewLocation
	if !decodeBody(w, r, &in, `a location is {"url", "branch", "path"}`) {
		return
	}
	v, err := h.api.AddLocation(r.Context(), in)
	h.reply(w, v, err)
}

func (h *handler) removeLocation(w http.ResponseWriter, r *http.Request) {
	h.reply(w, struct{}{}, h.api.RemoveLocation(r.Context(), r.PathValue("id")))
}

func (h *handler) readFile(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.ReadFile(r.Context(), r.PathValue("id"), r.URL.Query().Get("path"))
	h.reply(w, v, err)
}

func (h *handler) writeFile(w http.ResponseWriter, r *http.Request) {
	var in portal.FileWrite
	// A catalog file may be as large as the catalog reads: 10 MB, JSON-escaped.
	if !decodeBodyMax(w, r, &in, `a write is {"path", "content", "delete", "message"}`, 24<<20) {
		return
	}
	if in.LocationID != "" && in.LocationID != r.PathValue("id") {
		refuse(w, http.StatusBadRequest, portal.CodeInvalid, fmt.Sprintf("the body names location %q, the URL %q", in.LocationID, r.PathValue("id")))
		return
	}
	in.LocationID = r.PathValue("id")
	v, err := h.api.WriteFile(r.Context(), in)
	h.reply(w, v, err)
}

func (h *handler) outbox(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.Outbox(r.Context())
	h.reply(w, v, err)
}

func (h *handler) resolve(w http.ResponseWriter, r *http.Request) {
	var in portal.Resolution
	if !decodeBody(w, r, &in, `a resolution is {"id", "keep": "mine"|"theirs"}`) {
		return
	}
	h.reply(w, struct{}{}, h.api.ResolveConflict(r.Context(), in.ID, in.Keep))
}

func (h *handler) plugins(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.Plugins(r.Context())
	h.reply(w, v, err)
}

func (h *handler) setPlugin(w http.ResponseWriter, r *http.Request) {
	var in portal.PluginSettings
	if !decodeBody(w, r, &in, `plugin settings are {"enabled", "values", "secrets"}`) {
		return
	}
	in.Name = r.PathValue("name")
	v, err := h.api.SetPlugin(r.Context(), in)
	h.reply(w, v, err)
}

func (h *handler) pluginLog(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.PluginLog(r.Context(), r.PathValue("name"))
	h.reply(w, v, err)
}

func (h *handler) entityPlugins(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("kind") + ":" + r.PathValue("namespace") + "/" + r.PathValue("name")
	v, err := h.api.EntityPlugins(r.Context(), ref)
	h.reply(w, v, err)
}

func (h *handler) settings(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.Settings(r.Context())
	h.reply(w, v, err)
}

func (h *handler) updateSettings(w http.ResponseWriter, r *http.Request) {
	var in portal.Settings
	if !decodeBody(w, r, &in, `settings are {"syncIntervalMinutes"}`) {
		return
	}
	v, err := h.api.UpdateSettings(r.Context(), in)
	h.reply(w, v, err)
}

func (h *handler) sync(w http.ResponseWriter, r *http.Request) {
	v, err := h.api.Sync(r.Context(), r.URL.Query().Get("location"))
	h.reply(w, v, err)
}

func (h *handler) focus(w http.ResponseWriter, r *http.Request) {
	if h.opts.Focus == nil {
		refuse(w, http.StatusConflict, portal.CodeConflict, "this instance has no window")
		return
	}
	h.reply(w, struct{}{}, h.opts.Focus(r.Context()))
}

// events streams the portal's events until the client goes away.
func (h *handler) events(w http.ResponseWriter, r *http.Request) {
	if h.opts.Events == nil {
		refuse(w, http.StatusNotFound, portal.CodeNotFound, "this instance has no event stream")
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch, cancel := h.opts.Events.Subscribe()
	defer cancel()
	fmt.Fprint(w, ": connected\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	keepalive := time.NewTicker(25 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepalive.C:
			fmt.Fprint(w, ": keepalive\n\n")
		case ev := <-ch:
			data, err := json.Marshal(ev.Data)
			if err != nil {
				h.log.Error("encode event", "event", ev.Name, "err", err)
				continue
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Name, data)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
