package workers

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Close cancels every worker's context and returns once all returned,
// including workers that take a while to wind down.
func TestCloseWaitsForWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := New(quiet)
		var stopped atomic.Int32
		for _, wind := range []time.Duration{0, time.Second, 5 * time.Second} {
			if err := g.Go("worker", func(ctx context.Context) {
				<-ctx.Done()
				time.Sleep(wind)
				stopped.Add(1)
			}); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		if err := g.Close(10 * time.Second); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if n := stopped.Load(); n != 3 {
			t.Errorf("%d workers had stopped when Close returned, want 3", n)
		}
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("Close took %s, want the slowest worker's 5s", d)
		}
	})
}

// A worker that ignores its context holds Close up only to the bound,
// and Close names it; nothing starts once Close has begun.
func TestCloseIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := New(quiet)
		release := make(chan struct{})
		g.Go("stubborn", func(context.Context) { <-release })
		g.Go("polite", func(ctx context.Context) { <-ctx.Done() })
		start := time.Now()
		err := g.Close(10 * time.Second)
		if !errors.Is(err, ErrStuck) || !strings.Contains(err.Error(), "stubborn") || strings.Contains(err.Error(), "polite") {
			t.Errorf("Close: %v, want ErrStuck naming the stubborn worker only", err)
		}
		if d := time.Since(start); d != 10*time.Second {
			t.Errorf("Close took %s, want its bound", d)
		}
		ran := false
		if err := g.Go("late", func(context.Context) { ran = true }); !errors.Is(err, ErrClosed) {
			t.Errorf("Go after Close: %v, want ErrClosed", err)
		}
		close(release)
		if err := g.Close(time.Second); err != nil {
			t.Errorf("Close once the stubborn worker returned: %v", err)
		}
		if ran {
			t.Error("a worker started after Close ran")
		}
	})
}
