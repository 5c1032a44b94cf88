package portal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/notify"
	"github.com/callboard/callboard/app/store"
)

// Problem notifications: after each sync, the problems of its result
// that the location's previous result lacked, compared by file, entity
// and message (a line moved by an edit elsewhere is not new), are told
// to the user through the desktop when they touch an entity the user
// owns (unless turned off) or a location the user asked to hear about. The
// previous results are kept in memory from the watch's start: a start
// notifies nothing of what is already broken.

// notifiedKinds are the problems a sync's result brings: files and
// entities refused or kept at a last good version.
var notifiedKinds = map[string]bool{ProblemFileRefused: true, ProblemEntityRefused: true, ProblemEntityKept: true}

// desktopNotifier shows a notification; notify.New's is the one in use.
// An error means it was not shown.
type desktopNotifier interface {
	Notify(ctx context.Context, m notify.Message) error
}

// problemGatherer lists the problems of a location ("" for all), sorted;
// the problems area.
type problemGatherer interface {
	gather(ctx context.Context, id string) ([]Problem, map[string]store.Location, error)
}

// notifyStore reads and changes the notification settings and checks
// the locations named.
type notifyStore interface {
	settingsStore
	locationReader
}

// subscriber follows the bus.
type subscriber interface {
	Subscribe() (<-chan events.Event, func())
}

// problemAlerts is the notifications area: its settings, and the watch
// that notifies new problems after each sync.
type problemAlerts struct {
	db       notifyStore
	problems problemGatherer
	users    identifier
	bus      subscriber // nil: nothing to follow
	workers  Spawner
	log      *slog.Logger
	notifier desktopNotifier // set by watch

	mu   sync.Mutex
	seen map[string]map[problemKey]bool // each location's problems at its last sync
}

// problemKey is what makes a problem the same from one sync to the next.
type problemKey struct{ file, entity, message string }

// Notifications answers API.Notifications.
func (a *problemAlerts) Notifications(ctx context.Context) (NotificationSettings, error) {
	st, err := a.db.Settings(ctx)
	if err != nil {
		return NotificationSettings{}, err
	}
	return NotificationSettings{OwnedByMe: !st.Notify.OwnedOff, Locations: append([]string{}, st.Notify.Locations...)}, nil
}

// SetNotifications answers API.SetNotifications.
func (a *problemAlerts) SetNotifications(ctx context.Context, c NotificationChange) (NotificationSettings, error) {
	if (c.LocationID == "") != (c.Location == nil) {
		return NotificationSettings{}, fmt.Errorf("a location's notifications need its id and on or off: %w", ErrInvalid)
	}
	if c.LocationID != "" {
		if _, ok, err := a.db.Location(ctx, c.LocationID); err != nil {
			return NotificationSettings{}, err
		} else if !ok {
			return NotificationSettings{}, fmt.Errorf("location %q: %w", c.LocationID, ErrNotFound)
		}
	}
	err := a.db.UpdateSettings(ctx, func(st *store.Settings) error {
		if c.OwnedByMe != nil {
			st.Notify.OwnedOff = !*c.OwnedByMe
		}
		if c.LocationID != "" {
			ids := slices.DeleteFunc(st.Notify.Locations, func(id string) bool { return id == c.LocationID })
			if *c.Location {
				ids = append(ids, c.LocationID)
				slices.Sort(ids)
			}
			st.Notify.Locations = ids
		}
		return nil
	})
	if err != nil {
		return NotificationSettings{}, err
	}
	return a.Notifications(ctx)
}

// watch notifies the new problems of each sync from now on through n,
// until the workers stop.
func (a *problemAlerts) watch(n desktopNotifier) error {
	if a.bus == nil {
		return errors.New("watch for new problems: the service follows no event bus")
	}
	a.notifier = n
	ch, cancel := a.bus.Subscribe()
	err := a.workers.Go("problem notifications", func(ctx context.Context) {
		defer cancel()
		if err := a.baseline(ctx); err != nil {
			a.log.Warn("read the problems to notify new ones", "err", err)
		}
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-ch:
				if d, ok := ev.Data.(events.SyncResultData); ok && ev.Name == events.SyncDone {
					if err := a.afterSync(ctx, d.LocationID); err != nil && ctx.Err() == nil {
						a.log.Warn("notify new problems", "location", d.LocationID, "err", err)
					}
				}
			}
		}
	})
	if err != nil {
		cancel()
	}
	return err
}

// baseline notes the problems every location has now, so only those
// later syncs bring are notified.
func (a *problemAlerts) baseline(ctx context.Context) error {
	all, locs, err := a.problems.gather(ctx, "")
	if err != nil {
		return err
	}
	seen := map[string]map[problemKey]bool{}
	for id := range locs {
		seen[id] = map[problemKey]bool{}
	}
	for _, pr := range all {
		if notifiedKinds[pr.Kind] {
			seen[pr.LocationID][keyOf(pr)] = true
		}
	}
	a.mu.Lock()
	a.seen = seen
	a.mu.Unlock()
	return nil
}

func keyOf(pr Problem) problemKey { return problemKey{pr.File, pr.Entity, pr.Message} }

// afterSync notifies the problems location id has that it lacked at its
// previous sync, of those the settings ask for, and remembers them all.
func (a *problemAlerts) afterSync(ctx context.Context, id string) error {
	fresh, err := a.newProblems(ctx, id)
	if err != nil || len(fresh) == 0 {
		return err
	}
	wanted, err := a.wanted(ctx, id)
	if err != nil {
		return err
	}
	fresh = slices.DeleteFunc(fresh, func(pr Problem) bool { return !wanted(pr) })
	if len(fresh) == 0 {
		return nil
	}
	m := messageOf(id, fresh)
	if err := a.notifier.Notify(ctx, m); err != nil {
		return err
	}
	a.log.Info("new problems notified", "location", id, "count", len(fresh))
	return nil
}

// newProblems lists the problems of location id its previous sync did
// not have, and keeps its current ones for the next.
func (a *problemAlerts) newProblems(ctx context.Context, id string) ([]Problem, error) {
	all, _, err := a.problems.gather(ctx, id)
	if err != nil {
		return nil, err
	}
	now := map[problemKey]bool{}
	a.mu.Lock()
	defer a.mu.Unlock()
	before := a.seen[id]
	var fresh []Problem
	for _, pr := range all {
		if !notifiedKinds[pr.Kind] {
			continue
		}
		k := keyOf(pr)
		if !before[k] && !now[k] {
			fresh = append(fresh, pr)
		}
		now[k] = true
	}
	if a.seen == nil {
		a.seen = map[string]map[problemKey]bool{}
	}
	a.seen[id] = now
	return fresh, nil
}

// wanted says whether the settings ask for a new problem of location id
// to be notified.
func (a *problemAlerts) wanted(ctx context.Context, id string) (func(Problem) bool, error) {
	st, err := a.db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if slices.Contains(st.Notify.Locations, id) {
		return func(Problem) bool { return true }, nil
	}
	if st.Notify.OwnedOff {
		return func(Problem) bool { return false }, nil
	}
	me, err := a.users.identity(ctx)
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	if me.UserRef != "" {
		mine = setOf(append([]string{me.UserRef}, me.Groups...))
	}
	return func(pr Problem) bool { return pr.Owner != "" && mine[pr.Owner] }, nil
}

// messageOf is the notification of new problems of location id: the
// location, how many, and the first one's file:line, field and message.
func messageOf(id string, fresh []Problem) notify.Message {
	first := fresh[0]
	where := first.File
	if first.Line > 0 {
		where = fmt.Sprintf("%s:%d", first.File, first.Line)
	}
	title := fmt.Sprintf("%d new problem in %s", len(fresh), id)
	if len(fresh) > 1 {
		title = fmt.Sprintf("%d new problems in %s", len(fresh), id)
	}
	where = cmp.Or(where, first.Entity)
	if first.Field != "" {
		where += " " + first.Field
	}
	body := strings.TrimSpace(where + ": " + first.Message)
	if len(fresh) > 1 {
		body += fmt.Sprintf("\nand %d more", len(fresh)-1)
	}
	return notify.Message{Title: title, Body: body}
}
