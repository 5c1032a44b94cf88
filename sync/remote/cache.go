package remote

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Entry is what was last read from a URL, with the validators that let
// the next read ask whether it changed.
type Entry struct {
	// FetchURL is where it was fetched from; validators are only sent to
	// the same URL (a token may switch github.com from raw to API).
	FetchURL           string
	ETag, LastModified string
	// ReadAt is when the server last gave or confirmed Data.
	ReadAt time.Time
	Data   []byte
}

// Cache keeps entries by URL (as written in the file that names it).
// Implementations must be safe for concurrent use.
type Cache interface {
	// Get returns the entry for url; ok is false when there is none. An
	// error means the cache cannot be read; the read then goes on as if
	// it held nothing.
	Get(ctx context.Context, url string) (e Entry, ok bool, err error)
	// Put replaces the entry for url. An error is logged; what was read is
	// still used.
	Put(ctx context.Context, url string, e Entry) error
}

// MemCache is a Cache in memory: for one-shot runs, such as the CLI's
// validate, and tests.
type MemCache struct {
	mu      sync.Mutex
	entries map[string]Entry
}

// NewMemCache returns an empty MemCache.
func NewMemCache() *MemCache { return &MemCache{entries: map[string]Entry{}} }

// Get implements Cache.
func (c *MemCache) Get(_ context.Context, url string) (Entry, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[url]
	e.Data = slices.Clone(e.Data)
	return e, ok, nil
}

// Put implements Cache.
func (c *MemCache) Put(_ context.Context, url string, e Entry) error {
	e.Data = slices.Clone(e.Data)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[url] = e
	return nil
}
