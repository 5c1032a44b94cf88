package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/store/storetest"
)

// A store of another format shows in version and data-dir; a newer one
// stops the window with one message, shown in a window too, and the exit
// code says it failed.
func TestStoreOnDisk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	older := t.TempDir()
	storetest.Unpack(t, storetest.Fixture(t, "format2.tar.gz"), older)
	newer := t.TempDir()
	storetest.ClaimFormat(t, storetest.Unpack(t, storetest.Fixture(t, "format2.tar.gz"), newer), store.Format+1, "9.1.0")
	refusal := fmt.Sprintf("callboard: the store in %s was written by Callboard 9.1.0 in format %d, newer than this Callboard (test) reads (format %d and older): install Callboard 9.1.0 or newer, or use another data dir\n",
		filepath.Join(newer, "store"), store.Format+1, store.Format)
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{name: "version, older", args: []string{"version", "--data-dir", older}, stdout: "store on disk:  format 2: migrated when this build next opens it\n"},
		{name: "version, newer", args: []string{"--version", "--data-dir", newer}, stdout: fmt.Sprintf("store on disk:  format %d (written by Callboard 9.1.0): this build cannot open it\n", store.Format+1)},
		{name: "version as JSON", args: []string{"version", "--json", "--data-dir", newer}, stdout: fmt.Sprintf(`"storeOnDisk": {
    "dir": %q,
    "format": %d,
    "writer": "9.1.0",
    "newer": true
  }`, filepath.Join(newer, "store"), store.Format+1)},
		{name: "version, same", args: []string{"version", "--data-dir", t.TempDir()}, stdout: "callboard test\n"},
		{name: "data-dir, older", args: []string{"data-dir", "--data-dir", older}, stdout: older + "\n", stderr: "callboard: its store is in format 2: migrated when this build next opens it\n"},
		{name: "window, newer", args: []string{"--data-dir", newer}, code: ExitUsage, stderr: refusal},
		{name: "catalog list, newer", args: []string{"catalog", "list", "--data-dir", newer}, code: ExitUsage, stderr: refusal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			win := &fakeWindow{}
			r := run(ctx, map[string]string{"DISPLAY": ":0"}, win, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || r.stderr != tt.stderr {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout with %q, stderr %q", r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
			}
			if tt.name == "window, newer" && (len(win.failed) != 1 || "callboard: "+win.failed[0]+"\n" != refusal) {
				t.Errorf("the window showed %q, want the refusal", win.failed)
			}
		})
	}
}
