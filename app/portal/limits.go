package portal

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// gate lets at most a few calls of one expensive kind run at once; a call
// beyond that waits its turn for a short while, then is refused with
// ErrBusy, so a flood of requests costs the flood, not the whole process.
type gate struct {
	name  string
	slots chan struct{}
	wait  time.Duration
}

// queueWait is how long a call waits for a free slot before ErrBusy.
const queueWait = 5 * time.Second

func newGate(name string, n int) *gate {
	return &gate{name: name, slots: make(chan struct{}, n), wait: queueWait}
}

// enter waits for a slot until ctx ends or the wait is over; leave
// gives the slot back.
func (g *gate) enter(ctx context.Context) (leave func(), err error) {
	leave = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return leave, nil
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return leave, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, fmt.Errorf("%s: %d already running: %w", g.name, cap(g.slots), ErrBusy)
	}
}

// gates are the portal's expensive kinds of call, each with its own limit.
type gates struct {
	history *gate // reads a repository's commits and parses each version
	graph   *gate // walks relations three or four levels deep
	docs    *gate // loads a docs site and renders a page
	search  *gate // runs a query over the whole index
}

func newGates() gates {
	cpus := runtime.GOMAXPROCS(0)
	return gates{
		history: newGate("entity history", 2),
		graph:   newGate("deep relation graph", 2),
		docs:    newGate("docs", max(2, cpus)),
		search:  newGate("search", max(2, cpus)),
	}
}
