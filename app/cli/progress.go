package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/events"
)

var phaseLabel = map[string]string{"fetch": "fetching", "process": "reading catalog files", "store": "storing"}

// progressLine is one terminal line of sync progress, e.g.
// "payments: reading catalog files 120/800".
func progressLine(p events.SyncProgressData) string {
	label := phaseLabel[p.Phase]
	if label == "" {
		label = p.Phase
	}
	if p.Total > 0 {
		return fmt.Sprintf("%s: %s %d/%d", p.LocationID, label, p.Done, p.Total)
	}
	return fmt.Sprintf("%s: %s…", p.LocationID, label)
}

// isTerminal says whether w is a terminal, where a progress line that
// rewrites itself reads well; a pipe or file gets no progress.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// showProgress prints sync progress on one rewritten line of stderr while
// a sync runs, when stderr is a terminal; stop clears the line.
func (r *runner) showProgress(ctx context.Context, conn *connection) (stop func()) {
	w := r.env.Stderr
	if r.json || !isTerminal(w) {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var mu sync.Mutex
	show := func(p events.SyncProgressData) {
		if p.Phase == "done" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "\r\033[K%s", progressLine(p))
	}
	var wg sync.WaitGroup
	switch {
	case conn.local != nil:
		ch, unsubscribe := conn.local.Bus.Subscribe()
		wg.Go(func() {
			defer unsubscribe()
			for {
				select {
				case <-ctx.Done():
					return
				case ev := <-ch:
					if p, ok := ev.Data.(events.SyncProgressData); ok {
						show(p)
					}
				}
			}
		})
	default:
		if c, ok := conn.api.(*apiclient.Client); ok {
			_ = c.Progress(ctx, show) // no progress is no reason to fail the sync
		}
	}
	return func() {
		cancel()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprint(w, "\r\033[K")
	}
}
