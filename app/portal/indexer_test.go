package portal

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/workers"
)

// countingIndex is a search index that only counts what it is asked.
type countingIndex struct{ calls atomic.Int32 }

func (x *countingIndex) Apply(context.Context, []search.Doc, []string) error {
	x.calls.Add(1)
	return nil
}
func (x *countingIndex) Mark(string) string { x.calls.Add(1); return "" }
func (x *countingIndex) SetMark(string, string) error {
	x.calls.Add(1)
	return nil
}
func (x *countingIndex) WarmFacets() error { x.calls.Add(1); return nil }
func (x *countingIndex) IDsOf(context.Context, string) ([]string, error) {
	x.calls.Add(1)
	return nil, nil
}

// Index updates queued behind a long one leave as soon as the instance
// closes, touching nothing, rather than each running in turn after it
// and keeping the close waiting.
func TestQueuedIndexUpdatesLeaveOnClose(t *testing.T) {
	t.Parallel()
	g := workers.New(slog.New(slog.DiscardHandler))
	x := &countingIndex{}
	ix := &indexer{turn: make(chan struct{}, 1), index: x, workers: g, log: slog.New(slog.DiscardHandler)}
	ix.turn <- struct{}{} // the long update under way, which never ends here
	rows := []store.Row{{Ref: "component:default/a", LocationID: "a", Kind: "Component", Name: "a"}}
	ix.locationChanged("a", 1, 2, rows, rows)
	ix.locationChanged("b", 0, 1, nil, rows)
	ix.locationRemoved("c")
	if err := g.Close(10 * time.Second); err != nil {
		t.Fatalf("close: %v", err)
	}
	ix.wait()
	if n := x.calls.Load(); n != 0 {
		t.Errorf("the queued updates asked the index %d times after the close, want none", n)
	}
}
