package portal

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/workers"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// watched is a service whose notification watch follows a real bus, on
// a real store, with what the centre publishes.
type watched struct {
	s     *Service
	db    *store.DB
	bus   *events.Bus
	added <-chan events.Event
	runs  int
}

// watchNotifications starts the notification watch of a service on db, and returns
// it with a function that stops the watch (the test's cleanup does too).
func watchNotifications(t *testing.T, db *store.DB, opts ...option) (*watched, func()) {
	t.Helper()
	bus := &events.Bus{}
	group := workers.New(slog.New(slog.DiscardHandler))
	stop := func() {
		if err := group.Close(time.Minute); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(stop)
	log := slog.New(slog.DiscardHandler)
	cfg := Config{DB: db, Log: log, Workers: group, Events: bus,
		Syncer: syncer.New(db, filepath.Join(t.TempDir(), "clones"), gitfetch.Credentials{}, bus, log, nil)}
	for _, o := range opts {
		o(&cfg)
	}
	s := New(cfg)
	in, cancel := bus.Subscribe()
	added, done := make(chan events.Event, 64), make(chan struct{})
	t.Cleanup(func() { cancel(); close(done) })
	go func() {
		for {
			select {
			case <-done:
				return
			case ev := <-in:
				if ev.Name == events.NotificationAdded {
					added <- ev
				}
			}
		}
	}()
	if err := s.WatchNotifications(nil); err != nil {
		t.Fatal(err)
	}
	return &watched{s: s, db: db, bus: bus, added: added}, stop
}

// next returns the titles of the notifications raised by what the test
// did, then emits a template run's end and waits for its notification:
// the watch handles events in order, so what it raised before shows
// first, and nothing raised shows as none.
func (w *watched) next(t *testing.T) []string {
	t.Helper()
	w.runs++
	sentinel := fmt.Sprintf("sentinel %d.%d", time.Now().UnixNano(), w.runs)
	w.bus.Emit(context.Background(), events.ScaffoldDone, ScaffoldRun{ID: sentinel, Title: sentinel, Status: "completed"})
	var got []string
	// A failure guard, not a pace: the sentinel is due at once.
	guard := time.After(30 * time.Second)
	for {
		select {
		case ev := <-w.added:
			n := ev.Data.(Notification)
			if n.Title == "Template run finished: "+sentinel {
				return got
			}
			got = append(got, n.Title)
		case <-guard:
			t.Fatalf("no notification of %s", sentinel)
		}
	}
}

func openDB(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// notifyOrg is a location "org" holding user jane of team-a, the team's
// service "mine" and another team's "theirs".
func notifyOrg(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	files := catalog.MapFiles{}
	for name, b := range notifyCatalog {
		files[name] = string(b)
	}
	res := catalog.Process(ctx, files, catalog.Options{}, "catalog-info.yaml")
	if err := db.PutLocation(ctx, store.Location{ID: "org"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLocation(ctx, "org", store.Snapshot{Commit: "c1", Entities: res.Entities, Edges: res.Edges}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateSettings(ctx, func(st *store.Settings) error { st.UserRef = "user:default/jane"; return nil }); err != nil {
		t.Fatal(err)
	}
}

// step is one thing done to the store and the bus, and the
// notifications it should raise.
type step struct {
	name string
	do   func(t *testing.T, w *watched)
	want []string
}

func emit(name string, data any) func(*testing.T, *watched) {
	return func(_ *testing.T, w *watched) { w.bus.Emit(context.Background(), name, data) }
}

func turn(kind NotificationKind, on bool) func(*testing.T, *watched) {
	return func(t *testing.T, w *watched) {
		if _, err := w.s.SetNotifications(context.Background(), NotificationChange{Kind: kind, On: &on}); err != nil {
			t.Fatal(err)
		}
	}
}

func both(fs ...func(*testing.T, *watched)) func(*testing.T, *watched) {
	return func(t *testing.T, w *watched) {
		for _, f := range fs {
			f(t, w)
		}
	}
}

func putLocation(loc store.Location) func(*testing.T, *watched) {
	return func(t *testing.T, w *watched) {
		if err := w.db.PutLocation(context.Background(), loc); err != nil {
			t.Fatal(err)
		}
	}
}

func putOutbox(es ...store.OutboxEntry) func(*testing.T, *watched) {
	return func(t *testing.T, w *watched) {
		if err := w.db.PutOutbox(context.Background(), es...); err != nil {
			t.Fatal(err)
		}
	}
}

func deleteOutbox(ids ...string) func(*testing.T, *watched) {
	return func(t *testing.T, w *watched) {
		if err := w.db.DeleteOutbox(context.Background(), ids...); err != nil {
			t.Fatal(err)
		}
	}
}

func ciPassed(ref string, passed bool) func(*testing.T, *watched) {
	return func(t *testing.T, w *watched) {
		facts := []store.StoredFact{{Name: ciFact, Type: "flag", Value: passed}}
		if err := w.db.PutFacts(context.Background(), ref, ciPlugin, time.Now(), facts); err != nil {
			t.Fatal(err)
		}
		w.bus.Emit(context.Background(), events.FactsChanged, FactsChange{Refs: []string{ref}})
	}
}

// updatesFound answers TemplateUpdates with what it holds.
type updatesFound struct{ found []TemplateUpdateSummary }

func (u *updatesFound) TemplateUpdates(context.Context) ([]TemplateUpdateSummary, error) {
	return u.found, nil
}

// Each kind is raised from its event, once, and only when switched on.
func TestNotificationKinds(t *testing.T) {
	t.Parallel()
	staleSince := time.Now().Add(-time.Hour)
	failing := store.Location{ID: "org", LastError: "fetch: connection refused", StaleSince: staleSince, LastSuccess: staleSince}
	review := func(state string, prState string) store.OutboxEntry {
		return store.OutboxEntry{ID: "org/01", LocationID: "org", Message: "Describe mine\n\nmore", State: state,
			Review: &store.OutboxReview{Number: 7, URL: "https://forge.example/acme/org/pull/7", State: prState}}
	}
	updates := &updatesFound{}
	kinds := []struct {
		name  string
		steps []step
	}{
		{"sync failed", []step{
			{name: "off by default", do: both(putLocation(failing), emit(events.SyncError, events.SyncResultData{LocationID: "org"}))},
			{name: "on", do: both(turn(NotifySyncFailed, true), emit(events.SyncError, events.SyncResultData{LocationID: "org"})),
				want: []string{"Sync of org failed"}},
			{name: "the same episode", do: emit(events.SyncError, events.SyncResultData{LocationID: "org"})},
			{name: "a day without a sync", do: both(putLocation(store.Location{ID: "org", StaleSince: staleSince, LastSuccess: time.Now().Add(-50 * time.Hour)}),
				emit(events.SyncError, events.SyncResultData{LocationID: "org"})), want: []string{"org has not synced for 2 days"}},
			{name: "a new episode", do: both(putLocation(store.Location{ID: "org", StaleSince: time.Now()}), emit(events.SyncError, events.SyncResultData{LocationID: "org"})),
				want: []string{"Sync of org failed"}},
		}},
		{"outbox conflict", []step{
			{name: "a template push's change (no location)", do: both(putOutbox(store.OutboxEntry{ID: "org/02", LocationID: "org", Message: "Edit", State: store.StateConflict, Branch: "callboard/conflict-1"}),
				emit(events.OutboxChanged, events.SyncResultData{}))},
			{name: "a conflict", do: emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"}), want: []string{"A change conflicts with the remote in org"}},
			{name: "still in conflict", do: emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"})},
			{name: "off", do: both(turn(NotifyOutboxConflict, false), putOutbox(store.OutboxEntry{ID: "org/03", LocationID: "org", State: store.StateConflict}),
				emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"}))},
		}},
		{"pull request", []step{
			{name: "opened", do: both(putOutbox(review(store.StatePending, store.ReviewOpen)), emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"}))},
			{name: "closed", do: both(putOutbox(review(store.StateClosed, store.ReviewClosed)), emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"})),
				want: []string{"Pull request #7 closed unmerged"}},
			{name: "discarded once closed", do: both(deleteOutbox("org/01"), emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"}))},
			{name: "reopened", do: both(putOutbox(review(store.StatePending, store.ReviewOpen)), emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"}))},
			{name: "merged: the entry left", do: both(deleteOutbox("org/01"), emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"})),
				want: []string{"Pull request #7 merged"}},
			{name: "merged again (the same pull request)", do: both(putOutbox(review(store.StatePending, store.ReviewOpen)), emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"}),
				deleteOutbox("org/01"), emit(events.OutboxChanged, events.SyncResultData{LocationID: "org"}))},
		}},
		{"template run", []step{
			{name: "finished", do: emit(events.ScaffoldDone, ScaffoldRun{ID: "r1", Title: "New service", Status: "completed"}), want: []string{"Template run finished: New service"}},
			{name: "told again", do: emit(events.ScaffoldDone, ScaffoldRun{ID: "r1", Title: "New service", Status: "completed"})},
			{name: "failed", do: emit(events.ScaffoldDone, ScaffoldRun{ID: "r2", Template: "template:default/x", Status: "failed", Error: "boom"}), want: []string{"Template run failed: template:default/x"}},
			{name: "a dry run", do: emit(events.ScaffoldDone, ScaffoldRun{ID: "r3", Title: "Dry", Status: "completed", DryRun: true})},
		}},
		{"red CI", []step{
			{name: "off by default", do: ciPassed("component:default/mine", false)},
			{name: "on, still red: told once on", do: both(turn(NotifyCIFailed, true), ciPassed("component:default/mine", false)), want: []string{"CI failed on mine"}},
			{name: "still red", do: ciPassed("component:default/mine", false)},
			{name: "another team's", do: ciPassed("component:default/theirs", false)},
			{name: "green", do: ciPassed("component:default/mine", true)},
			{name: "red again", do: ciPassed("component:default/mine", false), want: []string{"CI failed on mine"}},
		}},
		{"template update", []step{
			{name: "off by default", do: func(t *testing.T, w *watched) {
				updates.found = []TemplateUpdateSummary{{Dir: "/src/mine", Title: "Service", EntityRef: "component:default/mine", To: "abc", Available: true, Commits: make([]TemplateCommit, 2)}}
				emit(events.SyncDone, events.SyncResultData{LocationID: "org"})(t, w)
			}},
			{name: "on", do: both(turn(NotifyTemplateUpdate, true), emit(events.SyncDone, events.SyncResultData{LocationID: "org"})),
				want: []string{"Template update for component:default/mine"}},
			{name: "the same commit", do: emit(events.SyncDone, events.SyncResultData{LocationID: "org"})},
		}},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t, t.TempDir())
			notifyOrg(t, db)
			w, _ := watchNotifications(t, db)
			if k.name == "template update" {
				w.s.alerts.updates = updates
			}
			for _, st := range k.steps {
				st.do(t, w)
				if d := cmp.Diff(st.want, w.next(t)); d != "" {
					t.Errorf("%s: notifications (-want +got):\n%s", st.name, d)
				}
			}
		})
	}
}

// What was notified before a restart is not notified after it.
func TestNotificationsAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	run := ScaffoldRun{ID: "r1", Title: "New service", Status: "completed"}
	db, err := store.Open(ctx, dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	w, stop := watchNotifications(t, db)
	w.bus.Emit(ctx, events.ScaffoldDone, run)
	if got := w.next(t); len(got) != 1 {
		t.Fatalf("before the restart: %q, want the run's end", got)
	}
	stop()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	w, _ = watchNotifications(t, openDB(t, dir))
	w.bus.Emit(ctx, events.ScaffoldDone, run)
	if got := w.next(t); len(got) != 0 {
		t.Errorf("after the restart: %q, want nothing", got)
	}
	list, err := w.s.ListNotifications(ctx)
	if err != nil || list.Unread != 3 || len(list.Notifications) != 3 {
		t.Errorf("ListNotifications after the restart = %+v, %v; want the run's and two sentinels'", list, err)
	}
}
