package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// OpenReadOnly opens the index in dir for queries alone, as a one-shot
// command does: it starts none of scorch's persister or merger work and
// never rebuilds; Apply and SetMark return ErrReadOnly. A missing, damaged or outdated index yields an error
// wrapping ErrNotReadable. The index's owner (Open) holds its lock for
// writing; bolt's wait for it is bounded, though the store's lock, taken
// first, already keeps a reader and the owner apart.
func OpenReadOnly(dir string) (*Index, error) {
	idx, err := bleve.OpenUsing(dir, map[string]any{"read_only": true, "bolt_timeout": "1s"})
	if err != nil {
		return nil, fmt.Errorf("open the search index %s: %w: %v", dir, ErrNotReadable, err)
	}
	if v, err := idx.GetInternal([]byte("mapping-version")); err != nil || string(v) != mappingVersion {
		idx.Close()
		return nil, fmt.Errorf("open the search index %s: mapping %q, not %q: %w", dir, v, mappingVersion, ErrNotReadable)
	}
	return &Index{idx: idx, dir: dir, readOnly: true}, nil
}
