package questions

import (
	"errors"

	"github.com/callboard/callboard/app/fileerr"
)

// ErrTooLarge means a file or a field is over its bound.
var ErrTooLarge = errors.New("too large")

// Error is a problem with a question or answer file, at a line and field when
// one is known.
type Error = fileerr.Error
