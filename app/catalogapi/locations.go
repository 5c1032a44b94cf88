package catalogapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

func (h *Handler) listLocations(w http.ResponseWriter, r *http.Request) {
	locs, err := h.db.Locations(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]map[string]locationOut, len(locs))
	for i, l := range locs {
		out[i] = map[string]locationOut{"data": locationOf(l)}
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) getLocation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	locs, err := h.db.Locations(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, l := range locs {
		if l.ID == id {
			writeJSON(w, http.StatusOK, locationOf(l))
			return
		}
	}
	h.fail(w, r, notFound("Found no location with ID %s", id))
}

func (h *Handler) locationsError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrInvalid):
		h.fail(w, r, inputError("%s", err))
	case errors.Is(err, ErrNotFound):
		h.fail(w, r, notFound("%s", err))
	default:
		h.fail(w, r, err)
	}
}

func (h *Handler) noLocations(w http.ResponseWriter, r *http.Request) bool {
	if h.locs != nil {
		return false
	}
	h.fail(w, r, &apiError{http.StatusNotImplemented, "NotImplementedError", "this catalog does not manage locations"})
	return true
}

// addLocation registers a Callboard location for a Backstage location
// of type url (a repository, or a file in one); answers 201 with it.
func (h *Handler) addLocation(w http.ResponseWriter, r *http.Request) {
	if h.noLocations(w, r) {
		return
	}
	var in struct {
		Type   *string `json:"type"`
		Target *string `json:"target"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&in); err != nil {
		h.fail(w, r, inputError("request/body must be object"))
		return
	}
	if in.Type == nil || in.Target == nil {
		h.fail(w, r, inputError("request/body must have required property 'type' and 'target'"))
		return
	}
	if r.URL.Query().Get("dryRun") == "true" {
		writeJSON(w, http.StatusCreated, map[string]any{"location": locationOut{Type: *in.Type, Target: *in.Target}, "entities": []any{}, "exists": false})
		return
	}
	id, err := h.locs.Register(r.Context(), *in.Type, *in.Target)
	if err != nil {
		h.locationsError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"location": locationOut{ID: id, Type: *in.Type, Target: *in.Target}, "entities": []any{}})
}

func (h *Handler) removeLocation(w http.ResponseWriter, r *http.Request) {
	if h.noLocations(w, r) {
		return
	}
	if err := h.locs.Remove(r.Context(), r.PathValue("id")); err != nil {
		h.locationsError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// refresh syncs the location of the entity named in the body now.
func (h *Handler) refresh(w http.ResponseWriter, r *http.Request) {
	if h.noLocations(w, r) {
		return
	}
	var in struct {
		EntityRef string `json:"entityRef"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&in); err != nil || in.EntityRef == "" {
		h.fail(w, r, inputError("request/body must have required property 'entityRef'"))
		return
	}
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hit, ok := v.Get(strings.ToLower(in.EntityRef))
	if !ok {
		h.fail(w, r, notFound("No entity %s", in.EntityRef))
		return
	}
	if err := h.locs.Sync(r.Context(), hit.LocationID); err != nil {
		h.locationsError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}
