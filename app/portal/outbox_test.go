package portal

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
)

// demoService is a Service with a real syncer over the demo organisation,
// synced once.
// The options apply after the data dir and syncer are set.
func demoService(t testing.TB, opts ...option) *Service {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	withSyncer := func(c *Config) {
		c.DataDir = dir
		c.Syncer = syncer.New(c.DB, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	}
	s, _ := newService(t, append([]option{withSyncer}, opts...)...)
	if err := s.EnsureDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, DemoLocationID); err != nil {
		t.Fatal(err)
	}
	return s
}

// An edit made in the app shows at once, marked not pushed, blocks removing
// the location until pushed, and the next sync pushes it to the demo
// repository.
func TestWriteFileThroughTheOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var cfg Config
	s := demoService(t, keep(&cfg))
	const file = "components/push-relay/catalog-info.yaml"
	f, err := s.ReadFile(ctx, DemoLocationID, file)
	if err != nil || !f.Exists {
		t.Fatalf("ReadFile = %+v, %v", f, err)
	}
	edited := regexp.MustCompile(`(?m)^  title: .*$`).ReplaceAllString(f.Content, "  title: Push Relay (edited)")
	if edited == f.Content {
		t.Fatalf("the test's edit does not apply to:\n%s", f.Content)
	}
	e, err := s.WriteFile(ctx, FileWrite{LocationID: DemoLocationID, Path: file, Content: edited, Message: "Title push-relay"})
	if err != nil {
		t.Fatal(err)
	}
	if e.State != "pending" || e.Paths[0] != file {
		t.Errorf("entry = %+v", e)
	}
	d, err := s.GetEntity(ctx, "component:push-relay")
	if err != nil || d.Title != "Push Relay (edited)" || !d.Pending {
		t.Errorf("entity after the write: title %q pending %v, %v", d.Title, d.Pending, err)
	}
	locs, _ := s.ListLocations(ctx)
	if locs[0].Unpushed != 1 {
		t.Errorf("unpushed = %d, want 1", locs[0].Unpushed)
	}
	if err := s.RemoveLocation(ctx, DemoLocationID); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "not have") {
		t.Errorf("removing a location with unpushed changes: %v", err)
	}
	if _, err := s.Sync(ctx, DemoLocationID); err != nil {
		t.Fatal(err)
	}
	if out, _ := s.Outbox(ctx); len(out) != 0 {
		t.Errorf("outbox after sync = %+v", out)
	}
	got, err := exec.Command("git", "-C", filepath.Join(cfg.DataDir, "demo-org"), "show", "main:"+file).CombinedOutput()
	if err != nil || !strings.Contains(string(got), "Push Relay (edited)") {
		t.Errorf("demo repository after the push: %s %v", got, err)
	}
	if d, _ := s.GetEntity(ctx, "component:push-relay"); d.Pending || d.Title != "Push Relay (edited)" {
		t.Errorf("entity after the push: title %q pending %v", d.Title, d.Pending)
	}
}

func TestWriteFileRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := demoService(t)
	badName := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: not a name!\nspec: {type: service, lifecycle: production, owner: team-a}\n"
	for _, tc := range []struct {
		w    FileWrite
		want error
		msg  string
		// pos is where the error says the problem is (code, file, line, field).
		pos Error
	}{
		{FileWrite{LocationID: DemoLocationID, Path: "catalog-info.yaml", Content: "kind: [\n", Message: "x"}, ErrInvalid, "catalog-info.yaml:",
			Error{Code: CodeInvalid, File: "catalog-info.yaml", Line: 1}},
		{FileWrite{LocationID: DemoLocationID, Path: "catalog-info.yaml", Content: badName, Message: "x"}, ErrInvalid, "metadata.name",
			Error{Code: CodeInvalid, File: "catalog-info.yaml", Line: 4, Field: "metadata.name"}},
		{FileWrite{LocationID: DemoLocationID, Path: "/etc/passwd", Content: "x", Message: "x"}, ErrInvalid, "not a relative path", Error{Code: CodeInvalid}},
		{FileWrite{LocationID: "nope", Path: "a.yaml", Content: "x", Message: "x"}, ErrNotFound, "nope", Error{Code: CodeNotFound}},
		{FileWrite{Path: "a.yaml", Content: "x", Message: "x"}, ErrInvalid, "needs a location", Error{Code: CodeInvalid}},
	} {
		_, err := s.WriteFile(ctx, tc.w)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("WriteFile(%s %s) = %v, want %v naming %q", tc.w.LocationID, tc.w.Path, err, tc.want, tc.msg)
		}
		got := *ErrorOf(err)
		got.Message = ""
		if got != tc.pos {
			t.Errorf("WriteFile(%s %s): ErrorOf = %+v, want %+v", tc.w.LocationID, tc.w.Path, got, tc.pos)
		}
	}
	if err := s.ResolveConflict(ctx, "demo/1", "both"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ResolveConflict with keep both: %v", err)
	}
	if err := s.ResolveConflict(ctx, "demo/1", "mine"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ResolveConflict of no entry: %v", err)
	}
}
