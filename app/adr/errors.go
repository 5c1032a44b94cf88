package adr

import (
	"errors"

	"github.com/callboard/callboard/app/fileerr"
)

// ErrTooLarge means a file, a field or a folder is over its bound.
var ErrTooLarge = errors.New("too large")

// Error is a problem with a decision record's file, at a line and field when
// one is known.
type Error = fileerr.Error
