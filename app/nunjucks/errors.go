package nunjucks

import (
	"errors"
	"fmt"
)

var (
	// ErrSyntax marks a template that does not parse.
	ErrSyntax = errors.New("template syntax error")
	// ErrLimit marks a render stopped by its work budget, its nesting depth
	// or Options.MaxOutput.
	ErrLimit = errors.New("template exceeded a limit")
)

// Error is a failure to compile or render one template, at a 1-based line
// and column of its source.
type Error struct {
	Name         string
	Line, Column int
	Msg          string
	// Err is ErrSyntax, ErrLimit, the context's error, or the error a filter
	// or global function returned; nil for other evaluation errors.
	Err error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Column, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// limitError is raised inside the evaluator and becomes an *Error wrapping
// ErrLimit.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// hostError carries an error returned by a filter or global function.
type hostError struct {
	msg string
	err error
}

func (e *hostError) Error() string { return e.msg }
func (e *hostError) Unwrap() error { return e.err }
