package notify

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// The freedesktop notification service (Desktop Notifications
// Specification 1.2).
const (
	notificationsName   = "org.freedesktop.Notifications"
	notificationsPath   = "/org/freedesktop/Notifications"
	notificationsNotify = notificationsName + ".Notify"
)

// DBus shows the message through org.freedesktop.Notifications on the
// session bus: at Address, or the user's session bus when it is "".
type DBus struct{ Address string }

// Notify implements Notifier. It connects for each message: notifications
// are rare, and a held connection would outlive a restarted desktop.
func (d DBus) Notify(ctx context.Context, m Message) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var conn *dbus.Conn
	var err error
	if d.Address == "" {
		conn, err = dbus.SessionBusPrivate(dbus.WithContext(ctx))
	} else {
		conn, err = dbus.Dial(d.Address, dbus.WithContext(ctx))
	}
	if err != nil {
		return fmt.Errorf("connect to the session bus: %w", err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return fmt.Errorf("authenticate to the session bus: %w", err)
	}
	if err := conn.Hello(); err != nil {
		return fmt.Errorf("greet the session bus: %w", err)
	}
	m = bounded(m)
	// No actions, no hints, and the server's own expiry (-1).
	call := conn.Object(notificationsName, notificationsPath).CallWithContext(ctx, notificationsNotify, 0,
		appName, uint32(0), "", m.Title, m.Body, []string{}, map[string]dbus.Variant{}, int32(-1))
	if call.Err != nil {
		return fmt.Errorf("call %s: %w", notificationsNotify, call.Err)
	}
	return nil
}
