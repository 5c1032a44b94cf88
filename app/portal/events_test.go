package portal

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/callboard/callboard/app/events"
)

// TestSubscribe: a subscription gets the events it names, in order, from
// the moment Subscribe returns, and ends with its context.
func TestSubscribe(t *testing.T) {
	t.Parallel()
	bus := &events.Bus{}
	s := New(Config{Events: bus, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	all, err := s.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	syncs, err := s.Subscribe(ctx, events.SyncProgress, events.SyncDone)
	if err != nil {
		t.Fatal(err)
	}
	sent := []events.Event{
		{Name: events.CatalogChanged, Data: events.SyncResultData{LocationID: "demo"}},
		{Name: events.SyncProgress, Data: events.SyncProgressData{LocationID: "demo", Phase: "fetch"}},
		{Name: events.SyncDone, Data: events.SyncResultData{LocationID: "demo"}},
	}
	for _, ev := range sent {
		bus.Emit(ctx, ev.Name, ev.Data)
	}
	for i, want := range sent {
		if got := <-all; got.Name != want.Name {
			t.Errorf("event %d of all: %s, want %s", i, got.Name, want.Name)
		}
	}
	for _, want := range sent[1:] {
		if got := <-syncs; got.Name != want.Name || got.Data != want.Data {
			t.Errorf("filtered event %+v, want %+v", got, want)
		}
	}
	cancel()
	for range all {
	}
	for range syncs {
	}

	if _, err := s.Subscribe(context.Background(), "sync:nope"); !errors.Is(err, ErrInvalid) {
		t.Errorf("an unknown name: %v, want ErrInvalid", err)
	}
}
