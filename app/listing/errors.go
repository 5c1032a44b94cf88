package listing

import "errors"

// ErrCorrupt means a cache file is cut short or holds no listing: the
// rows it was to hold are read from the store again.
var ErrCorrupt = errors.New("listing cache: cut short or not a listing")
