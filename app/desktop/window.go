package desktop

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/winplace"
	"github.com/callboard/callboard/app/wire"
)

// Options configure the window.
type Options struct {
	API portal.API
	UI  fs.FS
	Log *slog.Logger
	// Route is the UI route the window opens on ("" for Home).
	Route string
	// PlaceFile keeps the window's size and position between starts; ""
	// keeps nothing.
	PlaceFile string
}

// Window is the desktop window. Focus and Navigate may be called from any
// goroutine.
type Window struct {
	opts   Options
	bridge *Bridge
	log    *slog.Logger
	routes *routes

	mu sync.Mutex
	// place is where the window opened.
	place winplace.Place
	ctx   context.Context // Wails' context, set once the window has started
	// stopEvents ends the forwarding of events to the page, which
	// forwarding counts; Wails never cancels its context.
	stopEvents context.CancelFunc
	forwarding sync.WaitGroup

	// Wails' notifications (notify.go): started at the first, once.
	notifyOnce    sync.Once
	notifyErr     error
	notifyStarted bool
	notices       atomic.Uint64
}

// New returns a window that Run shows.
func New(opts Options) *Window {
	r := &routes{}
	if opts.Route != "" {
		r.set(opts.Route)
	}
	return &Window{opts: opts, bridge: &Bridge{api: opts.API, routes: r}, routes: r, log: opts.Log.With("component", "desktop"),
		place: winplace.Place{Width: 1280, Height: 820}}
}

// Run shows the window and blocks until it is closed. Wails closes it on
// SIGINT and SIGTERM itself; quitting from here as well, when the signal
// also ends ctx, would call GTK from two threads at once and crash.
func (w *Window) Run(context.Context) error {
	saved := w.loadPlace()
	start := options.Normal
	if saved && w.place.Maximised {
		start = options.Maximised
	}
	err := wails.Run(&options.App{
		Title:            "Callboard",
		Width:            w.place.Width,
		Height:           w.place.Height,
		MinWidth:         minSize.Width,
		MinHeight:        minSize.Height,
		WindowStartState: start,
		BackgroundColour: options.NewRGB(0x16, 0x18, 0x1d),
		AssetServer:      &assetserver.Options{Assets: w.opts.UI},
		Logger:           slogAdapter{w.log},
		LogLevel:         logger.WARNING,
		OnStartup: func(ctx context.Context) {
			if saved {
				w.restorePlace(ctx)
			}
			w.startup(ctx)
		},
		OnBeforeClose:  w.beforeClose,
		OnShutdown:     w.shutdown,
		Bind:           []any{w.bridge},
		ErrorFormatter: formatError,
		Linux:          &linux.Options{ProgramName: "callboard"},
	})
	if err != nil {
		return fmt.Errorf("run window: %w", err)
	}
	return nil
}

func (w *Window) startup(ctx context.Context) {
	events, stop := context.WithCancel(ctx)
	w.mu.Lock()
	w.ctx, w.stopEvents = ctx, stop
	w.mu.Unlock()
	w.bridge.ctx = ctx
	ch, err := w.opts.API.Subscribe(events)
	if err != nil {
		w.log.Error("follow the portal's events", "err", err)
		return
	}
	w.forwarding.Go(func() {
		for ev := range ch {
			wruntime.EventsEmit(ctx, ev.Name, wire.Normalize(ev.Data))
		}
	})
}

// shutdown stops forwarding events once the window is gone, and waits
// for the forwarding to end: the instance closes after the window, and
// what it emits then (runs ending cancelled) has no page to go to.
func (w *Window) shutdown(ctx context.Context) {
	w.mu.Lock()
	stop := w.stopEvents
	w.mu.Unlock()
	if stop != nil {
		stop()
	}
	w.forwarding.Wait()
	w.notifyOnce.Do(func() {}) // none starts from now on
	if w.notifyStarted {
		wruntime.CleanupNotifications(ctx)
	}
}

// formatError is how a bound method's error reaches the window: the
// contract's error object, as JSON text. Wails v2.13's runtime rejects the
// promise with new Error(what this returns), so an object would arrive as
// "[object Object]"; the Wails transport parses the text back.
func formatError(err error) any {
	b, jerr := json.Marshal(portal.ErrorOf(err))
	if jerr != nil {
		return err.Error()
	}
	return string(b)
}

// Focus brings the window to the front, for a second `callboard` started on
// the same data dir.
func (w *Window) Focus(context.Context) error {
	w.mu.Lock()
	ctx := w.ctx
	w.mu.Unlock()
	if ctx == nil {
		return fmt.Errorf("the window is still starting")
	}
	wruntime.WindowUnminimise(ctx)
	wruntime.WindowShow(ctx)
	return nil
}

// Navigate shows route, a UI route, in the window and brings it to the
// front. The page takes the route from the bridge (TakeRoute) when told
// to, or when it loads: a route sent while the page is still loading is
// not lost. Navigate waits, boundedly, until the page has taken it,
// telling it again while it has not.
func (w *Window) Navigate(ctx context.Context, route string) error {
	req := w.routes.set(route)
	w.mu.Lock()
	wctx := w.ctx
	w.mu.Unlock()
	if wctx == nil {
		w.log.Info("route waits for the page to load", "route", route)
		return nil
	}
	w.log.Info("window asked to show", "route", route)
	start := time.Now()
	wruntime.EventsEmit(wctx, navigateEvent)
	if err := w.Focus(ctx); err != nil {
		return err
	}
	tick := time.NewTicker(nudgeEvery)
	defer tick.Stop()
	deadline := time.NewTimer(nudgeFor)
	defer deadline.Stop()
	for {
		select {
		case <-req.done:
			if w.routes.wasShown(req) {
				w.log.Info("window went to", "route", route, "ms", time.Since(start).Milliseconds())
			} else {
				w.log.Info("a later route replaced", "route", route)
			}
			return nil
		case <-tick.C:
			wruntime.EventsEmit(wctx, navigateEvent)
		case <-deadline.C:
			w.log.Warn("the page has not taken the route; it will when it next asks", "route", route, "after", nudgeFor)
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}

// slogAdapter routes Wails' log into slog.
type slogAdapter struct{ log *slog.Logger }

var _ logger.Logger = slogAdapter{}

func (a slogAdapter) Print(m string)   { a.log.Info("wails", "msg", m) }
func (a slogAdapter) Trace(m string)   { a.log.Debug("wails", "msg", m) }
func (a slogAdapter) Debug(m string)   { a.log.Debug("wails", "msg", m) }
func (a slogAdapter) Info(m string)    { a.log.Info("wails", "msg", m) }
func (a slogAdapter) Warning(m string) { a.log.Warn("wails", "msg", m) }
func (a slogAdapter) Error(m string)   { a.log.Error("wails", "msg", m) }
func (a slogAdapter) Fatal(m string)   { a.log.Error("wails", "msg", m) }
