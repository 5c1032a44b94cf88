package portal_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/portal/portaltest"
	"github.com/callboard/callboard/demo"
)

// A new user's first visit: the demo's harbour-radar was made from an
// older go-service, so its entity page and the Create page say a
// template update is available, and the update merges cleanly.
func TestDemoProjectHasAnUpdate(t *testing.T) {
	t.Parallel()
	l := portaltest.Demo(t)
	ctx := t.Context()
	got, err := l.Service.EntityTemplateUpdate(ctx, "component:default/harbour-radar")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Available || len(got.Commits) != 1 || !strings.HasPrefix(got.Commits[0].Subject, "go-service:") || got.Problem != "" {
		t.Fatalf("harbour-radar's update = %+v", got)
	}
	if filepath.ToSlash(got.Dir) != filepath.ToSlash(filepath.Join(filepath.Dir(got.Dir), "harbour-radar")) || !strings.HasSuffix(filepath.ToSlash(got.Dir), demo.ProjectDir) {
		t.Errorf("the project's folder = %s", got.Dir)
	}
	list, err := l.Service.TemplateUpdates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Dir != got.Dir {
		t.Errorf("TemplateUpdates = %+v, want harbour-radar", list)
	}
	p, err := l.Service.PreviewTemplateUpdate(ctx, portal.TemplateUpdateRequest{Dir: got.Dir})
	if err != nil {
		t.Fatal(err)
	}
	if p.Conflicts != 0 || len(p.Files) != 1 || p.Files[0].Path != "README.md" || p.Files[0].Action != "merge" ||
		p.Files[0].Merged == nil || !strings.Contains(*p.Files[0].Merged, "AIS positions") || !strings.Contains(*p.Files[0].Merged, "## Layout") {
		t.Errorf("the preview = %+v", p)
	}
}

// A project Backstage made has no record: its catalog file's
// backstage.io/source-template names the template, the template's commit
// is its last before the project's first, and the entity's fields answer
// the questions whose names match, each shown to confirm once.
func TestBackstageProjectUpdate(t *testing.T) {
	t.Parallel()
	l := portaltest.Demo(t)
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "tide-gauge")
	files := map[string]string{
		"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: tide-gauge\n  description: Tide heights at each berth.\n" +
			"  annotations:\n    backstage.io/source-template: template:default/go-service\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/team-harbour\n  system: fleet-telemetry\n",
		"README.md": "# tide-gauge\n\nTide heights at each berth.\n\nOwned by `group:default/team-harbour`, part of the `fleet-telemetry` system.\n\n## Running it\n\n```sh\ngo run ./cmd/tide-gauge\n```\n",
	}
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			t.Fatal(err)
		}
	}
	// Made between the demo's two commits, from the older go-service.
	sig := &object.Signature{Name: "Backstage", Email: "scaffolder@backstage.invalid", When: time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)}
	if _, err := wt.Commit("initial commit", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
	req := portal.TemplateUpdateRequest{Dir: dir, Values: json.RawMessage(`{"repoUrl":"github.com?owner=marigold-ferries&repo=tide-gauge"}`)}
	p, err := l.Service.PreviewTemplateUpdate(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	asked := map[string]string{}
	for _, q := range p.Asked {
		asked[q.Name] = string(q.Value)
	}
	if !p.FromBackstage || !p.Available || asked["name"] != `"tide-gauge"` || asked["owner"] != `"group:default/team-harbour"` || asked["repoUrl"] == "" {
		t.Errorf("the preview of a Backstage project = %+v, asked %v", p.TemplateUpdateSummary, asked)
	}
	if len(p.Files) != 1 || p.Files[0].Path != "README.md" || p.Files[0].Action != "update" || p.Conflicts != 0 {
		t.Errorf("files = %+v", p.Files)
	}
	if _, err := l.Service.PreviewTemplateUpdate(ctx, portal.TemplateUpdateRequest{Dir: dir}); !errors.Is(err, portal.ErrInvalid) {
		t.Errorf("without the answer the entity lacks (repoUrl): %v, want ErrInvalid", err)
	}
}
