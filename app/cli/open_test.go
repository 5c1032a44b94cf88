package cli

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startWindow runs a window on dir until the test ends.
func startWindow(t *testing.T, dir string, args ...string) *fakeWindow {
	t.Helper()
	win := &fakeWindow{running: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() {
		done <- run(ctx, map[string]string{"DISPLAY": ":99"}, win, append([]string{"--data-dir", dir}, args...)...)
	}()
	t.Cleanup(func() {
		cancel()
		if r := <-done; r.code != 0 {
			t.Errorf("the window exited %d: %s", r.code, r.stderr)
		}
	})
	select {
	case <-win.running:
	case <-time.After(time.Minute):
		t.Fatal("the window never opened")
	}
	return win
}

// A link opens the window at its page, or is handed to the window already
// open, which goes there.
func TestOpenLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const link, route = "callboard://entity/component:default/booking-service/docs", "/catalog/component/default/booking-service?tab=docs"
	first := startWindow(t, dir, link)
	if first.opened.Route != route || first.opened.PlaceFile != filepath.Join(dir, "window.json") {
		t.Errorf("the window opened with %+v, want route %q and window.json in the data dir", first.opened, route)
	}
	display := map[string]string{"DISPLAY": ":99"}
	for _, args := range [][]string{
		{"open", "callboard://search?q=booking", "--data-dir", dir},
		{"--data-dir", dir, "callboard://Locations"},
		{"callboard://create/template:default/go-service?name=x", "--data-dir", dir},
	} {
		r := run(context.Background(), display, &fakeWindow{}, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "its window went to callboard://") {
			t.Errorf("%q: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	// No display is needed to hand a link over.
	if r := run(context.Background(), nil, nil, "open", "callboard://", "--data-dir", dir); r.code != 0 {
		t.Errorf("open without a display: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	first.mu.Lock()
	got := strings.Join(first.navigated, " ")
	first.mu.Unlock()
	want := `/search?q=booking /locations /create/templates/default/go-service?formData=%7B%22name%22%3A%22x%22%7D /`
	if got != want {
		t.Errorf("the window went to %q, want %q", got, want)
	}
}

func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	display := map[string]string{"DISPLAY": ":99"}
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"open"}, "callboard: open needs a callboard:// link"},
		{[]string{"open", "https://example.com/"}, `callboard: open takes no arguments but one callboard:// link, got ["https://example.com/"]`},
		{[]string{"open", "callboard://", "callboard://"}, "callboard: open takes no arguments but one callboard:// link"},
		{[]string{"open", "callboard://entity/component:default/../x"}, `callboard: not a Callboard link: its path has a ".." segment`},
		{[]string{"callboard://nowhere"}, `callboard: not a Callboard link: unknown page "nowhere"`},
		{[]string{"--data-dir", dir, "extra"}, `callboard: callboard takes no arguments but one callboard:// link, got ["extra"]`},
	}
	for _, tt := range tests {
		r := run(context.Background(), display, &fakeWindow{}, append(tt.args, "--data-dir", dir)...)
		if r.code != ExitUsage || !strings.HasPrefix(r.stderr, tt.stderr) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", tt.args, r.code, r.stderr, tt.stderr)
		}
	}
}

// With only serve running, a link is answered with its page in the browser.
func TestOpenLinkServe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base := startServe(t, dir)
	r := run(context.Background(), nil, nil, "open", "callboard://entity/component:default/booking-service", "--data-dir", dir)
	want := regexp.QuoteMeta(base + "#/catalog/component/default/booking-service")
	if r.code != 0 || !regexp.MustCompile("(?m)^"+want+"$").MatchString(r.stdout) {
		t.Errorf("exit %d\n%s%s\nwant the page's URL %s", r.code, r.stdout, r.stderr, want)
	}
}
