package apitest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
)

// testPatchSettings: a patch changes the fields it carries and keeps the
// others as stored, so two editors of different fields do not undo each
// other; a bad field changes nothing.
func testPatchSettings(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	editor, minutes := "vim", 30
	got, err := f.API.PatchSettings(ctx, portal.SettingsPatch{Editor: &editor})
	must(t, "PatchSettings editor", err)
	hosts := []string{"git.example.invalid"}
	got, err = f.API.PatchSettings(ctx, portal.SettingsPatch{SyncIntervalMinutes: &minutes, TrustedGitHosts: &hosts})
	must(t, "PatchSettings interval and hosts", err)
	if got.Editor != "vim" || got.SyncIntervalMinutes != 30 || !slices.Equal(got.TrustedGitHosts, hosts) {
		t.Errorf("settings after two patches = %+v", got)
	}
	lists(t, f, "PatchSettings", got)
	bad, terminal := 0, "kitty"
	_, err = f.API.PatchSettings(ctx, portal.SettingsPatch{SyncIntervalMinutes: &bad, Terminal: &terminal})
	wantErr(t, "PatchSettings with no interval", err, portal.ErrInvalid)
	read, err := f.API.Settings(ctx)
	must(t, "Settings", err)
	if read.Terminal != "" || read.SyncIntervalMinutes != 30 || read.Editor != "vim" {
		t.Errorf("a refused patch changed the settings: %+v", read)
	}
}

// testSubscribe: the filter lets only the named events through, an
// unknown name is invalid, and the stream ends with its context.
func testSubscribe(t *testing.T, s *suite) {
	f := s.fresh(t)
	_, err := f.API.Subscribe(t.Context(), "no:such-event")
	wantErr(t, "Subscribe to an unknown event", err, portal.ErrInvalid)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch, err := f.API.Subscribe(ctx, events.SyncDone)
	must(t, "Subscribe", err)
	if _, err := f.API.Sync(t.Context(), ""); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	select {
	case ev := <-ch:
		if ev.Name != events.SyncDone {
			t.Errorf("the filter let %s through", ev.Name)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("no sync:done after a sync")
	}
	cancel()
	for range ch { // drains, and returns once the stream has ended
	}
}
