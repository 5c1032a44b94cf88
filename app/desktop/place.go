package desktop

import (
	"context"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/callboard/callboard/app/winplace"
)

// minSize is the least size of the window.
var minSize = winplace.Size{Width: 900, Height: 560}

// loadPlace reads where the window was into w.place; false when it was
// never saved or cannot be read (then it opens at the default size).
func (w *Window) loadPlace() bool {
	if w.opts.PlaceFile == "" {
		return false
	}
	p, ok, err := winplace.Load(w.opts.PlaceFile)
	if err != nil {
		w.log.Warn("the window opens at its default place", "err", err)
	}
	if !ok {
		return false
	}
	w.place = p
	return true
}

// restorePlace puts the window where it was, fitted to the screen it
// opens on. Wails lists screens by size alone, not where they are, so a
// window last on another monitor opens at its place on this one.
func (w *Window) restorePlace(ctx context.Context) {
	screens, err := wruntime.ScreenGetAll(ctx)
	if err != nil {
		w.log.Warn("list the screens", "err", err)
	}
	list := make([]winplace.Screen, len(screens))
	for i, s := range screens {
		list[i] = winplace.Screen{Size: winplace.Size{Width: s.Size.Width, Height: s.Size.Height}, Current: s.IsCurrent, Primary: s.IsPrimary}
	}
	screen, _ := winplace.Pick(list)
	w.mu.Lock()
	p := winplace.Fit(w.place, screen, minSize)
	w.place = p
	w.mu.Unlock()
	if p.Maximised {
		return // WindowStartState maximised it; unmaximising restores p's size
	}
	wruntime.WindowSetSize(ctx, p.Width, p.Height)
	wruntime.WindowSetPosition(ctx, p.X, p.Y)
}

// beforeClose saves where the window is, as it closes or the app quits
// (Wails asks this on a signal too), and lets it close. Maximised, its
// place before stays the one to come back to.
func (w *Window) beforeClose(ctx context.Context) bool {
	if w.opts.PlaceFile == "" {
		return false
	}
	w.mu.Lock()
	p := w.place
	w.mu.Unlock()
	p.Maximised = wruntime.WindowIsMaximised(ctx)
	if !p.Maximised && !wruntime.WindowIsMinimised(ctx) && !wruntime.WindowIsFullscreen(ctx) {
		p.X, p.Y = wruntime.WindowGetPosition(ctx)
		p.Width, p.Height = wruntime.WindowGetSize(ctx)
	}
	if err := winplace.Save(w.opts.PlaceFile, p); err != nil {
		w.log.Warn("the window's place is not kept", "err", err)
	}
	return false
}
