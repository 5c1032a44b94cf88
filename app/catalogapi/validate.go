package catalogapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/callboard/callboard/app/catalog"
)

// validateEntity answers POST /validate-entity: the entity is processed
// as Callboard processes a catalog file (the verdicts the conformance
// suite holds to Backstage's), 200 when accepted, else 400 with every
// error in Backstage's `{errors: [{name, message}]}`.
func (h *Handler) validateEntity(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Entity   json.RawMessage `json:"entity"`
		Location *string         `json:"location"`
	}
	refuse := func(name, msg string) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []map[string]string{{"name": name, "message": msg}}})
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil || in.Location == nil {
		refuse("InputError", "request/body must have required property 'location'")
		return
	}
	typ, target, ok := strings.Cut(*in.Location, ":")
	if !ok || target == "" {
		refuse("TypeError", "Unable to parse location ref '"+*in.Location+"', expected '<type>:<target>', e.g. 'url:https://host/path'")
		return
	}
	if typ != "url" {
		refuse("TypeError", "Invalid location ref "+*in.Location+", only 'url:<target>' is supported, e.g. url:https://host/path")
		return
	}
	if len(in.Entity) == 0 || in.Entity[0] != '{' {
		refuse("TypeError", "Expected object at root of entity")
		return
	}
	res := catalog.Process(r.Context(), catalog.MapFiles{"entity.yaml": string(in.Entity)},
		catalog.Options{LocationRef: func(string) string { return *in.Location }}, "entity.yaml")
	if len(res.Errors) > 0 {
		errs := make([]map[string]string, len(res.Errors))
		for i, e := range res.Errors {
			msg := e.Message
			if e.Field != "" {
				msg = e.Field + ": " + msg
			}
			errs[i] = map[string]string{"name": "InputError", "message": msg}
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": errs})
		return
	}
	w.WriteHeader(http.StatusOK)
}
