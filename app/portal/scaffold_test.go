package portal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scaffold"
)

// The demo's Go service template through the portal: the project lands in
// the target folder as a git repository, its component is in the catalog
// right after, and the run is in the history.
func TestScaffoldDemoTemplate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := demoService(t)
	detail, err := s.Template(ctx, "template:default/go-service")
	if err != nil {
		t.Fatal(err)
	}
	if detail.Problem != "" || len(detail.Steps) != 3 || !strings.HasPrefix(string(detail.Parameters), `[{"title":"About the service","required":["name","owner"]`) {
		t.Fatalf("detail: %+v\n%s", detail, detail.Parameters)
	}
	target := filepath.Join(t.TempDir(), "ferry-radar")
	values := `{"name":"ferry-radar","description":"Radar","owner":"group:default/team-lighthouse","system":"ferries","repoUrl":"local?owner=me&repo=ferry-radar"}`
	dry, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:go-service", Values: []byte(values), DryRun: true, Wait: true})
	if err != nil || dry.Status != "completed" || len(dry.Files) == 0 || dry.Files[0].Content == "" {
		t.Fatalf("dry run: %+v, %v", dry, err)
	}
	run, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:go-service", Values: []byte(values), Target: target, Wait: true})
	if err != nil || run.Status != "completed" {
		t.Fatalf("run: %+v, %v", run, err)
	}
	if _, err := git.PlainOpen(target); err != nil {
		t.Errorf("no git repository in the project: %v", err)
	}
	if len(run.Publish) != 1 || run.Publish[0].Status != "local" || len(run.Registered) != 1 {
		t.Errorf("publish %+v, registered %v, error %q", run.Publish, run.Registered, run.Error)
	}
	if _, err := s.GetEntity(ctx, "component:default/ferry-radar"); err != nil {
		t.Errorf("the new component is not in the catalog: %v", err)
	}
	history, _ := s.ScaffoldRuns(ctx)
	if len(history) != 2 || history[0].ID != run.ID || history[0].Files[0].Content != "" {
		t.Errorf("history: %d runs", len(history))
	}
	// A host the user has no location on and does not trust: refused,
	// in a dry run as in a run, saying how to trust it.
	for _, dryRun := range []bool{true, false} {
		evil, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:go-service", DryRun: dryRun, Target: filepath.Join(t.TempDir(), "evil"), Wait: true,
			Values: []byte(`{"name":"evil","description":"Evil","owner":"group:default/team-lighthouse","system":"ferries","repoUrl":"evil.example?owner=a&repo=b"}`)})
		if err != nil || evil.Status != "failed" || len(evil.Publish) != 0 ||
			!strings.Contains(evil.Error, "evil.example is not a trusted git host, so nothing is pushed there: add it under Trusted git hosts in Settings") {
			t.Errorf("run publishing to an untrusted host (dry run %v): %+v, %v", dryRun, evil, err)
		}
	}
	// A remote that cannot be reached: the project is made, registered,
	// and its first push waits in the outbox.
	if _, err := s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, TrustedGitHosts: []string{"127.0.0.1:1"}}); err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(t.TempDir(), "tide-clock")
	offline, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:go-service", Target: dead, Wait: true,
		Values: []byte(`{"name":"tide-clock","description":"Tides","owner":"group:default/team-lighthouse","system":"ferries","repoUrl":"127.0.0.1:1?owner=me&repo=tide-clock"}`)})
	if err != nil || offline.Status != "completed" || len(offline.Publish) != 1 || offline.Publish[0].Status != "pending" || offline.Publish[0].Error == "" {
		t.Fatalf("offline run: %+v, %v", offline, err)
	}
	outbox, err := s.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var waiting []OutboxEntry
	for _, e := range outbox {
		if e.ID == "run:"+offline.ID {
			waiting = append(waiting, e)
		}
	}
	if len(waiting) != 1 || waiting[0].State != "pending" || !strings.Contains(waiting[0].Message, "https://127.0.0.1:1/me/tide-clock.git") || waiting[0].Paths[0] != dead {
		t.Errorf("the outbox holds %+v", outbox)
	}
	if _, err := s.GetEntity(ctx, "component:default/tide-clock"); err != nil {
		t.Errorf("the offline project is not in the catalog: %v", err)
	}
	// The same folder again: refused, nothing touched.
	before, _ := os.ReadFile(filepath.Join(target, "catalog-info.yaml"))
	again, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:go-service", Values: []byte(values), Target: target, Wait: true})
	if err != nil || again.Status != "failed" || !strings.Contains(again.Error, "not empty") {
		t.Errorf("second run into the same folder: %+v, %v", again, err)
	}
	if after, _ := os.ReadFile(filepath.Join(target, "catalog-info.yaml")); string(after) != string(before) {
		t.Error("the refused run changed the project")
	}
	for _, req := range []ScaffoldRequest{
		{Template: "template:nope", Values: []byte(`{}`), DryRun: true},
		{Template: "template:go-service", Values: []byte(`{`), DryRun: true},
		{Template: "template:go-service", Values: []byte(`{}`), Target: "relative"},
	} {
		if _, err := s.Scaffold(ctx, req); !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", req, err)
		}
	}
}

// A run read while it goes shows every step (done, running, pending) with
// its log so far; cancelling it ends it cancelled and writes nothing.
func TestScaffoldLiveStepsAndCancel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := demoService(t)
	const slow = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: static-website
  title: Slow
spec:
  owner: group:default/platform
  type: service
  steps:
    - id: hello
      name: Say hello
      action: debug:log
      input:
        message: hello
    - id: wait
      name: Wait
      action: debug:wait
      input:
        minutes: 5
    - id: never
      name: Never reached
      action: debug:log
      input:
        message: never
`
	if _, err := s.WriteFile(ctx, FileWrite{LocationID: DemoLocationID, Path: "templates/static-website/template.yaml", Content: slow, Message: "slow template"}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "slow")
	run, err := s.Scaffold(ctx, ScaffoldRequest{Template: "template:static-website", Values: []byte(`{}`), Target: target})
	if err != nil || run.Status != "running" || len(run.Steps) != 3 {
		t.Fatalf("started: %+v, %v", run, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := s.ScaffoldRun(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Steps[1].Status == "running" {
			if got.Steps[0].Status != "completed" || !slices.Contains(got.Steps[0].Log, "hello") || got.Steps[2].Status != "pending" {
				t.Errorf("steps mid-run: %+v", got.Steps)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the wait step never started: %+v", got.Steps)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.CancelScaffold(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.ScaffoldRun(ctx, run.ID)
	if err != nil || got.Status != "cancelled" {
		t.Errorf("after cancel: %+v, %v", got, err)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cancelled run left %s: %v", target, err)
	}
	if err := s.CancelScaffold(ctx, run.ID); err != nil {
		t.Errorf("cancelling an ended run: %v", err)
	}
}

// A fetch from a repository Callboard does not sync, where nothing is
// fetched by URL, says so in terms of the step's url input (it used to
// talk about a techdocs-ref).
func TestScaffoldFetchFromAnUnsyncedRepository(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	for _, action := range []string{"fetch:plain", "fetch:plain:file", "fetch:template"} {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			const url = "https://git.example/org/unsynced/tree/main/skeleton"
			files := catalog.MapFiles{"t/template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  type: service\n  steps:\n" +
				"    - id: fetch\n      action: " + action + "\n      input:\n        url: " + url + "\n        targetPath: out\n"}
			tpl, err := scaffold.Load(ctx, scaffold.Source{Files: files, File: "t/template.yaml"}, "", catalog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			res := s.templates.runner(ctx).Run(ctx, tpl, scaffold.Request{DryRun: true, WorkDir: t.TempDir()}, nil)
			want := "input url: " + url + ": this Callboard fetches nothing by URL: add the repository as a location"
			if res.Status != scaffold.Failed || !strings.Contains(res.Error, want) || strings.Contains(res.Error, "techdocs") {
				t.Errorf("%s: %q, want an error with %q", res.Status, res.Error, want)
			}
		})
	}
}
