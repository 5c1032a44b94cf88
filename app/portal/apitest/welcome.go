package apitest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
)

// hasDemo says whether the demo organisation is registered.
func hasDemo(t *testing.T, f Fixture) bool {
	t.Helper()
	locs, err := f.API.ListLocations(t.Context())
	must(t, "ListLocations", err)
	for _, l := range locs {
		if l.ID == portal.DemoLocationID {
			return true
		}
	}
	return false
}

// testRemoveDemo: the demo goes with its entities, the settings say so,
// and it stays away when the instance starts again on the same data dir
// with no location left; removing it again changes nothing.
func testRemoveDemo(t *testing.T, s *suite) {
	root := t.TempDir()
	t.Run("first start", func(t *testing.T) {
		f := s.open(t, root)
		ctx := t.Context()
		_, err := f.API.Sync(ctx, portal.DemoLocationID)
		must(t, "Sync demo", err)
		must(t, "RemoveDemo", f.API.RemoveDemo(ctx))
		if hasDemo(t, f) {
			t.Error("the demo is still registered after RemoveDemo")
		}
		f.Settle(t)
		list, err := f.API.ListEntities(ctx, portal.EntityQuery{})
		must(t, "ListEntities", err)
		if list.Total != 0 {
			t.Errorf("%d entities after the demo's removal", list.Total)
		}
		st, err := f.API.Settings(ctx)
		must(t, "Settings", err)
		if !st.DemoRemoved {
			t.Error("Settings.DemoRemoved is false after RemoveDemo")
		}
		must(t, "RemoveDemo again", f.API.RemoveDemo(ctx))
	})
	f := s.open(t, root)
	if hasDemo(t, f) {
		t.Error("the removed demo came back at the next start")
	}
}

// testRestoreDemo: the demo comes back, syncs, and stays at the next
// start; restoring it while it is there returns it as it is.
func testRestoreDemo(t *testing.T, s *suite) {
	root := t.TempDir()
	t.Run("restore", func(t *testing.T) {
		f := s.open(t, root)
		ctx := t.Context()
		must(t, "RemoveDemo", f.API.RemoveDemo(ctx))
		loc, err := f.API.RestoreDemo(ctx)
		must(t, "RestoreDemo", err)
		if loc.ID != portal.DemoLocationID || loc.Status != "pending" {
			t.Errorf("RestoreDemo = %+v, want the demo, pending", loc)
		}
		lists(t, f, "RestoreDemo", loc)
		locs, err := f.API.Sync(ctx, portal.DemoLocationID)
		must(t, "Sync demo", err)
		if d := locationOf(t, locs, portal.DemoLocationID); d.Status != "ok" || d.Entities == 0 {
			t.Errorf("the restored demo after a sync: %+v", d)
		}
		again, err := f.API.RestoreDemo(ctx)
		must(t, "RestoreDemo again", err)
		if again.Status != "ok" {
			t.Errorf("RestoreDemo of the registered demo = %+v, want it as it is", again)
		}
		st, err := f.API.Settings(ctx)
		must(t, "Settings", err)
		if st.DemoRemoved {
			t.Error("Settings.DemoRemoved is still set after RestoreDemo")
		}
	})
	if f := s.open(t, root); !hasDemo(t, f) {
		t.Error("the restored demo is gone at the next start")
	}
}

// feed serves a plain release feed on loopback and counts its reads.
func feed(t *testing.T, body string) (string, *atomic.Int32) {
	t.Helper()
	var reads atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reads.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the update check sent a credential")
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/feed.json", &reads
}

// testUpdates: nothing is known before a check; the feed and the switch
// come from the settings; a feed URL that is not https is refused.
func testUpdates(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	st, err := f.API.Updates(ctx)
	must(t, "Updates", err)
	if !st.Enabled || st.FeedURL == "" || st.Current != Version || st.IsRelease || st.Latest != "" || st.Newer || st.CheckedAt != "" {
		t.Errorf("Updates before any check = %+v", st)
	}
	off, url := false, "https://updates.example.invalid/callboard.json"
	_, err = f.API.PatchSettings(ctx, portal.SettingsPatch{UpdateCheck: &off, UpdateFeedURL: &url})
	must(t, "PatchSettings update check", err)
	st, err = f.API.Updates(ctx)
	must(t, "Updates", err)
	if st.Enabled || st.FeedURL != url {
		t.Errorf("Updates after turning the check off on another feed = %+v", st)
	}
	for _, bad := range []string{"http://updates.example.invalid/feed", "https://user:secret@updates.example.invalid/", "file:///etc/passwd"} {
		_, err = f.API.PatchSettings(ctx, portal.SettingsPatch{UpdateFeedURL: &bad})
		wantErr(t, "PatchSettings update feed "+bad, err, portal.ErrInvalid)
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the refusal repeats the feed's secret: %v", err)
		}
	}
}

// testCheckUpdates: a check reads the feed, keeps what it said, renders
// its notes safely and publishes the status; this build (no release) is
// told of no newer version; a feed that fails is reported in the status.
func testCheckUpdates(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	url, reads := feed(t, `{"version":"99.0.0","url":"https://example.invalid/r","notes":"## New\n\n<script>alert(1)</script>"}`)
	_, err := f.API.PatchSettings(ctx, portal.SettingsPatch{UpdateFeedURL: &url})
	must(t, "PatchSettings feed", err)
	evs := f.Events(t)
	st, err := f.API.CheckUpdates(ctx)
	must(t, "CheckUpdates", err)
	if reads.Load() != 1 || st.Latest != "99.0.0" || st.URL != "https://example.invalid/r" || st.CheckedAt == "" || st.Error != "" {
		t.Errorf("CheckUpdates = %+v after %d reads", st, reads.Load())
	}
	if st.Newer || st.IsRelease {
		t.Errorf("a build that is no release (%s) was told of a newer one: %+v", st.Current, st)
	}
	if !strings.Contains(st.NotesHTML, "<h2>New</h2>") || strings.Contains(st.NotesHTML, "<script") {
		t.Errorf("notes rendered as %q", st.NotesHTML)
	}
	await(t, evs, events.UpdatesChecked, nil)
	read, err := f.API.Updates(ctx)
	must(t, "Updates", err)
	if read.Latest != "99.0.0" || read.CheckedAt != st.CheckedAt {
		t.Errorf("Updates after the check = %+v", read)
	}

	broken, _ := feed(t, `<html>`)
	_, err = f.API.PatchSettings(ctx, portal.SettingsPatch{UpdateFeedURL: &broken})
	must(t, "PatchSettings broken feed", err)
	st, err = f.API.CheckUpdates(ctx)
	must(t, "CheckUpdates of a broken feed", err)
	if st.Error == "" || st.Latest != "" {
		t.Errorf("CheckUpdates of a broken feed = %+v, want its error and no release", st)
	}
}
