package portal

import (
	"context"
	"sync/atomic"

	"github.com/callboard/callboard/plugins/host"
)

// pluginLister lists the plugins installed; *host.Host is one. A fact
// host without it keeps every plugin's facts.
type pluginLister interface {
	List(ctx context.Context) []host.Info
}

// orphanSweep runs the store's sweep of what entities gone from the
// catalog left (facts, scorecard results) one at a time: a request
// while one runs makes it run once more after.
type orphanSweep struct {
	running atomic.Bool
	again   atomic.Bool
}

// sweepLater forgets, in the background, the facts and scorecard
// results of entities no location provides any more, and the facts of
// plugins no longer installed. A sync, a location's removal and a
// plugin change call it.
func (f *facts) sweepLater() {
	if f.workers == nil {
		return
	}
	if !f.sweeps.running.CompareAndSwap(false, true) {
		f.sweeps.again.Store(true)
		return
	}
	f.pending.Add(1)
	err := f.workers.Go("sweep orphaned facts", func(ctx context.Context) {
		defer f.pending.Done()
		defer f.sweeps.running.Store(false)
		for {
			f.sweep(ctx)
			if !f.sweeps.again.Swap(false) || ctx.Err() != nil {
				return
			}
		}
	})
	if err != nil {
		f.sweeps.running.Store(false)
		f.pending.Done()
	}
}

// sweep forgets what entities and plugins that are gone left.
func (f *facts) sweep(ctx context.Context) {
	var keep func(string) bool
	if l, ok := f.host.(pluginLister); ok {
		// No plugin listed is a host that found none (or not yet): their
		// facts stay rather than go on a failed load.
		if infos := l.List(ctx); len(infos) > 0 {
			installed := map[string]bool{}
			for _, in := range infos {
				installed[in.Name] = true
			}
			keep = func(name string) bool { return installed[name] }
		}
	}
	n, err := f.db.SweepOrphans(ctx, keep)
	switch {
	case err != nil:
		if ctx.Err() == nil {
			f.log.Warn("forget the facts and scorecard results of entities gone", "err", err)
		}
	case n.Facts > 0 || n.Results > 0:
		f.log.Info("forgot the facts and scorecard results of entities gone", "facts", n.Facts, "results", n.Results)
		if n.Facts > 0 {
			f.kept("")
		}
	}
}
