package apitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
)

// workbenchTemplate is a template folder's file, its form's one field
// named field.
func workbenchTemplate(field string) string {
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
        ` + field + `:
          type: string
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
`
}

// workbenchDir writes a template folder and returns it.
func workbenchDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "my template")
	must(t, "mkdir", os.MkdirAll(filepath.Join(dir, "skeleton"), 0o755))
	must(t, "write", os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(workbenchTemplate("name")), 0o644))
	must(t, "write", os.WriteFile(filepath.Join(dir, "skeleton", "README.md"), []byte("# ${{ values.name }}\n"), 0o644))
	return dir
}

func testOpenWorkbench(t *testing.T, s *suite) {
	o := s.fresh(t)
	ctx := t.Context()
	evs := o.Events(t)
	dir := workbenchDir(t)
	w, err := o.API.OpenWorkbench(ctx, dir)
	must(t, "OpenWorkbench", err)
	if w.ID == "" || w.Dir != dir || w.File != "template.yaml" || w.Template == nil || w.Template.Title != "Bench" || len(w.Problems) != 0 {
		t.Fatalf("OpenWorkbench = %+v", w)
	}
	lists(t, o, "OpenWorkbench", w)
	must(t, "save", os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(workbenchTemplate("title")), 0o644))
	ev := payload[portal.Workbench](t, await(t, evs, "workbench:changed", func(data json.RawMessage) bool {
		var v portal.Workbench
		return json.Unmarshal(data, &v) == nil && v.ID == w.ID
	}))
	if ev.Template == nil || ev.Version <= w.Version {
		t.Errorf("workbench:changed = %+v", ev)
	} else if !strings.Contains(string(ev.Template.Parameters), `"title"`) {
		t.Errorf("parameters after the save = %s, want the new field", ev.Template.Parameters)
	}
	for _, c := range []struct {
		dir  string
		want error
	}{{"", portal.ErrInvalid}, {"relative", portal.ErrInvalid}, {filepath.Join(dir, "missing"), portal.ErrNotFound}, {t.TempDir(), portal.ErrInvalid}} {
		_, err := o.API.OpenWorkbench(ctx, c.dir)
		wantErr(t, fmt.Sprintf("OpenWorkbench(%q)", c.dir), err, c.want)
	}
}

func testWorkbench(t *testing.T, s *suite) {
	o := s.fresh(t)
	ctx := t.Context()
	opened, err := o.API.OpenWorkbench(ctx, workbenchDir(t))
	must(t, "OpenWorkbench", err)
	w, err := o.API.Workbench(ctx, opened.ID)
	must(t, "Workbench", err)
	if w.ID != opened.ID || w.Template == nil {
		t.Errorf("Workbench = %+v", w)
	}
	lists(t, o, "Workbench", w)
	_, err = o.API.Workbench(ctx, "nope/../x")
	wantErr(t, "Workbench of an unknown id", err, portal.ErrNotFound)
	_, err = o.API.Workbench(ctx, "")
	wantErr(t, "Workbench of no id", err, portal.ErrInvalid)
}

func testWorkbenchDryRun(t *testing.T, s *suite) {
	o := s.fresh(t)
	ctx := t.Context()
	dir := workbenchDir(t)
	w, err := o.API.OpenWorkbench(ctx, dir)
	must(t, "OpenWorkbench", err)
	run := func(name string) portal.WorkbenchRun {
		r, err := o.API.WorkbenchDryRun(ctx, w.ID, portal.WorkbenchRunRequest{Values: values(t, map[string]any{"name": name})})
		must(t, "WorkbenchDryRun", err)
		lists(t, o, "WorkbenchDryRun", r)
		return r
	}
	first := run("one")
	if first.Run.Status != "completed" || !first.First || files(t, first.Run)["README.md"] != "# one\n" {
		t.Errorf("first dry run = %+v", first)
	}
	second := run("two")
	if second.First || len(second.Changes) != 1 || second.Changes[0].Path != "README.md" || second.Changes[0].Change != "changed" ||
		!strings.Contains(second.Changes[0].Diff, "-# one\n+# two\n") {
		t.Errorf("changes of the second dry run = %+v", second.Changes)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 2 {
		t.Errorf("the template folder after dry runs: %v, %v; want it as it was", entries, err)
	}
	_, err = o.API.WorkbenchDryRun(ctx, "unknown", portal.WorkbenchRunRequest{})
	wantErr(t, "WorkbenchDryRun of an unknown id", err, portal.ErrNotFound)
}

func testCloseWorkbench(t *testing.T, s *suite) {
	o := s.fresh(t)
	ctx := t.Context()
	w, err := o.API.OpenWorkbench(ctx, workbenchDir(t))
	must(t, "OpenWorkbench", err)
	must(t, "CloseWorkbench", o.API.CloseWorkbench(ctx, w.ID))
	_, err = o.API.Workbench(ctx, w.ID)
	wantErr(t, "Workbench once closed", err, portal.ErrNotFound)
	wantErr(t, "CloseWorkbench twice", o.API.CloseWorkbench(ctx, w.ID), portal.ErrNotFound)
}
