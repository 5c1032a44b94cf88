package portal

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/notify"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// notifications records what it is asked to show.
type notifications struct {
	mu   sync.Mutex
	got  []notify.Message
	sent chan notify.Message // each message too, when set
}

func (n *notifications) Notify(_ context.Context, m notify.Message) error {
	n.mu.Lock()
	n.got = append(n.got, m)
	n.mu.Unlock()
	if n.sent != nil {
		n.sent <- m
	}
	return nil
}

func (n *notifications) take() []notify.Message {
	n.mu.Lock()
	defer n.mu.Unlock()
	got := n.got
	n.got = nil
	return got
}

// notifyCatalog is a Location listing a file per owner: the user's
// team's service and another team's.
var notifyCatalog = map[string][]byte{
	"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./people.yaml, ./mine.yaml, ./theirs.yaml]\n"),
	"people.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: jane}\nspec: {memberOf: [team-a]}\n" +
		"---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\nspec: {type: team, children: []}\n" +
		"---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-b}\nspec: {type: team, children: []}\n"),
	"mine.yaml":   component("mine", "team-a", "production"),
	"theirs.yaml": component("theirs", "team-b", "production"),
}

func component(name, owner, lifecycle string) []byte {
	return fmt.Appendf(nil, "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\nspec:\n  type: service\n  owner: %s\n  lifecycle: %q\n", name, owner, lifecycle)
}

// broken is a component the catalog refuses: its lifecycle is empty. A
// synced entity broken so is kept at its last good version.
func broken(name, owner string) []byte { return component(name, owner, "") }

// New problems are notified after the sync that brings them, once, when
// the user owns the entity or asked for the location; a sync that
// changes nothing, or brings problems of others, notifies nothing.
func TestNotifyNewProblems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t, func(c *Config) {
		c.Syncer = syncer.New(c.DB, filepath.Join(t.TempDir(), "clones"), gitfetch.Credentials{}, &events.Bus{}, c.Log, nil)
	})
	if _, err := s.PatchSettings(ctx, SettingsPatch{UserRef: new("user:jane")}); err != nil {
		t.Fatal(err)
	}
	repo := gittest.New(t)
	repo.Commit("Add the catalog", notifyCatalog)
	loc, err := s.AddLocation(ctx, NewLocation{URL: repo.Dir})
	if err != nil {
		t.Fatal(err)
	}
	rec := &notifications{}
	var desktop notify.Notifier = rec
	s.centre.desktop.Store(&desktop)
	if err := s.alerts.baseline(ctx); err != nil {
		t.Fatal(err)
	}
	on, off := true, false
	steps := []struct {
		name   string
		files  map[string][]byte // committed before the sync; nil: none
		change *NotificationChange
		want   []string // the notifications' titles and bodies
	}{
		{name: "first sync, nothing broken"},
		{name: "the user's entity broken", files: map[string][]byte{"mine.yaml": broken("mine", "team-a")},
			want: []string{"1 new problem in " + loc.ID + "|mine.yaml:8 spec.lifecycle: must not be empty"}},
		{name: "synced again unchanged"},
		{name: "an entity of others broken", files: map[string][]byte{"theirs.yaml": broken("theirs", "team-b")}},
		{name: "fixed, then broken again", files: map[string][]byte{"mine.yaml": component("mine", "team-a", "production")}},
		{name: "broken again", files: map[string][]byte{"mine.yaml": broken("mine", "team-a")},
			want: []string{"1 new problem in " + loc.ID + "|mine.yaml:8 spec.lifecycle: must not be empty"}},
		{name: "owned by me turned off", change: &NotificationChange{OwnedByMe: &off},
			files: map[string][]byte{"mine.yaml": component("mine", "team-a", "production"), "theirs.yaml": component("theirs", "team-b", "production")}},
		{name: "owned by me off, the user's broken", files: map[string][]byte{"mine.yaml": broken("mine", "team-a")}},
		{name: "the location turned on, two broken", change: &NotificationChange{LocationID: loc.ID, Location: &on},
			files: map[string][]byte{"mine.yaml": component("mine", "team-a", "production")}},
		{name: "every problem of the location", files: map[string][]byte{"mine.yaml": broken("mine", "team-a"), "theirs.yaml": broken("theirs", "team-b")},
			want: []string{"2 new problems in " + loc.ID + "|mine.yaml:8 spec.lifecycle: must not be empty"}},
	}
	for _, st := range steps {
		if st.change != nil {
			if _, err := s.SetNotifications(ctx, *st.change); err != nil {
				t.Fatal(err)
			}
		}
		if st.files != nil {
			repo.Commit(st.name, st.files)
		}
		if _, err := s.Sync(ctx, loc.ID); err != nil {
			t.Fatal(err)
		}
		synced, _, err := db.Location(ctx, loc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.alerts.afterSync(ctx, loc.ID, synced.HeadCommit); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range rec.take() {
			got = append(got, m.Title+"|"+m.Body)
		}
		if len(got) != len(st.want) {
			t.Fatalf("%s: notified %q, want %q", st.name, got, st.want)
		}
		for i := range got {
			if !strings.HasPrefix(got[i], st.want[i]) {
				t.Errorf("%s: notified %q, want it to start %q", st.name, got[i], st.want[i])
			}
		}
	}
}

// The watch notifies from the sync:done events of the bus.
func TestWatchNotificationsProblems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bus := &events.Bus{}
	s, _ := newService(t, func(c *Config) {
		c.Events = bus
		c.Syncer = syncer.New(c.DB, filepath.Join(t.TempDir(), "clones"), gitfetch.Credentials{}, bus, c.Log, nil)
	})
	repo := gittest.New(t)
	repo.Commit("Add the catalog", notifyCatalog)
	loc, err := s.AddLocation(ctx, NewLocation{URL: repo.Dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetNotifications(ctx, NotificationChange{LocationID: loc.ID, Location: new(true)}); err != nil {
		t.Fatal(err)
	}
	rec := &notifications{sent: make(chan notify.Message, 1)}
	if err := s.WatchNotifications(rec); err != nil {
		t.Fatal(err)
	}
	repo.Commit("Break it", map[string][]byte{"theirs.yaml": broken("theirs", "team-b")})
	if _, err := s.Sync(ctx, loc.ID); err != nil {
		t.Fatal(err)
	}
	if m := <-rec.sent; !strings.Contains(m.Body, "theirs.yaml:8") {
		t.Errorf("notified %+v, want theirs.yaml:8", m)
	}
}

func TestSetNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	loc, err := s.AddLocation(ctx, NewLocation{URL: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Notifications(ctx)
	if err != nil || !got.OwnedByMe || len(got.Locations) != 0 {
		t.Fatalf("Notifications = %+v, %v; want owned by me only", got, err)
	}
	got, err = s.SetNotifications(ctx, NotificationChange{LocationID: loc.ID, Location: new(true), OwnedByMe: new(false)})
	if err != nil || got.OwnedByMe || len(got.Locations) != 1 || got.Locations[0] != loc.ID {
		t.Fatalf("SetNotifications = %+v, %v; want %s only", got, err, loc.ID)
	}
	for _, c := range []struct {
		change NotificationChange
		want   error
	}{
		{NotificationChange{LocationID: "nowhere", Location: new(true)}, ErrNotFound},
		{NotificationChange{LocationID: loc.ID}, ErrInvalid},
		{NotificationChange{Location: new(true)}, ErrInvalid},
	} {
		if _, err := s.SetNotifications(ctx, c.change); !errors.Is(err, c.want) {
			t.Errorf("SetNotifications(%+v) = %v, want %v", c.change, err, c.want)
		}
	}
}
