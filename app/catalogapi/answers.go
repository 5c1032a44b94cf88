package catalogapi

import (
	"sync"

	"github.com/callboard/callboard/app/catalogquery"
)

// maxAnswerBytes bounds the answer cache: thousands of ordinary
// entities, or two of the largest (catalog.MaxEntitySize is 8 MiB; API
// definitions of megabytes are what by-refs spends most on).
const maxAnswerBytes = 16 << 20

// answerCache keeps the JSON of entities by-refs answered whole, for
// the view they were answered from: clients ask for the same refs again
// and again (the entities a page relates to), and a view is replaced
// whenever a location's records or any relation change, so an answer
// stays right for as long as its view is current. Full, it starts over.
type answerCache struct {
	mu    sync.Mutex
	view  *catalogquery.View
	byRef map[string][]byte
	size  int
}

// get is ref's answer rendered from v, if kept; the bytes are shared,
// not to be changed.
func (c *answerCache) get(v *catalogquery.View, ref string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.view != v {
		return nil, false
	}
	b, ok := c.byRef[ref]
	return b, ok
}

// put keeps a copy of ref's answer b, rendered from v.
func (c *answerCache) put(v *catalogquery.View, ref string, b []byte) {
	if len(b) > maxAnswerBytes/2 {
		return
	}
	b = append([]byte(nil), b...)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.view != v || c.size+len(b) > maxAnswerBytes {
		c.view, c.byRef, c.size = v, map[string][]byte{}, 0
	}
	if _, ok := c.byRef[ref]; !ok {
		c.byRef[ref] = b
		c.size += len(b)
	}
}

// maxPooledBuffer bounds the buffers kept for the next answer: a batch
// of ordinary entities fits, a batch of huge ones is let go.
const maxPooledBuffer = 4 << 20

// bufferPool keeps the buffers answers are rendered into between
// requests, so a page does not grow new ones from nothing.
type bufferPool struct{ pool sync.Pool }

func (p *bufferPool) get() []byte {
	if b, ok := p.pool.Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return nil
}

func (p *bufferPool) put(b []byte) {
	if cap(b) == 0 || cap(b) > maxPooledBuffer {
		return
	}
	p.pool.Put(&b)
}
