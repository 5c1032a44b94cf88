// Package fileerr holds the error of a problem found in a synced text
// file (a decision record, a question), named by its file and, when
// known, the line and field, as the Problems page and the CLI show it.
package fileerr

import "fmt"

// Error is a problem with File, at Line and Field when they are known.
type Error struct {
	File  string `json:"file"`
	Line  int    `json:"line,omitempty"`
	Field string `json:"field,omitempty"`
	Msg   string `json:"message"`
	// Err is the cause errors.Is looks for (a package's ErrTooLarge), if any.
	Err error `json:"-"`
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

func (e *Error) Unwrap() error { return e.Err }
