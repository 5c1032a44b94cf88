package cli

import (
	"context"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/buildinfo"
)

// The CLI executable hands the window over with the command line as it
// was, after the checks it can make itself; with no window executable it
// says what to run instead.
func TestExecWindow(t *testing.T) {
	t.Parallel()
	display := map[string]string{"DISPLAY": ":9"}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		execErr  error
		wantArgs []string // nil: ExecWindow is not called
		code     int
		stderr   string
		// linux: only Linux checks for a display before it starts the window
		linux bool
	}{
		{name: "no argument", env: display, wantArgs: []string{}},
		{name: "flags pass through", args: []string{"--data-dir", "/tmp/d"}, env: display, wantArgs: []string{"--data-dir", "/tmp/d"}},
		{name: "a bad flag stops here", args: []string{"--nope"}, env: display, code: 2, stderr: "callboard: callboard: flag provided but not defined: -nope"},
		{name: "no window executable", env: display, wantArgs: []string{}, execErr: fmt.Errorf("no callboard-window in /x: %w", fs.ErrNotExist), code: 2,
			stderr: "callboard: this build has no desktop window (no callboard-window in /x: file does not exist); run callboard serve to use Callboard in a browser\n"},
		{name: "no display", linux: true, code: 2, stderr: "callboard: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); run callboard serve to use Callboard in a browser\n"},
		{name: "it fails to start", env: display, wantArgs: []string{}, execErr: fmt.Errorf("start the window: exec format error"), code: 2, stderr: "callboard: start the window: exec format error\n"},
	}
	for _, tt := range tests {
		if tt.linux && runtime.GOOS != "linux" {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errb syncBuffer
			var got []string
			e := Env{Build: buildinfo.Info{Version: "test"}, Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return tt.env[k] },
				ExecWindow: func(args []string) error { got = append([]string{}, args...); return tt.execErr }}
			code := Main(context.Background(), tt.args, e)
			if code != tt.code || !strings.HasPrefix(errb.String(), tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr starting %q", code, errb.String(), tt.code, tt.stderr)
			}
			if (got == nil) != (tt.wantArgs == nil) || !slices.Equal(got, tt.wantArgs) {
				t.Errorf("ExecWindow got %q, want %q", got, tt.wantArgs)
			}
		})
	}
}
