package techdocs

import (
	"crypto/sha256"
	"sync"
)

// maxCodeCache bounds the highlighted HTML a build keeps for blocks that
// come again (install commands, shared snippets): past it, blocks are
// highlighted each time they come.
const maxCodeCache = 32 << 20

// codeCache holds highlighted code blocks' HTML by a hash of what decides it
// (the fence's info string and the code), for the pages of one build; a nil
// cache holds nothing. Safe for concurrent use.
type codeCache struct {
	mu    sync.Mutex
	size  int
	byKey map[[sha256.Size]byte]string
}

func newCodeCache() *codeCache {
	return &codeCache{byKey: map[[sha256.Size]byte]string{}}
}

// codeKey hashes a block's info string (its language and options) and
// code, each length-prefixed so that no two blocks share a key by moving
// bytes between the parts.
func codeKey(info, code []byte) [sha256.Size]byte {
	h := sha256.New()
	for _, part := range [][]byte{info, code} {
		n := len(part)
		h.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		h.Write(part)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

func (c *codeCache) get(key [sha256.Size]byte) (string, bool) {
	if c == nil {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.byKey[key]
	return h, ok
}

func (c *codeCache) put(key [sha256.Size]byte, h string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok || c.size+len(h) > maxCodeCache {
		return
	}
	c.byKey[key] = h
	c.size += len(h)
}
