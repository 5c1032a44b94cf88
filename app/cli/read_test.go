package cli

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
)

// The read-only commands read a data dir no instance runs on as it is,
// without a writer, and answer as the running instance does.
func TestReadOnlyCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	debug := map[string]string{"CALLBOARD_LOG": "debug"}
	const fallback = "the data dir needs a writer first"
	// A fresh data dir needs a writer: the demo is written and synced,
	// the search index built.
	if r := run(ctx, debug, nil, "search", "booking", "--data-dir", dir); r.code != 0 || !strings.Contains(r.stderr, fallback) {
		t.Fatalf("search on a fresh data dir = %d, want it through a writer\n%s%s", r.code, r.stdout, r.stderr)
	}
	commands := [][]string{
		{"catalog", "get", "component:default/booking-service"},
		{"catalog", "get", "component:default/no-such-thing"},
		{"catalog", "list", "--kind", "api"},
		{"search", "booking", "service"},
		{"search", "bokking", "--kind", "component"},
		{"location", "list"},
		{"problems"},
		{"outbox"},
	}
	alone := make([]result, len(commands))
	for i, args := range commands {
		args = append(args, "--json", "--data-dir", dir)
		alone[i] = run(ctx, debug, nil, args...)
		if strings.Contains(alone[i].stderr, fallback) {
			t.Errorf("%s went through a writer: %s", args, alone[i].stderr)
		}
	}
	// A reader holding the store keeps writers out but not other readers.
	held, err := store.OpenReadOnly(ctx, filepath.Join(dir, "store"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if r := run(ctx, nil, nil, "catalog", "get", "component:default/booking-service", "--data-dir", dir); r.code != 0 {
		t.Errorf("catalog get beside another reader = %d %s", r.code, r.stderr)
	}
	held.Close()

	startServe(t, dir)
	for i, args := range commands {
		args = append(args, "--json", "--data-dir", dir)
		served := run(ctx, nil, nil, args...)
		if served.code != alone[i].code {
			t.Errorf("%s: exit %d alone, %d through serve (%s)", args, alone[i].code, served.code, served.stderr)
		}
		if diff := cmp.Diff(served.stdout, alone[i].stdout); diff != "" {
			t.Errorf("%s alone differs from through serve (-serve +alone):\n%s", args, diff)
		}
	}
	if alone[0].code != 0 || !strings.Contains(alone[0].stdout, `"ref": "component:default/booking-service"`) {
		t.Errorf("catalog get alone = %d\n%s%s", alone[0].code, alone[0].stdout, alone[0].stderr)
	}
	if alone[1].code != 2 || !strings.Contains(alone[1].stderr, "not found") {
		t.Errorf("catalog get of a missing entity alone = %d %s", alone[1].code, alone[1].stderr)
	}
}
