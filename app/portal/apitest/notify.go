package apitest

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
)

func testNotifications(t *testing.T, s *suite) {
	got, err := s.shared.API.Notifications(t.Context())
	must(t, "Notifications", err)
	if diff := gocmp.Diff(portal.NotificationSettings{OwnedByMe: true, Locations: []string{}}, got); diff != "" {
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
	if diff := gocmp.Diff(portal.NotificationSettings{OwnedByMe: true, Locations: []string{portal.DemoLocationID}}, got); diff != "" {
		t.Errorf("a location turned on (-want +got):\n%s", diff)
	}
	got, err = f.API.SetNotifications(ctx, portal.NotificationChange{OwnedByMe: &off, LocationID: portal.DemoLocationID, Location: &off})
	must(t, "SetNotifications off", err)
	if diff := gocmp.Diff(portal.NotificationSettings{Locations: []string{}}, got); diff != "" {
		t.Errorf("all turned off (-want +got):\n%s", diff)
	}
	lists(t, f, "SetNotifications", got)
	if read, err := f.API.Notifications(ctx); err != nil || !gocmp.Equal(read, got) {
		t.Errorf("Notifications after a change = %+v, %v; want %+v", read, err, got)
	}
	_, err = f.API.SetNotifications(ctx, portal.NotificationChange{LocationID: "no/such location?", Location: &on})
	wantErr(t, "SetNotifications of an unknown location", err, portal.ErrNotFound)
	_, err = f.API.SetNotifications(ctx, portal.NotificationChange{LocationID: portal.DemoLocationID})
	wantErr(t, "SetNotifications without on or off", err, portal.ErrInvalid)
}
