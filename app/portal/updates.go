package portal

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/updates"
)

// How often the background check reads the feed, when it first looks
// after the start (the window is up by then), and how often it looks
// whether a day has passed while the app stays open.
const (
	updateEvery     = 24 * time.Hour
	updateFirstLook = 10 * time.Second
	updateLookEvery = time.Hour
)

// releaseFeed reads a release feed; *updates.Fetcher is the one in use.
// Errors say why the feed could not be read or understood.
type releaseFeed interface {
	Latest(ctx context.Context, feedURL string) (updates.Release, error)
}

// updateCheck tells the user of a newer release: it reads the feed at
// most once a day in the background, or when asked, and keeps the answer
// in the settings.
type updateCheck struct {
	db      settingsStore
	feed    releaseFeed
	current string
	workers Spawner
	events  publisher
	log     *slog.Logger
	// mu makes checks one at a time, so two never read the feed at once.
	mu sync.Mutex
}

// Updates answers API.Updates.
func (u *updateCheck) Updates(ctx context.Context) (UpdateStatus, error) {
	st, err := u.db.Settings(ctx)
	if err != nil {
		return UpdateStatus{}, err
	}
	return u.status(st.Updates), nil
}

// CheckUpdates answers API.CheckUpdates: the user asked, so the feed is
// read even when the daily check is off or ran today.
func (u *updateCheck) CheckUpdates(ctx context.Context) (UpdateStatus, error) {
	return u.check(ctx, func(store.UpdatePrefs) bool { return true })
}

// checkIfDue reads the feed when the daily check is on and a day has
// passed since the last read.
func (u *updateCheck) checkIfDue(ctx context.Context, now time.Time) {
	_, err := u.check(ctx, func(p store.UpdatePrefs) bool { return !p.Off && now.Sub(p.Checked) >= updateEvery })
	if err != nil {
		u.log.Warn("check for updates", "err", err)
	}
}

// check reads the feed when due says so, records what it said (or why it
// could not be read) and publishes the status.
func (u *updateCheck) check(ctx context.Context, due func(store.UpdatePrefs) bool) (UpdateStatus, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	st, err := u.db.Settings(ctx)
	if err != nil {
		return UpdateStatus{}, err
	}
	if !due(st.Updates) {
		return u.status(st.Updates), nil
	}
	feed := cmp.Or(st.Updates.FeedURL, updates.DefaultFeed)
	rel, ferr := u.feed.Latest(ctx, feed)
	if ctx.Err() != nil {
		return UpdateStatus{}, ctx.Err() // shutting down: not a failed check
	}
	var out store.UpdatePrefs
	err = u.db.UpdateSettings(ctx, func(s *store.Settings) error {
		if s.Updates.FeedURL != st.Updates.FeedURL {
			return nil // the user chose another feed meanwhile: this answer is not its
		}
		s.Updates.Checked = time.Now().UTC()
		if ferr != nil {
			s.Updates.Error = ferr.Error()
		} else {
			s.Updates.Latest, s.Updates.URL, s.Updates.Notes, s.Updates.Error = rel.Version, rel.URL, rel.Notes, ""
		}
		out = s.Updates
		return nil
	})
	if err != nil {
		return UpdateStatus{}, err
	}
	status := u.status(out)
	if ferr != nil {
		u.log.Info("update feed not read", "feed", feed, "err", ferr)
	} else {
		u.log.Info("update feed read", "feed", feed, "latest", rel.Version, "newer", status.Newer)
	}
	u.events.emit(ctx, events.UpdatesChecked, status)
	return status, nil
}

// status is what the stored prefs say to the running version.
func (u *updateCheck) status(p store.UpdatePrefs) UpdateStatus {
	s := UpdateStatus{Enabled: !p.Off, FeedURL: cmp.Or(p.FeedURL, updates.DefaultFeed), Current: u.current, IsRelease: updates.IsRelease(u.current),
		Latest: p.Latest, URL: p.URL, Notes: p.Notes, Error: p.Error, Newer: updates.Newer(u.current, p.Latest)}
	s.Dismissed = s.Newer && p.Dismissed == p.Latest
	if !p.Checked.IsZero() {
		s.CheckedAt = p.Checked.UTC().Format(time.RFC3339)
	}
	if p.Notes != "" {
		html, err := updates.NotesHTML(p.Notes)
		if err != nil {
			u.log.Warn("render release notes", "err", err)
		}
		s.NotesHTML = html
	}
	return s
}

// watch runs the daily check in the background until the workers stop:
// a first look shortly after the start, never before the window is up,
// then hourly looks whether a day has passed. A dev or dirty build does
// not check (only when asked).
func (u *updateCheck) watch() error {
	// A build that is no release is never told of one: it need not ask.
	if !updates.IsRelease(u.current) {
		u.log.Debug("no update check for a build that is no release", "version", u.current)
		return nil
	}
	if u.workers == nil {
		return errors.New("check for updates: this instance runs no background work")
	}
	return u.workers.Go("update check", func(ctx context.Context) {
		wait := time.NewTimer(updateFirstLook)
		defer wait.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-wait.C:
			}
			u.checkIfDue(ctx, time.Now())
			wait.Reset(updateLookEvery)
		}
	})
}
