package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNotifications(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		adds := []struct {
			n         Notification
			wantAdded bool
		}{
			{Notification{Kind: "run", Key: "run:1", Title: "one", Time: t0}, true},
			{Notification{Kind: "run", Key: "run:2", Title: "two", Time: t0}, true}, // same time: the next sequence
			{Notification{Kind: "run", Key: "run:1", Title: "one again", Time: t0.Add(time.Hour)}, false},
			{Notification{Kind: "sync", Title: "no key", Time: t0.Add(2 * time.Hour), Link: "/locations"}, true},
		}
		for _, a := range adds {
			got, added, err := db.AddNotification(ctx, a.n)
			if err != nil {
				t.Fatal(err)
			}
			if added != a.wantAdded || added && got.ID == "" {
				t.Errorf("AddNotification(%q) = %+v, %v; want added %v with an id", a.n.Title, got, added, a.wantAdded)
			}
		}
		list, unread, err := db.Notifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		titles := func(ns []Notification) (out []string) {
			for _, n := range ns {
				out = append(out, fmt.Sprintf("%s read=%v", n.Title, n.Read))
			}
			return out
		}
		if d := cmp.Diff([]string{"no key read=false", "two read=false", "one read=false"}, titles(list)); d != "" || unread != 3 {
			t.Errorf("Notifications (-want +got):\n%s; unread %d, want 3", d, unread)
		}
		if err := db.MarkNotificationsRead(ctx, []string{list[1].ID, "0000000000000000"}, false); err != nil {
			t.Fatal(err)
		}
		if list, unread, _ = db.Notifications(ctx); unread != 2 || !list[1].Read {
			t.Errorf("after marking one read: %q, unread %d", titles(list), unread)
		}
		if err := db.MarkNotificationsRead(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ = db.Notifications(ctx); unread != 0 {
			t.Errorf("after marking all read: unread %d", unread)
		}
		if err := db.ClearNotifications(ctx); err != nil {
			t.Fatal(err)
		}
		if list, _, _ = db.Notifications(ctx); len(list) != 0 {
			t.Errorf("after clearing: %q", titles(list))
		}
		if _, added, _ := db.AddNotification(ctx, Notification{Key: "run:2", Title: "two again"}); added {
			t.Error("a cleared notification's key notified again")
		}
		if err := db.ForgetNotificationKey(ctx, "run:2"); err != nil {
			t.Fatal(err)
		}
		if _, added, _ := db.AddNotification(ctx, Notification{Key: "run:2", Title: "two again"}); !added {
			t.Error("a forgotten key not notified again")
		}
	})
}

func TestNotificationsBounded(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i := range MaxNotifications + 3 {
			if _, _, err := db.AddNotification(ctx, Notification{Title: fmt.Sprint(i), Key: fmt.Sprint("k", i), Time: t0.Add(time.Duration(i) * time.Second)}); err != nil {
				t.Fatal(err)
			}
		}
		list, _, err := db.Notifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != MaxNotifications || list[0].Title != fmt.Sprint(MaxNotifications+2) || list[len(list)-1].Title != "3" {
			t.Errorf("kept %d, newest %q, oldest %q; want %d from 3 on", len(list), list[0].Title, list[len(list)-1].Title, MaxNotifications)
		}
		if known, err := db.NotificationKnown(ctx, "k0"); err != nil || !known {
			t.Errorf("the key of a dropped notification known = %v, %v; want remembered", known, err)
		}
	})
}

func TestNotificationKeysBounded(t *testing.T) {
	t.Parallel()
	db, err := Open(context.Background(), "", quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const limit = 200
	db.keptNotificationKeys = limit
	ctx := context.Background()
	for i := range limit + 1 {
		if _, _, err := db.AddNotification(ctx, Notification{Key: fmt.Sprint("k", i), Time: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		key  string
		want bool
	}{{"k0", false}, {fmt.Sprint("k", limit/10), false}, {fmt.Sprint("k", limit/10+1), true}, {fmt.Sprint("k", limit), true}} {
		if known, err := db.NotificationKnown(ctx, c.key); err != nil || known != c.want {
			t.Errorf("NotificationKnown(%s) = %v, %v; want %v", c.key, known, err, c.want)
		}
	}
}

// A key notified before the store is closed is not notified after it
// is opened again.
func TestNotificationKeysAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if _, added, err := db.AddNotification(ctx, Notification{Key: "pr:1:merged", Title: "merged"}); err != nil || !added {
		t.Fatalf("AddNotification = %v, %v", added, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, added, err := db.AddNotification(ctx, Notification{Key: "pr:1:merged", Title: "merged"}); err != nil || added {
		t.Errorf("AddNotification after a restart = %v, %v; want not added", added, err)
	}
	if list, unread, _ := db.Notifications(ctx); len(list) != 1 || unread != 1 {
		t.Errorf("after a restart: %d kept, %d unread; want 1 and 1", len(list), unread)
	}
}
