package cli

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scaffold edit sends the window already open to the workbench at the
// folder (a new window opens at it as at any link).
func TestScaffoldEdit(t *testing.T) {
	t.Parallel()
	dir, folder := t.TempDir(), filepath.Join(t.TempDir(), "my template")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	route := "/create/workbench?" + url.Values{"dir": {folder}}.Encode()
	win := startWindow(t, dir)
	r := run(context.Background(), nil, nil, "scaffold", "edit", folder, "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "its window went to callboard://workbench?dir=") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	win.mu.Lock()
	got := strings.Join(win.navigated, " ")
	win.mu.Unlock()
	if got != route {
		t.Errorf("the window went to %q, want %q", got, route)
	}
	for _, args := range [][]string{{"scaffold", "edit"}, {"scaffold", "edit", filepath.Join(folder, "missing")}} {
		if r := run(context.Background(), nil, nil, append(args, "--data-dir", dir)...); r.code != 2 {
			t.Errorf("%q: exit %d, want 2 (usage)\n%s", args, r.code, r.stderr)
		}
	}
}
