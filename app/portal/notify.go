package portal

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
)

// Problem notifications: after each sync, the problems of its result
// that the location's previous result lacked, compared by file, entity
// and message (a line moved by an edit elsewhere is not new), are
// raised in the notification centre when they touch an entity the user
// owns (unless turned off) or a location the user asked to hear about.
// The previous results are kept in memory from the watch's start: a
// start notifies nothing of what is already broken. The other kinds are
// in notifywatch.go.

// notifiedKinds are the problems a sync's result brings: files and
// entities refused or kept at a last good version.
var notifiedKinds = map[string]bool{ProblemFileRefused: true, ProblemEntityRefused: true, ProblemEntityKept: true}

// problemGatherer lists the problems of a location ("" for all), sorted;
// the problems area.
type problemGatherer interface {
	gather(ctx context.Context, id string) ([]Problem, map[string]store.Location, error)
}

// notifyStore reads and changes the notification settings and reads
// what the notifications are about: locations, the outbox, facts.
type notifyStore interface {
	settingsStore
	locationReader
	Outbox(ctx context.Context, id string) ([]store.OutboxEntry, error)
	Facts(ctx context.Context, ref string) ([]store.PluginFacts, error)
}

// subscriber follows the bus.
type subscriber interface {
	Subscribe() (<-chan events.Event, func())
}

// templateUpdates lists the projects whose template moved on; the
// template runs' area.
type templateUpdates interface {
	TemplateUpdates(ctx context.Context) ([]TemplateUpdateSummary, error)
}

// alerts is the notifications area: its settings, and the watch that
// raises notifications in the centre from what the bus tells.
type alerts struct {
	db       notifyStore
	problems problemGatherer
	users    identifier
	owner    func(ref string) string // the owner of an entity of the catalog table, "" when unknown
	updates  templateUpdates
	centre   *notices
	bus      subscriber // nil: nothing to follow
	workers  Spawner
	log      *slog.Logger

	mu      sync.Mutex
	seen    map[string]map[problemKey]bool          // each location's problems at its last sync
	reviews map[string]map[string]store.OutboxEntry // each location's entries with a pull request, at the last look
}

// problemKey is what makes a problem the same from one sync to the next.
type problemKey struct{ file, entity, message string }

// defaultKinds are the kinds of notification in the settings' order,
// each with whether it is on by default.
func defaultKinds() []NotificationKindSetting {
	return []NotificationKindSetting{
		{Kind: NotifyOutboxConflict, Default: true},
		{Kind: NotifyPullRequest, Default: true},
		{Kind: NotifyTemplateRun, Default: true},
		{Kind: NotifyProblems, Default: true},
		{Kind: NotifySyncFailed},
		{Kind: NotifyCIFailed},
		{Kind: NotifyTemplateUpdate},
	}
}

// Notifications answers API.Notifications.
func (a *alerts) Notifications(ctx context.Context) (NotificationSettings, error) {
	st, err := a.db.Settings(ctx)
	if err != nil {
		return NotificationSettings{}, err
	}
	on := kindsOn(st)
	kinds := defaultKinds()
	for i := range kinds {
		kinds[i].On = on[kinds[i].Kind]
	}
	return NotificationSettings{OwnedByMe: !st.Notify.OwnedOff, Locations: append([]string{}, st.Notify.Locations...), Kinds: kinds}, nil
}

// SetNotifications answers API.SetNotifications.
func (a *alerts) SetNotifications(ctx context.Context, c NotificationChange) (NotificationSettings, error) {
	if (c.LocationID == "") != (c.Location == nil) {
		return NotificationSettings{}, fmt.Errorf("a location's notifications need its id and on or off: %w", ErrInvalid)
	}
	if (c.Kind == "") != (c.On == nil) {
		return NotificationSettings{}, fmt.Errorf("a kind of notification needs its name and on or off: %w", ErrInvalid)
	}
	if c.Kind != "" && !slices.ContainsFunc(defaultKinds(), func(k NotificationKindSetting) bool { return k.Kind == c.Kind }) {
		return NotificationSettings{}, fmt.Errorf("notification kind %q: unknown: %w", c.Kind, ErrInvalid)
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
		switch {
		case c.Kind == NotifyProblems:
			st.Notify.OwnedOff = !*c.On
		case c.Kind != "":
			if st.Notify.Kinds == nil {
				st.Notify.Kinds = map[string]bool{}
			}
			st.Notify.Kinds[string(c.Kind)] = *c.On
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

// baseline notes the problems every location has now, so only those
// later syncs bring are notified.
func (a *alerts) baseline(ctx context.Context) error {
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

// afterSync notifies the problems location id has at commit that it
// lacked at its previous sync, of those the settings ask for, and
// remembers them all. The notice's key is the location, the commit and
// the problems, so a problem fixed and broken again is told again, and
// a sync of the same commit after a restart is not.
func (a *alerts) afterSync(ctx context.Context, id, commit string) error {
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
	n := noticeOf(id, fresh)
	key := []string{id, commit}
	for _, pr := range fresh {
		key = append(key, pr.File, pr.Entity, pr.Message)
	}
	n.key = strings.Join(key, "\x00")
	return a.centre.raise(ctx, n)
}

// newProblems lists the problems of location id its previous sync did
// not have, and keeps its current ones for the next.
func (a *alerts) newProblems(ctx context.Context, id string) ([]Problem, error) {
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
func (a *alerts) wanted(ctx context.Context, id string) (func(Problem) bool, error) {
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

// noticeOf is the notification of new problems of location id: the
// location, how many, and the first one's file:line, field and message;
// it links to the location's problems.
func noticeOf(id string, fresh []Problem) notice {
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
	return notice{kind: NotifyProblems, title: title, body: body, link: "/problems?location=" + url.QueryEscape(id)}
}
