package instance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/scheduler"
)

// closeTimeout bounds how long Close waits for the workers to stop: a
// window closed mid-sync or mid-run should be gone in seconds, not hang.
const closeTimeout = 10 * time.Second

// Start runs the workers a window or `serve` keeps going until Close: the
// scheduler, which syncs every location when it is due (every interval,
// or as chosen in Settings when interval is 0), and the catalog table
// reloaded as syncs change the catalog.
func (l *Local) Start(interval time.Duration) error {
	return errors.Join(
		l.workers.Go("scheduler", func(ctx context.Context) {
			opts := scheduler.Options{Interval: interval}
			if interval == 0 {
				opts.IntervalOf = func() time.Duration { return l.Service.SyncInterval(ctx) }
			}
			scheduler.New(scheduled{l}, l.DB, opts, l.log).Run(ctx)
		}),
		l.workers.Go("catalog table", l.keepListing),
	)
}

// Go runs fn as one of the instance's workers (the socket's server, say):
// ctx ends when Close is called, and Close waits for fn to return before
// it closes the store. Once Close has begun, Go runs nothing and returns
// an error.
func (l *Local) Go(name string, fn func(ctx context.Context)) error {
	return l.workers.Go(name, fn)
}

// Close stops the instance. It cancels every worker and waits for them,
// at most closeTimeout: template runs end cancelled and are stored,
// syncs stop, index updates are dropped (the next start makes them
// again). Then it stops the plugins and closes the index and the store.
// A worker still running at the bound is logged, and the index and the
// store are left open, as a killed process leaves them, for the next open
// to recover: closed under a running worker, they would fail its writes
// at best, and crash the process at worst. Later calls return what the
// first returned.
func (l *Local) Close() error {
	l.closeOnce.Do(func() {
		err := l.workers.Close(closeTimeout)
		l.Plugins.Close()
		if err != nil {
			l.closeErr = fmt.Errorf("close the instance on %s, leaving its store open: %w", l.Paths.Root, err)
			return
		}
		l.closeErr = errors.Join(l.search.Close(), l.DB.Close())
	})
	return l.closeErr
}

// scheduled is what the scheduler syncs through: the syncer, then what
// the portal does after a sync it did not start.
type scheduled struct{ l *Local }

func (s scheduled) Sync(ctx context.Context, id string) error {
	if err := s.l.Syncer.Sync(ctx, id); err != nil {
		return err
	}
	s.l.Service.AfterSync(ctx, id)
	return nil
}

// keepListing loads the catalog table into memory, then reloads the
// locations a sync changed as their catalog:changed events arrive, so
// queries never wait for it. It returns when ctx ends.
func (l *Local) keepListing(ctx context.Context) {
	ch, cancel := l.Bus.Subscribe()
	defer cancel()
	for {
		if err := l.Service.RefreshListing(ctx); err != nil && ctx.Err() == nil {
			l.log.Warn("load the catalog table", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case ev := <-ch:
			for ev.Name != events.CatalogChanged {
				select {
				case <-ctx.Done():
					return
				case ev = <-ch:
				}
			}
		}
	}
}
