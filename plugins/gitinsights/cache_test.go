package gitinsights

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// Five calls at once compute once. In a synctest bubble, synctest.Wait
// returns once every call waits on the one computation.
func TestCacheComputesOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newCache(4, time.Minute)
		var calls atomic.Int32
		release := make(chan struct{})
		want := &insights{Folder: "svc"}
		compute := func(context.Context) (*insights, error) {
			calls.Add(1)
			<-release
			return want, nil
		}
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				got, err := c.get(context.Background(), cacheKey{"clone", "c1", "svc"}, compute)
				if err != nil || got != want {
					t.Errorf("get = %v, %v", got, err)
				}
			})
		}
		synctest.Wait()
		close(release)
		wg.Wait()
		if _, err := c.get(context.Background(), cacheKey{"clone", "c1", "svc"}, compute); err != nil {
			t.Fatal(err)
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("computed %d times, want once", n)
		}
	})
}

func TestCacheForgetsErrors(t *testing.T) {
	t.Parallel()
	c := newCache(4, time.Minute)
	k := cacheKey{"clone", "c1", ""}
	boom := errors.New("boom")
	if _, err := c.get(context.Background(), k, func(context.Context) (*insights, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	got, err := c.get(context.Background(), k, func(context.Context) (*insights, error) { return &insights{}, nil })
	if err != nil || got == nil {
		t.Errorf("after an error: %v, %v; want a fresh computation", got, err)
	}
}

func TestCacheFinishesForTheNextCall(t *testing.T) {
	t.Parallel()
	c := newCache(4, time.Minute)
	k := cacheKey{"clone", "c1", ""}
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	_, err := c.get(ctx, k, func(ctx context.Context) (*insights, error) {
		cancel() // the caller gives up while it computes
		<-done   // and it runs on, its context alive
		return &insights{Folder: "late"}, ctx.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the caller's context.Canceled", err)
	}
	close(done)
	got, err := c.get(context.Background(), k, func(context.Context) (*insights, error) { return nil, errors.New("computed again") })
	if err != nil || got.Folder != "late" {
		t.Errorf("next call: %v, %v; want the first computation's result", got, err)
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	c := newCache(2, time.Minute)
	var calls atomic.Int32
	get := func(commit string) {
		if _, err := c.get(context.Background(), cacheKey{"clone", commit, ""}, func(context.Context) (*insights, error) {
			calls.Add(1)
			return &insights{}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	get("a")
	get("b")
	get("a") // a is now the most recent
	get("c") // evicts b
	get("a")
	if n := calls.Load(); n != 3 {
		t.Errorf("%d computations, want 3", n)
	}
	get("b")
	if n := calls.Load(); n != 4 {
		t.Errorf("%d computations, want b computed again", n)
	}
}
