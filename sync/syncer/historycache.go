package syncer

import (
	"container/list"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// historyCacheBytes bounds what the history cache holds: a file's history
// is read again only when its branch moves, but a few large entities must
// not pin memory.
const historyCacheBytes = 16 << 20

// historyKey is one history answer: what the branch's head was, how
// many shallow commits the clone had (a deepened clone answers anew), and
// what was asked.
type historyKey struct {
	location string
	head     plumbing.Hash
	shallows int
	file     string
	ref      string
	limit    int
}

// historyCache keeps recent history answers, least recently used out
// first once they pass historyCacheBytes together.
type historyCache struct {
	mu    sync.Mutex
	order list.List // of *historyEntry, most recent at the front
	byKey map[historyKey]*list.Element
	bytes int
}

type historyEntry struct {
	key     historyKey
	history History
	bytes   int
}

func (c *historyCache) get(k historyKey) (History, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[k]
	if !ok {
		return History{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*historyEntry).history, true
}

func (c *historyCache) put(k historyKey, h History) {
	n := sizeOf(h.Versions)
	if n > historyCacheBytes/4 {
		return // one answer may not crowd out the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = map[historyKey]*list.Element{}
	}
	if e, ok := c.byKey[k]; ok {
		c.bytes -= e.Value.(*historyEntry).bytes
		c.order.Remove(e)
	}
	c.byKey[k] = c.order.PushFront(&historyEntry{key: k, history: h, bytes: n})
	c.bytes += n
	for c.bytes > historyCacheBytes {
		old := c.order.Remove(c.order.Back()).(*historyEntry)
		delete(c.byKey, old.key)
		c.bytes -= old.bytes
	}
}

// sizeOf estimates the bytes versions hold.
func sizeOf(versions []Version) int {
	n := 0
	for _, v := range versions {
		n += 128 + len(v.Commit) + len(v.Author) + len(v.Email) + len(v.Message)
		for _, c := range v.Changes {
			n += 48 + len(c.Path) + len(c.Old) + len(c.New)
		}
	}
	return n
}
