package apitest

import (
	"context"
	"reflect"
	"slices"
	"strings"
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

// testCredentialSources: every host Callboard talks to is listed once,
// with why; the fixture has no token anywhere, so each says none and what
// to do.
func testCredentialSources(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	trusted, reads := []string{"git.example.invalid"}, []string{"specs.example.invalid", "git.example.invalid"}
	_, err := f.API.PatchSettings(ctx, portal.SettingsPatch{TrustedGitHosts: &trusted, RemoteReadHosts: &reads})
	must(t, "PatchSettings hosts", err)
	got, err := f.API.CredentialSources(ctx)
	must(t, "CredentialSources", err)
	lists(t, f, "CredentialSources", got)
	hosts := map[string][]string{}
	for _, c := range got {
		hosts[c.Host] = c.Uses
		if c.Kind != "none" || c.Source != "none" || !strings.Contains(c.Hint, "callboard token set "+c.Host) {
			t.Errorf("%s: %s, %s, hint %q; want none and how to give one", c.Host, c.Kind, c.Source, c.Hint)
		}
	}
	want := map[string][]string{"git.example.invalid": {"remote read", "trusted"}, "specs.example.invalid": {"remote read"}}
	if !reflect.DeepEqual(hosts, want) {
		t.Errorf("CredentialSources hosts = %v, want %v", hosts, want)
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
