package portal

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/syncer"
)

// blockingSyncer's History holds every caller until release is closed,
// counting how many are inside at once.
type blockingSyncer struct {
	Syncer
	inside, most atomic.Int32
	entered      chan struct{}
	release      chan struct{}
}

func (b *blockingSyncer) History(ctx context.Context, _, _, _ string, _ int) (syncer.History, error) {
	n := b.inside.Add(1)
	defer b.inside.Add(-1)
	for {
		m := b.most.Load()
		if n <= m || b.most.CompareAndSwap(m, n) {
			break
		}
	}
	b.entered <- struct{}{}
	select {
	case <-b.release:
		return syncer.History{}, nil
	case <-ctx.Done():
		return syncer.History{}, ctx.Err()
	}
}

// TestHistoryIsGated: many requests for history at once (a page hammered,
// or a hostile one) run two at a time; the rest wait a while and are then
// refused with ErrBusy, or give up when their client does.
func TestHistoryIsGated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sy := &blockingSyncer{entered: make(chan struct{}, 100), release: make(chan struct{})}
	s, db := newService(t, func(c *Config) { c.Syncer = sy })
	s.catalog.historyGate.wait = 50 * time.Millisecond
	db.PutLocation(ctx, store.Location{ID: "a"})
	res := catalog.Process(ctx, catalog.MapFiles{"c.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\nspec: {type: service, lifecycle: production, owner: team}\n"}, catalog.Options{}, "c.yaml")
	if err := db.ReplaceLocation(ctx, "a", store.Snapshot{Commit: "c", Entities: res.Entities, Edges: res.Edges}, time.Now()); err != nil {
		t.Fatal(err)
	}
	// Two take the slots and stay.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := s.History(ctx, "component:svc", 1); err != nil {
				t.Errorf("history in a free slot: %v", err)
			}
		})
		<-sy.entered
	}
	const more = 20
	errs := make(chan error, more)
	for range more {
		wg.Go(func() {
			_, err := s.History(ctx, "component:svc", 1)
			errs <- err
		})
	}
	for range more {
		select {
		case err := <-errs:
			if !errors.Is(err, ErrBusy) {
				t.Errorf("history with both slots taken: %v, want ErrBusy", err)
			}
		case <-sy.entered:
			close(sy.release)
			t.Fatalf("a third history ran beside the two")
		}
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.History(gone, "component:svc", 1); !errors.Is(err, context.Canceled) {
		t.Errorf("history of a client that left: %v, want context.Canceled", err)
	}
	close(sy.release)
	wg.Wait()
	if n := sy.most.Load(); n != 2 {
		t.Errorf("%d histories ran at once, want 2", n)
	}
	if _, err := s.History(ctx, "component:svc", 1); err != nil {
		t.Errorf("history once the slots are free: %v", err)
	}
}
