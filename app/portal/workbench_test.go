package portal

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/events"
)

// benchTemplate is a template whose form has the fields named, each a
// string, and whose skeleton is one README.
func benchTemplate(fields ...string) string {
	var props strings.Builder
	for _, f := range fields {
		props.WriteString("        " + f + ":\n          type: string\n")
	}
	return `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: bench
  title: Bench
spec:
  type: service
  parameters:
    - title: Fill in
      properties:
` + props.String() + `  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
    - id: log
      action: debug:log
      input:
        message: made ${{ parameters.name }}
  output:
    links:
      - title: Repo
        url: https://example.invalid/${{ parameters.name }}
`
}

// writeBench writes the files of a template folder.
func writeBench(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// workbenchService is a service with an event bus and a data dir, and a
// subscription to workbench:changed.
func workbenchService(t testing.TB) (*Service, <-chan events.Event) {
	t.Helper()
	bus := &events.Bus{}
	s, _ := newService(t, func(c *Config) { c.Events, c.DataDir = bus, t.TempDir() })
	ch, err := s.Subscribe(t.Context(), events.WorkbenchChanged)
	if err != nil {
		t.Fatal(err)
	}
	return s, ch
}

// awaitChange waits for the workbench's next workbench:changed.
func awaitChange(t testing.TB, ch <-chan events.Event, id string) Workbench {
	t.Helper()
	// A failure guard, not a pace: the event is due 100 ms after the save.
	limit := time.NewTimer(time.Minute)
	defer limit.Stop()
	for {
		select {
		case ev := <-ch:
			if w, ok := ev.Data.(Workbench); ok && w.ID == id {
				return w
			}
		case <-limit.C:
			t.Fatal("no workbench:changed after a save")
		}
	}
}

// fieldsOf lists the form's fields of a workbench's first page.
func fieldsOf(t testing.TB, w Workbench) []string {
	t.Helper()
	if w.Template == nil {
		t.Fatalf("no template: problems %+v", w.Problems)
	}
	var pages []struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(w.Template.Parameters, &pages); err != nil || len(pages) != 1 {
		t.Fatalf("parameters %s: %v", w.Template.Parameters, err)
	}
	var out []string
	for k := range pages[0].Properties {
		out = append(out, k)
	}
	return out
}

// TestWorkbenchFollowsTheFolder: saving template.yaml publishes the form
// read again; a YAML error comes back with its line and keeps the last
// good form; the skeleton's change shows in the dry run's diff.
func TestWorkbenchFollowsTheFolder(t *testing.T) {
	t.Parallel()
	s, ch := workbenchService(t)
	ctx := t.Context()
	dir := t.TempDir()
	writeBench(t, dir, map[string]string{
		"template.yaml":                    benchTemplate("name"),
		"skeleton/README.md":               "# ${{ values.name }}\n",
		"skeleton/node_modules/x/pkg.json": "{}",
	})
	w, err := s.OpenWorkbench(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if w.File != "template.yaml" || w.Template == nil || w.Template.Title != "Bench" || len(w.Problems) != 0 {
		t.Fatalf("opened = %+v", w)
	}
	if w.Watched != 2 || !strings.Contains(w.WatchNote, "skeleton/node_modules") {
		t.Errorf("watched %d folders, note %q; want the folder and skeleton, node_modules left out", w.Watched, w.WatchNote)
	}
	again, err := s.OpenWorkbench(ctx, filepath.Join(dir, "template.yaml"))
	if err != nil || again.ID != w.ID {
		t.Errorf("opening the same template again = %s, %v; want session %s", again.ID, err, w.ID)
	}

	first, err := s.WorkbenchDryRun(ctx, w.ID, WorkbenchRunRequest{Values: json.RawMessage(`{"name":"one"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if first.Run.Status != "completed" || !first.First || len(first.Changes) != 0 {
		t.Fatalf("first dry run = %+v", first)
	}
	if got := contentOf(first.Run, "README.md"); got != "# one\n" {
		t.Errorf("README = %q", got)
	}
	if len(first.Run.Links) != 1 || first.Run.Links[0].URL != "https://example.invalid/one" {
		t.Errorf("links = %+v", first.Run.Links)
	}

	writeBench(t, dir, map[string]string{"template.yaml": benchTemplate("name", "owner")})
	changed := awaitChange(t, ch, w.ID)
	if got := fieldsOf(t, changed); !gocmp.Equal(slices.Sorted(slices.Values(got)), []string{"name", "owner"}) {
		t.Errorf("fields after the save = %v", got)
	}
	if changed.Version <= w.Version || !gocmp.Equal(changed.Changed, []string{"template.yaml"}) {
		t.Errorf("changed = version %d (was %d), files %v", changed.Version, w.Version, changed.Changed)
	}

	writeBench(t, dir, map[string]string{"template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: bench\n   bad: [\n"})
	broken := awaitChange(t, ch, w.ID)
	if len(broken.Problems) == 0 || broken.Problems[0].File != "template.yaml" || broken.Problems[0].Line == 0 {
		t.Errorf("problems of broken YAML = %+v, want one with its line", broken.Problems)
	}
	if got := fieldsOf(t, broken); len(got) != 2 {
		t.Errorf("the form after a broken save = %v, want the last good one kept", got)
	}

	writeBench(t, dir, map[string]string{"template.yaml": benchTemplate("name"), "skeleton/README.md": "# ${{ values.name }}\n\nnew line\n", "skeleton/LICENSE": "MIT\n"})
	for next := awaitChange(t, ch, w.ID); len(next.Problems) > 0; next = awaitChange(t, ch, w.ID) {
	}
	second, err := s.WorkbenchDryRun(ctx, w.ID, WorkbenchRunRequest{Values: json.RawMessage(`{"name":"one"}`)})
	if err != nil {
		t.Fatal(err)
	}
	want := []FileChange{
		{Path: "LICENSE", Change: "added"},
		{Path: "README.md", Change: "changed", Diff: "--- a/README.md\n+++ b/README.md\n@@ -1 +1,3 @@\n # one\n+\n+new line\n"},
	}
	if diff := gocmp.Diff(want, second.Changes); second.First || second.Same || diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	// The same files again (a save that changed nothing): the diff shown
	// stays the last one that said something.
	third, err := s.WorkbenchDryRun(ctx, w.ID, WorkbenchRunRequest{Values: json.RawMessage(`{"name":"one"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(want, third.Changes); !third.Same || diff != "" {
		t.Errorf("an identical run: same %v, changes (-want +got):\n%s", third.Same, diff)
	}

	if err := s.CloseWorkbench(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	for _, call := range []error{s.CloseWorkbench(ctx, w.ID), func() error { _, err := s.Workbench(ctx, w.ID); return err }()} {
		if !errors.Is(call, ErrNotFound) {
			t.Errorf("a closed workbench: %v, want not found", call)
		}
	}
}

// TestOpenWorkbenchRefuses: what is no template folder is refused with
// the right code.
func TestOpenWorkbenchRefuses(t *testing.T) {
	t.Parallel()
	s, _ := workbenchService(t)
	empty := t.TempDir()
	for _, c := range []struct {
		dir  string
		want error
	}{
		{"relative/dir", ErrInvalid},
		{filepath.Join(empty, "missing"), ErrNotFound},
		{empty, ErrInvalid},
	} {
		if _, err := s.OpenWorkbench(t.Context(), c.dir); !errors.Is(err, c.want) {
			t.Errorf("OpenWorkbench(%q) = %v, want %v", c.dir, err, c.want)
		}
	}
}

func contentOf(run ScaffoldRun, path string) string {
	for _, f := range run.Files {
		if f.Path == path {
			return f.Content
		}
	}
	return ""
}
