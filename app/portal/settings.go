package portal

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/updates"
)

// DefaultSyncInterval is how often locations sync unless the user says otherwise.
const DefaultSyncInterval = 5 * time.Minute

// userSettings keeps the user's settings, each field checked as it is set.
type userSettings struct {
	db  settingsStore
	log *slog.Logger
}

// settingsStore reads the settings and changes them in one transaction.
type settingsStore interface {
	Settings(ctx context.Context) (store.Settings, error)
	UpdateSettings(ctx context.Context, change func(*store.Settings) error) error
	Location(ctx context.Context, id string) (store.Location, bool, error)
}

// Settings answers API.Settings.
func (s *userSettings) Settings(ctx context.Context) (Settings, error) {
	st, err := s.db.Settings(ctx)
	if err != nil {
		return Settings{}, err
	}
	out := Settings{SyncIntervalMinutes: st.SyncIntervalMinutes, UserRef: st.UserRef, Toolkit: []Link{}, Editor: st.Editor, Terminal: st.Terminal,
		TrustedGitHosts: append([]string{}, st.TrustedGitHosts...), DocsImageHosts: st.DocsImageHosts, RemoteReadHosts: st.RemoteReadHosts,
		WelcomeDismissed: st.WelcomeDismissed, DemoRemoved: st.DemoRemoved,
		UpdateCheck: !st.Updates.Off, UpdateFeedURL: st.Updates.FeedURL, DismissedUpdate: st.Updates.Dismissed,
		QuestionsLocation: st.QuestionsLocation}
	for _, l := range st.Toolkit {
		out.Toolkit = append(out.Toolkit, Link(l))
	}
	if out.SyncIntervalMinutes == 0 {
		out.SyncIntervalMinutes = int(DefaultSyncInterval / time.Minute)
	}
	return out, nil
}

// UpdateSettings answers API.UpdateSettings: every field is set, as a patch of all.
func (s *userSettings) UpdateSettings(ctx context.Context, in Settings) (Settings, error) {
	return s.PatchSettings(ctx, SettingsPatch{SyncIntervalMinutes: &in.SyncIntervalMinutes, UserRef: &in.UserRef, Toolkit: &in.Toolkit,
		Editor: &in.Editor, Terminal: &in.Terminal, TrustedGitHosts: &in.TrustedGitHosts, DocsImageHosts: &in.DocsImageHosts, RemoteReadHosts: &in.RemoteReadHosts,
		WelcomeDismissed: &in.WelcomeDismissed, UpdateCheck: &in.UpdateCheck, UpdateFeedURL: &in.UpdateFeedURL, DismissedUpdate: &in.DismissedUpdate,
		QuestionsLocation: &in.QuestionsLocation})
}

// PatchSettings answers API.PatchSettings. The fields set are checked first; then
// they are written in one store transaction on the settings as stored
// then, so two windows or two cards changing different fields both keep
// their change.
func (s *userSettings) PatchSettings(ctx context.Context, p SettingsPatch) (Settings, error) {
	var changes []func(*store.Settings)
	var changed []string
	if v := p.SyncIntervalMinutes; v != nil {
		if *v < 1 || *v > 24*60 {
			return Settings{}, fmt.Errorf("sync interval %d minutes: want 1 to 1440: %w", *v, ErrInvalid)
		}
		changes = append(changes, func(st *store.Settings) { st.SyncIntervalMinutes = *v })
		changed = append(changed, "syncIntervalMinutes")
	}
	if v := p.UserRef; v != nil {
		userRef := ""
		if strings.TrimSpace(*v) != "" {
			r, err := catalog.ParseRef(*v, "user", catalog.DefaultNamespace)
			if err != nil || !strings.EqualFold(r.Kind, "user") {
				return Settings{}, fmt.Errorf("user %q: not a reference to a User entity: %w", *v, ErrInvalid)
			}
			userRef = r.String()
		}
		changes = append(changes, func(st *store.Settings) { st.UserRef = userRef })
		changed = append(changed, "userRef")
	}
	if v := p.Toolkit; v != nil {
		toolkit, err := toolkitLinks(*v)
		if err != nil {
			return Settings{}, err
		}
		changes = append(changes, func(st *store.Settings) { st.Toolkit = toolkit })
		changed = append(changed, "toolkit")
	}
	for name, v := range map[string]*string{"editor": p.Editor, "terminal": p.Terminal} {
		if v != nil && (strings.ContainsAny(*v, "\n\r\x00") || len(*v) > 500) {
			return Settings{}, fmt.Errorf("%s command %q: one line, at most 500 characters: %w", name, *v, ErrInvalid)
		}
	}
	if v := p.Editor; v != nil {
		changes = append(changes, func(st *store.Settings) { st.Editor = strings.TrimSpace(*v) })
		changed = append(changed, "editor")
	}
	if v := p.Terminal; v != nil {
		changes = append(changes, func(st *store.Settings) { st.Terminal = strings.TrimSpace(*v) })
		changed = append(changed, "terminal")
	}
	if v := p.TrustedGitHosts; v != nil {
		trusted, err := hostList("trusted git host", maxTrustedHosts, *v)
		if err != nil {
			return Settings{}, err
		}
		changes = append(changes, func(st *store.Settings) { st.TrustedGitHosts = trusted })
		changed = append(changed, "trustedGitHosts")
	}
	if v := p.DocsImageHosts; v != nil {
		hosts, err := docsImageHosts(*v)
		if err != nil {
			return Settings{}, err
		}
		changes = append(changes, func(st *store.Settings) { st.DocsImageHosts = hosts })
		changed = append(changed, "docsImageHosts")
	}
	if v := p.RemoteReadHosts; v != nil {
		hosts, err := hostList("remote read host", maxRemoteReadHosts, *v)
		if err != nil {
			return Settings{}, err
		}
		changes = append(changes, func(st *store.Settings) { st.RemoteReadHosts = hosts })
		changed = append(changed, "remoteReadHosts")
	}
	update, err := updatePatch(p)
	if err != nil {
		return Settings{}, err
	}
	changes, changed = append(changes, update.changes...), append(changed, update.changed...)
	qa, err := s.questionsPatch(ctx, p)
	if err != nil {
		return Settings{}, err
	}
	changes, changed = append(changes, qa.changes...), append(changed, qa.changed...)
	if len(changes) > 0 {
		err := s.db.UpdateSettings(ctx, func(st *store.Settings) error {
			for _, change := range changes {
				change(st)
			}
			return nil
		})
		if err != nil {
			return Settings{}, err
		}
		s.log.Info("settings changed", "fields", changed)
	}
	return s.Settings(ctx)
}

// settingChanges are the checked changes of a patch and the fields they set.
type settingChanges struct {
	changes []func(*store.Settings)
	changed []string
}

func (c *settingChanges) add(field string, change func(*store.Settings)) {
	c.changes, c.changed = append(c.changes, change), append(c.changed, field)
}

// updatePatch checks a patch's welcome and update-check fields. A new
// feed forgets what the old one said, so the next check reads it.
func updatePatch(p SettingsPatch) (settingChanges, error) {
	var c settingChanges
	if v := p.WelcomeDismissed; v != nil {
		c.add("welcomeDismissed", func(st *store.Settings) { st.WelcomeDismissed = *v })
	}
	if v := p.UpdateCheck; v != nil {
		c.add("updateCheck", func(st *store.Settings) { st.Updates.Off = !*v })
	}
	if v := p.UpdateFeedURL; v != nil {
		feed := strings.TrimSpace(*v)
		if feed != "" {
			if len(feed) > 2000 {
				return c, fmt.Errorf("update feed URL of %d bytes: at most 2000: %w", len(feed), ErrInvalid)
			}
			if err := updates.CheckFeedURL(feed); err != nil {
				return c, fmt.Errorf("%w: %w", err, ErrInvalid)
			}
		}
		c.add("updateFeedUrl", func(st *store.Settings) {
			if st.Updates.FeedURL != feed {
				st.Updates = store.UpdatePrefs{Off: st.Updates.Off, FeedURL: feed, Dismissed: st.Updates.Dismissed}
			}
		})
	}
	if v := p.DismissedUpdate; v != nil {
		if len(*v) > 100 || strings.ContainsAny(*v, "\n\r\x00") {
			return c, fmt.Errorf("dismissed update %.40q: one line, at most 100 characters: %w", *v, ErrInvalid)
		}
		c.add("dismissedUpdate", func(st *store.Settings) { st.Updates.Dismissed = strings.TrimSpace(*v) })
	}
	return c, nil
}

// toolkitLinks checks the user's links for Home: at most 30, http or
// https; a link without a title is titled by its host.
func toolkitLinks(in []Link) ([]store.Link, error) {
	if len(in) > 30 {
		return nil, fmt.Errorf("%d toolkit links: at most 30: %w", len(in), ErrInvalid)
	}
	var out []store.Link
	for _, l := range in {
		u, err := url.Parse(strings.TrimSpace(l.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("toolkit link %q: not an http or https URL: %w", l.URL, ErrInvalid)
		}
		title := strings.TrimSpace(l.Title)
		if title == "" {
			title = u.Host
		}
		out = append(out, store.Link{Title: title, URL: u.String()})
	}
	return out, nil
}

// SyncInterval is the background sync interval the user chose.
func (s *userSettings) SyncInterval(ctx context.Context) time.Duration {
	st, err := s.Settings(ctx)
	if err != nil {
		return DefaultSyncInterval
	}
	return time.Duration(st.SyncIntervalMinutes) * time.Minute
}
