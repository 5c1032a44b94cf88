package adr

import (
	"errors"
	"fmt"
)

// ErrTooLarge means a file, a field or a folder is over its bound.
var ErrTooLarge = errors.New("too large")

// Error is a problem with a decision record's file, at a line and field
// when one is known.
type Error struct {
	File  string `json:"file"`
	Line  int    `json:"line,omitempty"`
	Field string `json:"field,omitempty"`
	Msg   string `json:"message"`
	err   error
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.err }
