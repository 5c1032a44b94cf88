package gitinsights

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// cacheKey names one render's data: a commit never changes, so neither
// does what it says about a folder.
type cacheKey struct {
	Clone, Commit, Folder string
}

// cache keeps the latest insights in memory (the host keeps the plugin
// process running between calls) and works each out once however many
// calls ask for it at the same time.
type cache struct {
	max     int
	timeout time.Duration

	mu      sync.Mutex
	entries map[cacheKey]*cacheEntry
	lru     *list.List // of cacheKey, most recently used first
}

type cacheEntry struct {
	done chan struct{} // closed when val and err are set
	val  *insights
	err  error
	elem *list.Element
}

// newCache keeps up to max insights. A computation runs for up to timeout
// even when the call that started it gives up, so that the next call finds
// it done.
func newCache(max int, timeout time.Duration) *cache {
	return &cache{max: max, timeout: timeout, entries: map[cacheKey]*cacheEntry{}, lru: list.New()}
}

// get returns the insights for k, running compute when no call has yet.
// Errors are not kept. It returns ctx's error when ctx ends first.
func (c *cache) get(ctx context.Context, k cacheKey, compute func(context.Context) (*insights, error)) (*insights, error) {
	c.mu.Lock()
	e, ok := c.entries[k]
	if ok {
		c.lru.MoveToFront(e.elem)
	} else {
		e = &cacheEntry{done: make(chan struct{})}
		e.elem = c.lru.PushFront(k)
		c.entries[k] = e
		for c.lru.Len() > c.max {
			c.remove(c.lru.Back().Value.(cacheKey))
		}
		go func() {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
			defer cancel()
			val, err := compute(cctx)
			c.mu.Lock()
			e.val, e.err = val, err
			if err != nil && c.entries[k] == e {
				c.remove(k)
			}
			c.mu.Unlock()
			close(e.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// remove forgets k; c.mu is held.
func (c *cache) remove(k cacheKey) {
	if e, ok := c.entries[k]; ok {
		c.lru.Remove(e.elem)
		delete(c.entries, k)
	}
}
