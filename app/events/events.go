package events

import (
	"context"
	"sync"
)

// Emitter publishes an event. Emit never blocks on a slow listener.
type Emitter interface {
	Emit(ctx context.Context, name string, data any)
}

// Event is one published event.
type Event struct {
	Name string
	Data any
}

// Bus fans events out to subscribers. The zero value is ready to use.
type Bus struct {
	mu   sync.Mutex
	subs map[chan Event]struct{}
}

var _ Emitter = (*Bus)(nil)

// Emit sends the event to every subscriber; a subscriber whose buffer is full
// misses it rather than stalling the sender (listeners refetch on the next one).
func (b *Bus) Emit(_ context.Context, name string, data any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- Event{Name: name, Data: data}:
		default:
		}
	}
}

// Subscribe returns a channel of events and a function that ends the subscription.
func (b *Bus) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, 64)
	b.mu.Lock()
	if b.subs == nil {
		b.subs = map[chan Event]struct{}{}
	}
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, ch)
			b.mu.Unlock()
		})
	}
}

// SyncProgressData is the payload of SyncProgress. Phase is "fetch"
// (Done/Total count objects received, when the remote says), "process"
// (files read), "store" or "done"; Total is 0 while unknown.
type SyncProgressData struct {
	LocationID string `json:"locationId"`
	// SourceOf is, for a source clone made on demand for a Backstage
	// location's entities (their edit, history or docs), that location's
	// id.
	SourceOf string `json:"sourceOf,omitempty"`
	Phase    string `json:"phase"`
	Done     int    `json:"done"`
	Total    int    `json:"total"`
}

// SyncResultData is the payload of SyncDone, SyncError and CatalogChanged.
type SyncResultData struct {
	LocationID string `json:"locationId"`
	Commit     string `json:"commit,omitempty"`
	Error      string `json:"error,omitempty"`
}
