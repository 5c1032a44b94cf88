package portal

import (
	"context"
	"errors"

	"github.com/callboard/callboard/app/catalog"
)

var (
	// ErrNotFound means the entity or location asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the request itself is malformed.
	ErrInvalid = errors.New("invalid request")
	// ErrConflict means the request is well formed but the state it meets
	// refuses it (a location already registered, one with unpushed
	// changes); it may succeed once that state changes.
	ErrConflict = errors.New("conflict")
	// ErrBusy means too many calls of the same expensive kind are running;
	// the same call may succeed a few seconds later.
	ErrBusy = errors.New("busy: try again in a few seconds")
)

// ErrorCode is the kind of an error: the one thing the UI and the CLI
// branch on, never the message.
type ErrorCode string

// The closed set of error codes.
const (
	CodeNotFound    ErrorCode = "not_found"
	CodeInvalid     ErrorCode = "invalid"
	CodeConflict    ErrorCode = "conflict"
	CodeUnavailable ErrorCode = "unavailable"
	CodeCanceled    ErrorCode = "canceled"
	CodeInternal    ErrorCode = "internal"
)

// Error is an error as it crosses every transport: the HTTP API's error
// bodies, the window's rejected promises and the Go client's errors.
// Field, File and Line say where in a catalog file the problem is, when
// it is in one.
//
//api:type
type Error struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
	Field   string    `json:"field,omitempty"`
	File    string    `json:"file,omitempty"`
	Line    int       `json:"line,omitempty"`
}

func (e *Error) Error() string { return e.Message }

// Unwrap gives the sentinel of e's code, so errors.Is(err, ErrNotFound)
// holds on the far side of a transport as on this one.
func (e *Error) Unwrap() error {
	switch e.Code {
	case CodeNotFound:
		return ErrNotFound
	case CodeInvalid:
		return ErrInvalid
	case CodeConflict:
		return ErrConflict
	case CodeUnavailable:
		return ErrBusy
	case CodeCanceled:
		return context.Canceled
	}
	return nil
}

// ErrorOf classifies err for the wire: its code by the sentinel it wraps,
// its whole message, and the position of the first catalog error it
// carries. An *Error met on the way (from another instance) keeps its
// code and position. ErrorOf(nil) is nil.
func ErrorOf(err error) *Error {
	if err == nil {
		return nil
	}
	var remote *Error
	if errors.As(err, &remote) {
		out := *remote
		out.Message = err.Error()
		return &out
	}
	out := &Error{Code: codeOf(err), Message: err.Error()}
	var pos catalog.Error
	if errors.As(err, &pos) {
		out.File, out.Line, out.Field = pos.File, pos.Line, pos.Field
	}
	return out
}

func codeOf(err error) ErrorCode {
	switch {
	case errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, ErrInvalid):
		return CodeInvalid
	case errors.Is(err, ErrConflict):
		return CodeConflict
	case errors.Is(err, ErrBusy), errors.Is(err, context.DeadlineExceeded):
		return CodeUnavailable
	case errors.Is(err, context.Canceled):
		return CodeCanceled
	}
	return CodeInternal
}
