package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
)

// ErrClosed is Go's answer once Close has begun: nothing new starts while
// the owner shuts down.
var ErrClosed = errors.New("shutting down")

// ErrStuck is Close's answer when workers were still running at its bound.
var ErrStuck = errors.New("workers did not stop")

// Group owns a set of background workers. It is safe for concurrent use.
type Group struct {
	// ctx is every worker's context, kept here because workers start at
	// any time in the group's life (a template run on a request), long
	// after it was made; Close cancels it.
	ctx    context.Context
	cancel context.CancelFunc
	log    *slog.Logger

	mu      sync.Mutex
	closing bool
	next    int
	running map[int]string // worker → its name, for saying which did not stop
	wg      sync.WaitGroup
}

// New returns a group with no workers.
func New(log *slog.Logger) *Group {
	ctx, cancel := context.WithCancel(context.Background())
	return &Group{ctx: ctx, cancel: cancel, log: log.With("component", "workers"), running: map[int]string{}}
}

// Go runs fn in a goroutine of its own with the group's context, which
// ends when Close is called, and returns at once; name says what fn is,
// for the log should it not stop. Once Close has begun, Go runs nothing
// and returns ErrClosed.
func (g *Group) Go(name string, fn func(ctx context.Context)) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing {
		return fmt.Errorf("%s: %w", name, ErrClosed)
	}
	id := g.next
	g.next++
	g.running[id] = name
	g.wg.Go(func() {
		defer func() {
			g.mu.Lock()
			delete(g.running, id)
			g.mu.Unlock()
		}()
		fn(g.ctx)
	})
	return nil
}

// Close cancels every worker's context and waits for them to return, for
// at most timeout. It returns nil once all have returned; when some are
// still running at the bound, it logs them and returns an error wrapping
// ErrStuck that names them, leaving them running. A second Close waits
// again, within its own timeout.
func (g *Group) Close(timeout time.Duration) error {
	g.mu.Lock()
	g.closing = true
	g.mu.Unlock()
	g.cancel()
	done := make(chan struct{})
	// This goroutine outlives Close only while a worker does: until the
	// process exits, which is what follows a stuck shutdown.
	go func() {
		g.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
		return nil
	case <-t.C:
	}
	g.mu.Lock()
	stuck := slices.Sorted(maps.Values(g.running))
	g.mu.Unlock()
	if len(stuck) == 0 {
		return nil // the last one returned as the bound passed
	}
	g.log.Error("workers did not stop", "workers", stuck, "waited", timeout)
	return fmt.Errorf("%w within %s: %v", ErrStuck, timeout, stuck)
}
