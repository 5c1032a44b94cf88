package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/wire"
)

// retryAfter is the Retry-After of a busy answer, in seconds: about when a
// slot of the same kind frees up.
const retryAfter = "5"

// statusCanceled is the status of a call whose client went away (nginx's
// 499): nobody reads it, but the log says what happened.
const statusCanceled = 499

// reply answers a call: v as JSON with empty lists and maps as [] and {},
// or err as the contract's error body.
func (h *handler) reply(w http.ResponseWriter, v any, err error) {
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, wire.Normalize(v))
}

// fail answers err as a portal.Error with the status of its code.
func (h *handler) fail(w http.ResponseWriter, err error) {
	e := portal.ErrorOf(err)
	switch {
	case errors.Is(err, portal.ErrBusy):
		w.Header().Set("Retry-After", retryAfter)
	case e.Code == portal.CodeInternal:
		h.log.Error("request failed", "err", err)
	}
	writeJSON(w, statusOf(e.Code), e)
}

// decode reads a call's JSON body of at most limit bytes into v, refusing
// unknown fields; an empty body leaves v as it is. On failure it answers
// invalid, saying the shape wanted.
func (h *handler) decode(w http.ResponseWriter, r *http.Request, v any, limit int64, shape string) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		refuse(w, http.StatusBadRequest, portal.CodeInvalid, fmt.Sprintf("the body is %s: %v", shape, err))
		return false
	}
	return true
}

// badRequest answers a query that does not decode.
func (h *handler) badRequest(w http.ResponseWriter, err error) {
	refuse(w, http.StatusBadRequest, portal.CodeInvalid, err.Error())
}

// refuse answers a request the handler itself turns down (a guard, an
// unknown endpoint) in the same shape as the portal's errors.
func refuse(w http.ResponseWriter, status int, code portal.ErrorCode, msg string) {
	writeJSON(w, status, &portal.Error{Code: code, Message: msg})
}

func statusOf(code portal.ErrorCode) int {
	switch code {
	case portal.CodeNotFound:
		return http.StatusNotFound
	case portal.CodeInvalid:
		return http.StatusBadRequest
	case portal.CodeConflict:
		return http.StatusConflict
	case portal.CodeUnavailable:
		return http.StatusServiceUnavailable
	case portal.CodeCanceled:
		return statusCanceled
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
