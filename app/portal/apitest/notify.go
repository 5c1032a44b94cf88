package apitest

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
)

// defaultKinds are the notification kinds as they are by default.
func defaultKinds() []portal.NotificationKindSetting {
	return []portal.NotificationKindSetting{
		{Kind: portal.NotifyOutboxConflict, On: true, Default: true},
		{Kind: portal.NotifyPullRequest, On: true, Default: true},
		{Kind: portal.NotifyTemplateRun, On: true, Default: true},
		{Kind: portal.NotifyProblems, On: true, Default: true},
		{Kind: portal.NotifySyncFailed},
		{Kind: portal.NotifyCIFailed},
		{Kind: portal.NotifyTemplateUpdate},
	}
}

func testNotifications(t *testing.T, s *suite) {
	got, err := s.shared.API.Notifications(t.Context())
	must(t, "Notifications", err)
	if diff := gocmp.Diff(portal.NotificationSettings{OwnedByMe: true, Locations: []string{}, Kinds: defaultKinds()}, got); diff != "" {
		t.Errorf("default notifications (-want +got):\n%s", diff)
	}
	lists(t, s.shared.Fixture, "Notifications", got)
}

func testSetNotifications(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	on, off := true, false
	got, err := f.API.SetNotifications(ctx, portal.NotificationChange{LocationID: portal.DemoLocationID, Location: &on})
	must(t, "SetNotifications location on", err)
	if diff := gocmp.Diff(portal.NotificationSettings{OwnedByMe: true, Locations: []string{portal.DemoLocationID}, Kinds: defaultKinds()}, got); diff != "" {
		t.Errorf("a location turned on (-want +got):\n%s", diff)
	}
	got, err = f.API.SetNotifications(ctx, portal.NotificationChange{OwnedByMe: &off, LocationID: portal.DemoLocationID, Location: &off})
	must(t, "SetNotifications off", err)
	kinds := defaultKinds()
	kinds[3].On = false // problems: owned by me
	if diff := gocmp.Diff(portal.NotificationSettings{Locations: []string{}, Kinds: kinds}, got); diff != "" {
		t.Errorf("all turned off (-want +got):\n%s", diff)
	}
	lists(t, f, "SetNotifications", got)
	if read, err := f.API.Notifications(ctx); err != nil || !gocmp.Equal(read, got) {
		t.Errorf("Notifications after a change = %+v, %v; want %+v", read, err, got)
	}
	got, err = f.API.SetNotifications(ctx, portal.NotificationChange{Kind: portal.NotifyCIFailed, On: &on})
	must(t, "SetNotifications of a kind", err)
	kinds[5].On = true
	if diff := gocmp.Diff(kinds, got.Kinds); diff != "" {
		t.Errorf("red CI turned on (-want +got):\n%s", diff)
	}
	got, err = f.API.SetNotifications(ctx, portal.NotificationChange{Kind: portal.NotifyProblems, On: &on})
	must(t, "SetNotifications of problems", err)
	if !got.OwnedByMe {
		t.Errorf("the problems kind turned on left owned by me off: %+v", got)
	}
	_, err = f.API.SetNotifications(ctx, portal.NotificationChange{LocationID: "no/such location?", Location: &on})
	wantErr(t, "SetNotifications of an unknown location", err, portal.ErrNotFound)
	_, err = f.API.SetNotifications(ctx, portal.NotificationChange{LocationID: portal.DemoLocationID})
	wantErr(t, "SetNotifications without on or off", err, portal.ErrInvalid)
	_, err = f.API.SetNotifications(ctx, portal.NotificationChange{Kind: "no-such-kind", On: &on})
	wantErr(t, "SetNotifications of an unknown kind", err, portal.ErrInvalid)
	_, err = f.API.SetNotifications(ctx, portal.NotificationChange{Kind: portal.NotifyCIFailed})
	wantErr(t, "SetNotifications of a kind without on or off", err, portal.ErrInvalid)
}

// finishedRun runs the hello template on a fresh instance and returns
// the instance and the notification its end raised, as the event told it.
func finishedRun(t *testing.T, s *suite) (Fixture, portal.Notification) {
	t.Helper()
	o := s.org(t)
	f := o.Fixture
	evs := f.Events(t)
	run, err := f.API.Scaffold(t.Context(), portal.ScaffoldRequest{Template: helloRef, Values: values(t, map[string]any{"name": "my-proj"}), Target: filepath.Join(t.TempDir(), "proj")})
	must(t, "Scaffold", err)
	n := payload[portal.Notification](t, await(t, evs, "notifications:added", func(data json.RawMessage) bool {
		var n portal.Notification
		return json.Unmarshal(data, &n) == nil && n.Link == "/create/runs/"+run.ID
	}))
	if n.Kind != portal.NotifyTemplateRun || n.Read || n.ID == "" || !strings.HasPrefix(n.Title, "Template run finished: ") {
		t.Errorf("notification of a run's end = %+v", n)
	}
	return f, n
}

func testListNotifications(t *testing.T, s *suite) {
	got, err := s.shared.API.ListNotifications(t.Context())
	must(t, "ListNotifications", err)
	lists(t, s.shared.Fixture, "ListNotifications", got)
	f, n := finishedRun(t, s)
	got, err = f.API.ListNotifications(t.Context())
	must(t, "ListNotifications", err)
	if diff := gocmp.Diff(portal.NotificationList{Notifications: []portal.Notification{n}, Unread: 1}, got); diff != "" {
		t.Errorf("the centre after a run (-want +got):\n%s", diff)
	}
	lists(t, f, "ListNotifications", got)
}

func testReadNotifications(t *testing.T, s *suite) {
	f, n := finishedRun(t, s)
	ctx := t.Context()
	got, err := f.API.ReadNotifications(ctx, portal.NotificationsRead{IDs: []string{n.ID, "not-kept"}})
	must(t, "ReadNotifications", err)
	n.Read = true
	if diff := gocmp.Diff(portal.NotificationList{Notifications: []portal.Notification{n}}, got); diff != "" {
		t.Errorf("the centre after reading (-want +got):\n%s", diff)
	}
	lists(t, f, "ReadNotifications", got)
	got, err = f.API.ReadNotifications(ctx, portal.NotificationsRead{All: true})
	must(t, "ReadNotifications of all", err)
	if got.Unread != 0 || len(got.Notifications) != 1 {
		t.Errorf("the centre after reading all = %+v", got)
	}
	_, err = f.API.ReadNotifications(ctx, portal.NotificationsRead{})
	wantErr(t, "ReadNotifications of none", err, portal.ErrInvalid)
}

func testClearNotifications(t *testing.T, s *suite) {
	f, _ := finishedRun(t, s)
	got, err := f.API.ClearNotifications(t.Context())
	must(t, "ClearNotifications", err)
	if diff := gocmp.Diff(portal.NotificationList{Notifications: []portal.Notification{}}, got); diff != "" {
		t.Errorf("the centre cleared (-want +got):\n%s", diff)
	}
	lists(t, f, "ClearNotifications", got)
}
