package apitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
)

// values is a form's answers as JSON.
func values(t *testing.T, v map[string]any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, "encode values", err)
	return b
}

// files maps the paths of a run's files to their contents.
func files(t *testing.T, run portal.ScaffoldRun) map[string]string {
	t.Helper()
	b, err := json.Marshal(run.Files)
	must(t, "encode files", err)
	var fs []struct{ Path, Content string }
	must(t, "decode files", json.Unmarshal(b, &fs))
	out := map[string]string{}
	for _, f := range fs {
		out[f.Path] = f.Content
	}
	return out
}

// ofRun matches the events of run id.
func ofRun(id string) func(json.RawMessage) bool {
	return func(data json.RawMessage) bool {
		var v struct{ RunID, ID string }
		return json.Unmarshal(data, &v) == nil && (v.RunID == id || v.ID == id)
	}
}

func testTemplate(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	for _, ref := range []string{helloRef, "hello", "Template:Default/Hello"} {
		d, err := o.API.Template(ctx, ref)
		must(t, "Template "+ref, err)
		if d.Ref != helloRef || d.Title != "Template hello" || d.Problem != "" {
			t.Errorf("Template(%q) = %+v", ref, d)
		}
		want := []portal.TemplateStep{{ID: "fetch", Name: "Fetch skeleton", Action: "fetch:template"}, {ID: "log", Name: "Say hello", Action: "debug:log"}}
		if diff := gocmp.Diff(want, d.Steps); diff != "" {
			t.Errorf("steps (-want +got):\n%s", diff)
		}
		if len(d.Fetches) != 0 {
			t.Errorf("fetches of a template fetching from its own folder = %+v, want none", d.Fetches)
		}
		var params []struct {
			Title      string
			Required   []string
			Properties map[string]any
		}
		if err := json.Unmarshal(d.Parameters, &params); err != nil || len(params) != 1 || params[0].Properties["name"] == nil ||
			!slices.Equal(params[0].Required, []string{"name"}) {
			t.Errorf("parameters %s: want the one page, %v", d.Parameters, err)
		}
		lists(t, o.Fixture, "Template", d)
	}
	d, err := o.API.Template(ctx, brokenRef)
	must(t, "Template", err)
	// It opens, naming the step that cannot run here and why.
	if d.Problem == "" || len(d.Steps) != 2 || d.Steps[0].Unavailable != "" ||
		!strings.HasPrefix(d.Steps[1].Unavailable, "action nope:nothing is not installed: ") {
		t.Errorf("a template with an unknown action: %+v, want its problem and the step", d)
	}
	// A fetch by URL needs the network until a run keeps a copy.
	wantFetches := []portal.TemplateFetch{{Step: "Fetch by URL", URL: skeletonURL}}
	if diff := gocmp.Diff(wantFetches, d.Fetches); diff != "" {
		t.Errorf("fetches (-want +got):\n%s", diff)
	}
	lists(t, o.Fixture, "Template", d)
	for _, ref := range []string{paymentsRef, "template:default/nope", "template:ops-team/hello", "template:default/a/b"} {
		_, err := o.API.Template(ctx, ref)
		wantErr(t, fmt.Sprintf("Template(%q)", ref), err, portal.ErrNotFound)
	}
	for _, ref := range []string{"", "template:", ":hello"} {
		_, err := o.API.Template(ctx, ref)
		wantErr(t, fmt.Sprintf("Template(%q)", ref), err, portal.ErrInvalid)
	}
}

func testScaffold(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	evs := o.Events(t)
	target := filepath.Join(t.TempDir(), "new project")
	run, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: helloRef, Values: values(t, map[string]any{"name": "my-proj"}), Target: target})
	must(t, "Scaffold", err)
	if run.ID == "" || run.Template != helloRef || run.Target != target || run.Status != "running" || len(run.Steps) != 2 {
		t.Errorf("a run as it starts = %+v", run)
	}
	lists(t, o.Fixture, "Scaffold", run)
	type progress struct {
		RunID, Step, Kind, Status string
	}
	started := payload[progress](t, await(t, evs, "scaffold:progress", ofRun(run.ID)))
	if started.Step != "fetch" || started.Kind != "start" {
		t.Errorf("first progress = %+v, want the start of the first step", started)
	}
	done := payload[struct{ ID, Status string }](t, await(t, evs, "scaffold:done", ofRun(run.ID)))
	if done.Status != "completed" {
		t.Errorf("scaffold:done = %+v", done)
	}

	got, err := o.API.ScaffoldRun(ctx, run.ID)
	must(t, "ScaffoldRun", err)
	if got.Status != "completed" || got.Error != "" || len(got.Steps) != 2 || got.Steps[0].Status != "completed" || got.Steps[1].Status != "completed" {
		t.Errorf("the run once done = %+v", got)
	}
	if !slices.ContainsFunc(got.Steps[1].Log, func(l string) bool { return strings.Contains(l, "Hello my-proj") }) {
		t.Errorf("the log step's log = %q", got.Steps[1].Log)
	}
	if len(got.Links) != 1 || got.Links[0].URL != "https://example.invalid/my-proj" {
		t.Errorf("links = %+v", got.Links)
	}
	if _, ok := files(t, got)["README.md"]; !ok {
		t.Errorf("files = %+v, want README.md", got.Files)
	}
	if b, err := os.ReadFile(filepath.Join(target, "README.md")); err != nil || string(b) != "# my-proj\n" {
		t.Errorf("the project's README: %q, %v", b, err)
	}
	lists(t, o.Fixture, "ScaffoldRun", got)

	// A dry run waited for, with a large value: the files come back with
	// their contents (up to 256 KiB each), and nothing is written.
	name := strings.Repeat("x", 128<<10)
	dry, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: "hello", Values: values(t, map[string]any{"name": name}), DryRun: true, Wait: true})
	must(t, "Scaffold, dry run", err)
	if dry.Status != "completed" || !dry.DryRun || dry.Target != "" {
		t.Errorf("a dry run = %+v", dry)
	}
	if readme, ok := files(t, dry)["README.md"]; !ok || !strings.HasPrefix(readme, "# xxx") {
		t.Errorf("a dry run's files = %d, want README.md with its contents", len(dry.Files))
	}
	lists(t, o.Fixture, "Scaffold, dry run", dry)

	// A dry run of a template with an action not installed runs what it
	// can; a real one is refused before it starts (below).
	broken, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: brokenRef, DryRun: true, Wait: true})
	must(t, "Scaffold, a dry run with an action not installed", err)
	if len(broken.Steps) != 2 || broken.Steps[1].Status != "skipped" {
		t.Errorf("a dry run with an action not installed = %+v, want its steps, the last skipped", broken)
	}

	for _, tt := range []struct {
		req  portal.ScaffoldRequest
		want error
	}{
		{portal.ScaffoldRequest{Template: "template:default/nope", DryRun: true}, portal.ErrNotFound},
		{portal.ScaffoldRequest{Template: paymentsRef, DryRun: true}, portal.ErrNotFound},
		{portal.ScaffoldRequest{Template: "", DryRun: true}, portal.ErrInvalid},
		{portal.ScaffoldRequest{Template: brokenRef, Target: filepath.Join(t.TempDir(), "broken")}, portal.ErrInvalid},
		{portal.ScaffoldRequest{Template: helloRef, Values: values(t, map[string]any{"name": "x"})}, portal.ErrInvalid},
		{portal.ScaffoldRequest{Template: helloRef, Values: values(t, map[string]any{"name": "x"}), Target: "relative/dir"}, portal.ErrInvalid},
	} {
		_, err := o.API.Scaffold(ctx, tt.req)
		wantErr(t, fmt.Sprintf("Scaffold(%q, target %q)", tt.req.Template, tt.req.Target), err, tt.want)
	}
}

func testScaffoldRuns(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	runs, err := o.API.ScaffoldRuns(ctx)
	must(t, "ScaffoldRuns", err)
	if len(runs) != 0 {
		t.Errorf("runs before any = %+v", runs)
	}
	lists(t, o.Fixture, "ScaffoldRuns", runs)
	var ids []string
	for _, name := range []string{"first", "second"} {
		run, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: helloRef, Values: values(t, map[string]any{"name": name}), DryRun: true, Wait: true})
		must(t, "Scaffold", err)
		ids = append(ids, run.ID)
	}
	runs, err = o.API.ScaffoldRuns(ctx)
	must(t, "ScaffoldRuns", err)
	var got []string
	for _, r := range runs {
		got = append(got, r.ID)
		if r.Status != "completed" || r.Template != helloRef {
			t.Errorf("run %+v", r)
		}
	}
	if diff := gocmp.Diff([]string{ids[1], ids[0]}, got); diff != "" {
		t.Errorf("runs, newest first (-want +got):\n%s", diff)
	}
	lists(t, o.Fixture, "ScaffoldRuns", runs)
}

func testScaffoldRun(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	done, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: helloRef, Values: values(t, map[string]any{"name": "x"}), DryRun: true, Wait: true})
	must(t, "Scaffold", err)
	got, err := o.API.ScaffoldRun(ctx, done.ID)
	must(t, "ScaffoldRun", err)
	if diff := gocmp.Diff(done, got); diff != "" {
		t.Errorf("a finished run read back (-returned +read):\n%s", diff)
	}

	// A live run shows every step, done or not.
	live, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: slowRef, Values: values(t, map[string]any{"name": "x"}), DryRun: true})
	must(t, "Scaffold", err)
	got, err = o.API.ScaffoldRun(ctx, live.ID)
	must(t, "ScaffoldRun", err)
	if got.Status != "running" || len(got.Steps) != 1 || got.Steps[0].ID != "wait" || got.Steps[0].Status != "pending" && got.Steps[0].Status != "running" {
		t.Errorf("a live run = %+v", got)
	}
	lists(t, o.Fixture, "ScaffoldRun", got)
	must(t, "CancelScaffold", o.API.CancelScaffold(ctx, live.ID))

	_, err = o.API.ScaffoldRun(ctx, "")
	wantErr(t, `ScaffoldRun("")`, err, portal.ErrInvalid)
	for _, id := range notFoundIDs {
		_, err := o.API.ScaffoldRun(ctx, id)
		wantErr(t, fmt.Sprintf("ScaffoldRun(%.40q)", id), err, portal.ErrNotFound)
	}
}

func testCancelScaffold(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	evs := o.Events(t)
	target := filepath.Join(t.TempDir(), "never")
	run, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: slowRef, Values: values(t, map[string]any{"name": "x"}), Target: target})
	must(t, "Scaffold", err)
	await(t, evs, "scaffold:progress", func(data json.RawMessage) bool {
		return ofRun(run.ID)(data) && strings.Contains(string(data), `"kind":"start"`)
	})
	must(t, "CancelScaffold", o.API.CancelScaffold(ctx, run.ID))
	got, err := o.API.ScaffoldRun(ctx, run.ID)
	must(t, "ScaffoldRun", err)
	if got.Status != "cancelled" {
		t.Errorf("a cancelled run = %+v", got)
	}
	if done := payload[struct{ ID, Status string }](t, await(t, evs, "scaffold:done", ofRun(run.ID))); done.Status != "cancelled" {
		t.Errorf("scaffold:done = %+v", done)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("a cancelled run left its target: %v", err)
	}
	must(t, "CancelScaffold of an ended run", o.API.CancelScaffold(ctx, run.ID))
	if again, err := o.API.ScaffoldRun(ctx, run.ID); err != nil || again.Status != "cancelled" {
		t.Errorf("an ended run cancelled again: %s, %v", again.Status, err)
	}
	wantErr(t, `CancelScaffold("")`, o.API.CancelScaffold(ctx, ""), portal.ErrInvalid)
	for _, id := range notFoundIDs {
		wantErr(t, fmt.Sprintf("CancelScaffold(%.40q)", id), o.API.CancelScaffold(ctx, id), portal.ErrNotFound)
	}
}
