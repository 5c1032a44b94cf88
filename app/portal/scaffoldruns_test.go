package portal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
)

// useTemplate replaces the demo's static-website template with steps
// (and output), so a test runs it as template:static-website.
func useTemplate(t *testing.T, s *Service, spec string) {
	t.Helper()
	content := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: static-website\n  title: Test\nspec:\n  owner: group:default/platform\n  type: service\n" + spec
	if _, err := s.WriteFile(context.Background(), FileWrite{LocationID: DemoLocationID, Path: "templates/static-website/template.yaml", Content: content, Message: "test template"}); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls the run until ok says yes.
func waitFor(t *testing.T, s *Service, id string, ok func(ScaffoldRun) bool) ScaffoldRun {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := s.ScaffoldRun(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ok(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s: %s, steps %+v", id, got.Status, got.Steps)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func logSize(steps []StepResult) int {
	n := 0
	for _, st := range steps {
		for _, l := range st.Log {
			n += len(l)
		}
	}
	return n
}

// A run that logs without end (finding 6) is bounded while it runs and in
// its record: the live view keeps the same budgets as the result.
func TestScaffoldLogBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := demoService(t)
	useTemplate(t, s, `  parameters:
    - properties:
        big: {type: string}
  steps:
    - id: flood
      action: debug:log
      each: ${{ range(0, 200) }}
      input:
        message: '${{ each.value }} ${{ parameters.big }}'
    - id: wait
      action: debug:wait
      input: {minutes: 5}
`)
	big := strings.Repeat("z", 64<<10)
	run, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:static-website", Values: []byte(`{"big":"` + big + `"}`), DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	live := waitFor(t, s, run.ID, func(r ScaffoldRun) bool { return r.Steps[1].Status == string(scaffold.Running) })
	if n := logSize(live.Steps); n > 1<<20 || n == 0 {
		t.Errorf("the live view keeps %d bytes of log", n)
	}
	if err := s.CancelScaffold(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.ScaffoldRun(ctx, run.ID)
	if err != nil || got.Status != "cancelled" {
		t.Fatalf("after cancel: %s, %v", got.Status, err)
	}
	if n := logSize(got.Steps); n > 1<<20 || n == 0 {
		t.Errorf("the record keeps %d bytes of log", n)
	}
}

// A record too large to keep whole (here for its output text) is stored
// trimmed, with the reason; the run still ends in its own state.
func TestScaffoldRecordTrimmed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var cfg Config
	s := demoService(t, keep(&cfg))
	useTemplate(t, s, `  steps:
    - id: hello
      action: debug:log
      input: {message: hello}
  output:
    text:
      - title: Big
        content: ${{ parameters.big }}
`)
	big := strings.Repeat("q", store.MaxRunRecord+1)
	run, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:static-website", Values: []byte(`{"big":"` + big + `"}`), DryRun: true, Wait: true})
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != "completed" || !strings.Contains(run.Error, "too large to keep whole") || len(run.Texts) != 0 || len(run.Steps) != 1 {
		t.Errorf("stored: %s, %q, %d texts, %d steps", run.Status, run.Error, len(run.Texts), len(run.Steps))
	}
	if r, _, err := cfg.DB.Run(ctx, run.ID); err != nil || r.Status != "completed" || len(r.Texts) != 0 {
		t.Errorf("the record: %s, %d texts, %v", r.Status, len(r.Texts), err)
	}
}

// Cancel answers in every state of a run that exists, and ErrNotFound for
// one that does not.
func TestCancelScaffoldStates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var cfg Config
	s := demoService(t, keep(&cfg))
	useTemplate(t, s, "  steps:\n    - id: wait\n      action: debug:wait\n      input: {minutes: 5}\n")
	running, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:static-website", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, running.ID, func(r ScaffoldRun) bool { return r.Steps[0].Status == string(scaffold.Running) })
	ended, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:go-service", DryRun: true, Wait: true,
		Values: []byte(`{"name":"x","owner":"group:default/team-lighthouse","system":"ferries","repoUrl":"local?owner=me&repo=x"}`)})
	if err != nil || ended.Status != "completed" {
		t.Fatalf("%+v, %v", ended, err)
	}
	// What a process that stopped mid-run leaves.
	left := store.Run{ID: "20200101T000000.000-00000000", Status: "running", Steps: []store.RunStep{{ID: "a", Status: "running"}}}
	if err := cfg.DB.PutRun(ctx, left); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, id, want string
		err            error
	}{
		{"running: stopped", running.ID, "cancelled", nil},
		{"cancelled already: left as it is", running.ID, "cancelled", nil},
		{"completed: left as it is", ended.ID, "completed", nil},
		{"left running by a stopped process: interrupted", "20200101T000000.000-00000000", "interrupted", nil},
		{"unknown", "nope", "", ErrNotFound},
	}
	for _, tt := range tests {
		if err := s.CancelScaffold(ctx, tt.id); !errors.Is(err, tt.err) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
			continue
		}
		if tt.err != nil {
			continue
		}
		got, err := s.ScaffoldRun(ctx, tt.id)
		if err != nil || got.Status != tt.want {
			t.Errorf("%s: status %s, %v; want %s", tt.name, got.Status, err, tt.want)
		}
	}
}

// At open, runs stored as running or pending become interrupted, the
// partial copies beside their targets and the workspaces no live run owns
// are removed; other runs, and what is beside their targets, are left
// alone.
func TestRecoverRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var cfg Config
	s := demoService(t, keep(&cfg))
	projects := t.TempDir()
	states := map[string]string{"20200101T000000.000-00000001": "running", "20200101T000000.000-00000002": "pending", "20200101T000000.000-00000003": "completed"}
	for id, st := range states {
		target := filepath.Join(projects, id)
		if err := cfg.DB.PutRun(ctx, store.Run{ID: id, Status: st, Target: target, Steps: []store.RunStep{{ID: "a", Status: st}}}); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(scaffold.PartialDir(target), "half"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	work := filepath.Join(cfg.DataDir, "scaffold")
	left := filepath.Join(work, scaffold.WorkspacePrefix+"20200101T000000.000-00000001-abcdef")
	if err := os.MkdirAll(filepath.Join(left, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(left, "sub", "file"), []byte("x"), 0o644)
	other := filepath.Join(work, "not-a-workspace")
	os.MkdirAll(other, 0o755)
	if err := s.RecoverRuns(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"20200101T000000.000-00000001": "interrupted", "20200101T000000.000-00000002": "interrupted", "20200101T000000.000-00000003": "completed"}
	for id, st := range want {
		got, err := s.ScaffoldRun(ctx, id)
		if err != nil || got.Status != st || string(got.Steps[0].Status) != st {
			t.Errorf("run %s: %s (step %s), %v; want %s", id, got.Status, got.Steps[0].Status, err, st)
		}
		if st == "interrupted" && !strings.Contains(got.Error, "Callboard stopped during this run") {
			t.Errorf("run %s: error %q", id, got.Error)
		}
	}
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the workspace left behind is still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a folder that is no workspace was removed: %v", err)
	}
	for id, st := range want {
		_, err := os.Stat(scaffold.PartialDir(filepath.Join(projects, id)))
		if gone := errors.Is(err, os.ErrNotExist); gone != (st == "interrupted") {
			t.Errorf("run %s, %s: the partial copy beside its target: %v", id, st, err)
		}
	}
}
