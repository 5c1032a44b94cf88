package portal

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Bounds on what the UI may put in the log: a page in a loop, or a plugin's
// content echoed in a message, must not flood it.
const (
	frontendBurst      = 50 // reports logged per window…
	frontendWindow     = time.Minute
	maxFrontendMessage = 2000
	maxFrontendStack   = 8000
	maxFrontendWhere   = 300
)

// frontendErrors counts the UI's reports and keeps the log's rate in check.
type frontendErrors struct {
	log   *slog.Logger
	count atomic.Int64
	mu    sync.Mutex
	since time.Time // start of the current window
	inWin int       // reports logged in it
	quiet int       // reports not logged in it
}

// admit says whether a report at now may be logged, and how many were
// dropped in the window that just closed.
func (f *frontendErrors) admit(now time.Time) (ok bool, dropped int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if now.Sub(f.since) >= frontendWindow {
		dropped = f.quiet
		f.since, f.inWin, f.quiet = now, 0, 0
	}
	if f.inWin >= frontendBurst {
		f.quiet++
		return false, dropped
	}
	f.inWin++
	return true, dropped
}

// reported is how many reports the UI sent since start.
func (f *frontendErrors) reported() int64 { return f.count.Load() }

// ReportFrontendError answers API.ReportFrontendError.
func (f *frontendErrors) ReportFrontendError(ctx context.Context, e FrontendError) error {
	switch e.Kind {
	case "boundary", "error", "unhandledrejection", "console":
	default:
		return fmt.Errorf("%w: frontend error kind %q: want boundary, error, unhandledrejection or console", ErrInvalid, clip(e.Kind, 40))
	}
	f.count.Add(1)
	ok, dropped := f.admit(time.Now())
	if dropped > 0 {
		f.log.Warn("frontend errors not logged", "count", dropped, "why", fmt.Sprintf("more than %d a minute", frontendBurst))
	}
	if !ok {
		return nil
	}
	attrs := []any{"kind", e.Kind, "route", clip(e.Route, maxFrontendWhere), "message", clip(e.Message, maxFrontendMessage)}
	if e.Where != "" {
		attrs = append(attrs, "where", clip(e.Where, maxFrontendWhere))
	}
	if e.Stack != "" {
		attrs = append(attrs, "stack", clip(e.Stack, maxFrontendStack))
	}
	f.log.Log(ctx, slog.LevelError, "frontend error", attrs...)
	return nil
}

// clip cuts s to at most n bytes, at a rune's start, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
