package desktop

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/callboard/callboard/app/notify"
)

// linkKey is where a notification carries its app route, for the click.
const linkKey = "link"

var _ notify.Notifier = (*Window)(nil)

// Notify shows m through Wails' notifications (Windows' toasts, macOS'
// notification centre); a click on it opens the window at m.Link. It
// fails while the window is starting or where the platform has none, so
// notify.Fallback tries the next way.
func (w *Window) Notify(_ context.Context, m notify.Message) error {
	w.mu.Lock()
	wctx := w.ctx
	w.mu.Unlock()
	if wctx == nil {
		return errors.New("the window is still starting")
	}
	if err := w.initNotifications(wctx); err != nil {
		return err
	}
	opts := wruntime.NotificationOptions{ID: "callboard-" + strconv.FormatUint(w.notices.Add(1), 10), Title: m.Title, Body: m.Body}
	if m.Link != "" {
		opts.Data = map[string]any{linkKey: m.Link}
	}
	if err := wruntime.SendNotification(wctx, opts); err != nil {
		return fmt.Errorf("send a notification through Wails: %w", err)
	}
	return nil
}

// initNotifications starts Wails' notifications once, and follows their
// clicks; what it found is kept, so a platform without them is asked once.
func (w *Window) initNotifications(wctx context.Context) error {
	w.notifyOnce.Do(func() {
		if !wruntime.IsNotificationAvailable(wctx) {
			w.notifyErr = errors.New("no notifications through Wails on this platform")
			return
		}
		if err := wruntime.InitializeNotifications(wctx); err != nil {
			w.notifyErr = fmt.Errorf("start Wails' notifications: %w", err)
			return
		}
		w.notifyStarted = true
		// Wails calls this in a goroutine of its own on every platform, so
		// Navigate's wait for the page holds up nothing.
		wruntime.OnNotificationResponse(wctx, func(r wruntime.NotificationResult) {
			if r.Error != nil {
				w.log.Warn("a notification's click", "err", r.Error)
				return
			}
			if link, ok := r.Response.UserInfo[linkKey].(string); ok && validRoute(link) {
				if err := w.Navigate(wctx, link); err != nil {
					w.log.Warn("open a notification's page", "err", err)
				}
			}
		})
	})
	return w.notifyErr
}

// validRoute keeps a notification's click within the app: a route, not
// an address.
func validRoute(link string) bool {
	return strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//")
}
