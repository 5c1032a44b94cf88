package catalogapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/callboard/callboard/app/catalogquery"
	"github.com/callboard/callboard/app/store"
)

// Store is what the API reads besides the index: entity records (valid
// only while fn runs; RecordsParallel calls fn from up to workers
// goroutines at once), and the locations. Errors are the store's.
type Store interface {
	catalogquery.Source
	Records(ctx context.Context, refs []store.RefAt, fn func(i int, record []byte) error) error
	RecordsParallel(ctx context.Context, refs []store.RefAt, workers int, fn func(w, i int, record []byte) error) error
}

// Locations registers, removes and syncs Callboard locations for POST
// and DELETE /locations and POST /refresh; nil answers them 501. Errors
// wrapping ErrInvalid or ErrNotFound answer 400 and 404.
type Locations interface {
	Register(ctx context.Context, typ, target string) (id string, err error)
	Remove(ctx context.Context, id string) error
	Sync(ctx context.Context, id string) error
}

// Errors a Locations implementation wraps.
var (
	ErrInvalid  = errors.New("invalid")
	ErrNotFound = errors.New("not found")
)

// Options configure the handler.
type Options struct {
	// Index is the field index to answer from (shared with the portal);
	// nil makes one over db.
	Index     *catalogquery.Index
	Locations Locations
	// Repos reads a repository the store does not hold for POST
	// /analyze-location; nil answers from the store alone.
	Repos RepoReader
	// UID gives an entity's metadata.uid from its ref; nil is
	// store.UID, stable across restarts.
	UID func(ref string) string
	Log *slog.Logger
}

// Handler serves Backstage's catalog API; mount it with its /api/catalog
// prefix stripped.
type Handler struct {
	db    Store
	index *catalogquery.Index
	locs  Locations
	repos RepoReader
	// analyses bounds the repositories read at once for analyses.
	analyses chan struct{}
	uid      func(ref string) string
	log      *slog.Logger
	mux      *http.ServeMux
	// answers keeps what by-refs answered, for the current view.
	answers answerCache
	// bufs keeps the buffers answers are rendered into.
	bufs bufferPool
}

// New returns the handler over db, with its own index of db's entities.
func New(db Store, opts Options) *Handler {
	log := opts.Log.With("component", "catalogapi")
	uid := opts.UID
	if uid == nil {
		uid = store.UID
	}
	idx := opts.Index
	if idx == nil {
		idx = catalogquery.New(db, uid, log)
	}
	h := &Handler{db: db, index: idx, locs: opts.Locations, repos: opts.Repos, analyses: make(chan struct{}, maxAnalyses), uid: uid, log: log, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /entities", h.entities)
	h.mux.HandleFunc("GET /entities/by-query", h.byQuery)
	h.mux.HandleFunc("POST /entities/by-query", h.byQuery)
	h.mux.HandleFunc("POST /entities/by-refs", h.byRefs)
	h.mux.HandleFunc("GET /entities/by-uid/{uid}", h.byUID)
	h.mux.HandleFunc("GET /entities/by-name/{kind}/{namespace}/{name}", h.byName)
	h.mux.HandleFunc("GET /entities/by-name/{kind}/{namespace}/{name}/ancestry", h.ancestry)
	h.mux.HandleFunc("GET /entity-facets", h.facets)
	h.mux.HandleFunc("GET /locations", h.listLocations)
	h.mux.HandleFunc("GET /locations/{id}", h.getLocation)
	h.mux.HandleFunc("POST /locations", h.addLocation)
	h.mux.HandleFunc("DELETE /locations/{id}", h.removeLocation)
	h.mux.HandleFunc("POST /refresh", h.refresh)
	h.mux.HandleFunc("POST /validate-entity", h.validateEntity)
	h.mux.HandleFunc("POST /analyze-location", h.analyzeLocation)
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// View refreshes the index from the store and returns it: a location
// whose Version changed since is indexed again.
func (h *Handler) View(ctx context.Context) (*catalogquery.View, error) {
	return h.index.Refresh(ctx)
}

// apiError is an error with Backstage's name for it.
type apiError struct {
	status int
	name   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func inputError(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, "InputError", fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &apiError{http.StatusNotFound, "NotFoundError", fmt.Sprintf(format, args...)}
}

// fail answers err in Backstage's error shape; an error without a name
// is a 500, logged, its text not shown.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		if errors.Is(err, catalogquery.ErrInvalid) {
			ae = &apiError{http.StatusBadRequest, "InputError", strings.TrimPrefix(err.Error(), catalogquery.ErrInvalid.Error()+": ")}
		} else {
			h.log.Error("catalog API request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			ae = &apiError{http.StatusInternalServerError, "Error", "internal error"}
		}
	}
	body := map[string]any{
		"error":    map[string]string{"name": ae.name, "message": ae.msg},
		"request":  map[string]string{"method": r.Method, "url": r.URL.RequestURI()},
		"response": map[string]int{"statusCode": ae.status},
	}
	writeJSON(w, ae.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // as JavaScript's JSON.stringify writes it
	_ = enc.Encode(v)
}

// intParam reads a non-negative integer query parameter, with the
// request validator's messages.
func intParam(r *http.Request, name string) (n int, ok bool, err error) {
	vs, present := r.URL.Query()[name]
	if !present {
		return 0, false, nil
	}
	v := vs[0]
	n, perr := strconv.Atoi(v)
	if perr != nil {
		if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && f < 0 {
			return 0, false, inputError("request/query/%s must be >= 0", name)
		}
		return 0, false, inputError("request/query/%s must be integer", name)
	}
	if n < 0 {
		return 0, false, inputError("request/query/%s must be >= 0", name)
	}
	return n, true, nil
}

// nonEmpty refuses a parameter given empty, as Backstage's validator does.
func nonEmpty(r *http.Request, names ...string) error {
	q := r.URL.Query()
	for _, n := range names {
		if vs, ok := q[n]; ok && len(vs) > 0 && vs[0] == "" {
			return inputError("Empty value found for query parameter '%s'", n)
		}
	}
	return nil
}

func (h *Handler) filter(r *http.Request) (*catalogquery.Filter, error) {
	return catalogquery.ParseFilters(r.URL.Query()["filter"])
}
