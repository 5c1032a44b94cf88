package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"

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
// a sync runs, when stderr is a terminal; stop clears the line. The events
// come through the API, from this process's own instance or the running
// one's alike.
func (r *runner) showProgress(ctx context.Context, conn *connection) (stop func()) {
	w := r.env.Stderr
	if r.json || !isTerminal(w) {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	ch, err := conn.api.Subscribe(ctx, events.SyncProgress)
	if err != nil {
		cancel()
		return func() {} // no progress is no reason to fail the sync
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for ev := range ch {
			if p, ok := ev.Data.(events.SyncProgressData); ok && p.Phase != "done" {
				fmt.Fprintf(w, "\r\033[K%s", progressLine(p))
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
		fmt.Fprint(w, "\r\033[K")
	}
}
