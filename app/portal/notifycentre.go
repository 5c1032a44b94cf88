package portal

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/notify"
	"github.com/callboard/callboard/app/store"
)

// The notification centre keeps what the watch (notifywatch.go) raises:
// each notification is stored with a dedupe key, so the same thing is
// never told twice, across restarts too; it is published on the bus for
// the window's bell, and shown on the desktop when a notifier is set
// (the window's; serve has none).

// centreStore keeps notifications and their keys; *store.DB is the one
// in use.
type centreStore interface {
	AddNotification(ctx context.Context, n store.Notification) (store.Notification, bool, error)
	Notifications(ctx context.Context) ([]store.Notification, int, error)
	MarkNotificationsRead(ctx context.Context, ids []string, all bool) error
	ClearNotifications(ctx context.Context) error
	ForgetNotificationKey(ctx context.Context, key string) error
	Settings(ctx context.Context) (store.Settings, error)
}

// notices is the notification centre's area.
type notices struct {
	db     centreStore
	events publisher
	log    *slog.Logger
	now    func() time.Time
	// desktop shows notifications on the desktop; nil until the window
	// sets it.
	desktop atomic.Pointer[notify.Notifier]
}

// notice is a notification about to be raised.
type notice struct {
	kind  NotificationKind
	key   string // the dedupe key: kind-specific, never empty
	title string
	body  string
	link  string
}

// kindsOn says which kinds of notification the settings have on.
func kindsOn(st store.Settings) map[NotificationKind]bool {
	on := map[NotificationKind]bool{}
	for _, k := range defaultKinds() {
		v, set := st.Notify.Kinds[string(k.Kind)]
		on[k.Kind] = k.Default
		if set {
			on[k.Kind] = v
		}
	}
	on[NotifyProblems] = !st.Notify.OwnedOff
	return on
}

// on says whether kind is switched on.
func (c *notices) on(ctx context.Context, kind NotificationKind) (bool, error) {
	st, err := c.db.Settings(ctx)
	if err != nil {
		return false, err
	}
	return kindsOn(st)[kind], nil
}

// raise keeps n unless its key was raised before, publishes it and
// shows it on the desktop. The caller has checked its kind is on.
func (c *notices) raise(ctx context.Context, n notice) error {
	kept, added, err := c.db.AddNotification(ctx, store.Notification{Kind: string(n.kind), Key: string(n.kind) + "\x00" + n.key,
		Time: c.now(), Title: n.title, Body: n.body, Link: n.link})
	if err != nil || !added {
		return err
	}
	c.log.Info("notification raised", "kind", n.kind, "id", kept.ID)
	c.events.emit(ctx, events.NotificationAdded, notificationDTO(kept))
	if d := c.desktop.Load(); d != nil {
		if err := (*d).Notify(ctx, notify.Message{Title: n.title, Body: n.body, Link: n.link}); err != nil {
			return fmt.Errorf("show notification %s on the desktop: %w", kept.ID, err)
		}
	}
	return nil
}

// forget ends an episode: the next notice of kind with key is raised.
func (c *notices) forget(ctx context.Context, kind NotificationKind, key string) error {
	return c.db.ForgetNotificationKey(ctx, string(kind)+"\x00"+key)
}

func notificationDTO(n store.Notification) Notification {
	return Notification{ID: n.ID, Kind: NotificationKind(n.Kind), Time: n.Time.UTC().Format(time.RFC3339),
		Title: n.Title, Body: n.Body, Link: n.Link, Read: n.Read}
}

// ListNotifications answers API.ListNotifications.
func (c *notices) ListNotifications(ctx context.Context) (NotificationList, error) {
	all, unread, err := c.db.Notifications(ctx)
	if err != nil {
		return NotificationList{}, err
	}
	out := NotificationList{Notifications: make([]Notification, 0, len(all)), Unread: unread}
	for _, n := range all {
		out.Notifications = append(out.Notifications, notificationDTO(n))
	}
	return out, nil
}

// ReadNotifications answers API.ReadNotifications.
func (c *notices) ReadNotifications(ctx context.Context, r NotificationsRead) (NotificationList, error) {
	if !r.All && len(r.IDs) == 0 {
		return NotificationList{}, fmt.Errorf("mark notifications read: name them or all: %w", ErrInvalid)
	}
	if len(r.IDs) > store.MaxNotifications {
		return NotificationList{}, fmt.Errorf("mark notifications read: %d ids, at most %d: %w", len(r.IDs), store.MaxNotifications, ErrInvalid)
	}
	if err := c.db.MarkNotificationsRead(ctx, r.IDs, r.All); err != nil {
		return NotificationList{}, err
	}
	return c.ListNotifications(ctx)
}

// ClearNotifications answers API.ClearNotifications.
func (c *notices) ClearNotifications(ctx context.Context) (NotificationList, error) {
	if err := c.db.ClearNotifications(ctx); err != nil {
		return NotificationList{}, err
	}
	return c.ListNotifications(ctx)
}
