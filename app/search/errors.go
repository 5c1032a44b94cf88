package search

import "errors"

// ErrNotReadable means an index cannot be opened read-only: it is
// missing, damaged or built with another mapping. Open makes it again.
var ErrNotReadable = errors.New("search index needs rebuilding")

// ErrReadOnly means a write to an index opened with OpenReadOnly.
var ErrReadOnly = errors.New("search index is open read-only")
