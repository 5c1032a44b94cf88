package apitest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/sync/gittest"
)

// madeProject is a project the hello template made, committed in a git
// checkout of its own, and the template's next commit, synced: an
// update is available.
type madeProject struct {
	*org
	dir    string
	before string // the template's commit the project was made from
	after  string
}

func (s *suite) madeProject(t *testing.T) *madeProject {
	t.Helper()
	o := s.org(t)
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "my-proj")
	run, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: helloRef, Values: values(t, map[string]any{"name": "my-proj"}), Target: dir, Wait: true})
	must(t, "Scaffold", err)
	if run.Status != "completed" {
		t.Fatalf("the run = %+v", run)
	}
	rec, err := scaffold.ReadRecord(dir)
	must(t, "read the project's record", err)
	if rec.Template != helloRef || rec.Commit != o.loc.HeadCommit || rec.Location != o.loc.ID || rec.Callboard != Version || !strings.Contains(string(rec.Values), "my-proj") {
		t.Fatalf("the record = %+v", rec)
	}
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "New project")
	after := o.repo.Commit("hello: say what made the project", map[string][]byte{
		"templates/hello/skeleton/README.md":  []byte("# ${{ values.name }}\n\nMade with hello.\n"),
		"templates/hello/skeleton/CODEOWNERS": []byte("* @${{ values.name }}\n"),
	})
	_, err = o.API.Sync(ctx, o.loc.ID)
	must(t, "sync the template's commit", err)
	return &madeProject{org: o, dir: dir, before: rec.Commit, after: after}
}

func testTemplateUpdates(t *testing.T, s *suite) {
	p := s.madeProject(t)
	ctx := t.Context()
	got, err := p.API.TemplateUpdates(ctx)
	must(t, "TemplateUpdates", err)
	lists(t, p.Fixture, "TemplateUpdates", got)
	if len(got) != 1 {
		t.Fatalf("TemplateUpdates = %+v, want the project", got)
	}
	u := got[0]
	if u.Dir != p.dir || u.Template != helloRef || !u.Available || u.From != p.before || u.To != p.after || u.Problem != "" ||
		len(u.Commits) != 1 || u.Commits[0].Subject != "hello: say what made the project" || u.Commits[0].Author != "Test Author" {
		t.Errorf("the project's update = %+v", u)
	}
}

func testEntityTemplateUpdate(t *testing.T, s *suite) {
	p := s.madeProject(t)
	ctx := t.Context()
	// The project in the catalog: its folder is a location.
	catalogInfo := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: my-proj\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/payments\n"
	must(t, "write catalog-info.yaml", os.WriteFile(filepath.Join(p.dir, "catalog-info.yaml"), []byte(catalogInfo), 0o644))
	gittest.Git(t, p.dir, "add", "-A")
	gittest.Git(t, p.dir, "commit", "-q", "-m", "Register")
	loc, err := p.API.AddLocation(ctx, portal.NewLocation{URL: p.dir})
	must(t, "add the project as a location", err)
	_, err = p.API.Sync(ctx, loc.ID)
	must(t, "sync the project", err)
	p.Settle(t)

	got, err := p.API.EntityTemplateUpdate(ctx, "component:default/my-proj")
	must(t, "EntityTemplateUpdate", err)
	lists(t, p.Fixture, "EntityTemplateUpdate", got)
	if !got.Available || got.Dir != p.dir || got.EntityRef != "component:default/my-proj" || len(got.Commits) != 1 {
		t.Errorf("the project's entity = %+v", got)
	}
	none, err := p.API.EntityTemplateUpdate(ctx, paymentsRef)
	must(t, "EntityTemplateUpdate of an entity of no project", err)
	if none.Available || none.Problem != "" {
		t.Errorf("an entity of no project = %+v", none)
	}
	_, err = p.API.EntityTemplateUpdate(ctx, "component:default/nope")
	wantErr(t, "EntityTemplateUpdate of an unknown entity", err, portal.ErrNotFound)
	_, err = p.API.EntityTemplateUpdate(ctx, "component:")
	wantErr(t, "EntityTemplateUpdate of a bad ref", err, portal.ErrInvalid)
}

func testPreviewTemplateUpdate(t *testing.T, s *suite) {
	p := s.madeProject(t)
	ctx := t.Context()
	// The project changes its README too: both changed it.
	must(t, "edit README.md", os.WriteFile(filepath.Join(p.dir, "README.md"), []byte("# my-proj, by us\n"), 0o644))
	got, err := p.API.PreviewTemplateUpdate(ctx, portal.TemplateUpdateRequest{Dir: p.dir})
	must(t, "PreviewTemplateUpdate", err)
	lists(t, p.Fixture, "PreviewTemplateUpdate", got)
	byPath := map[string]portal.TemplateUpdateFile{}
	for _, f := range got.Files {
		byPath[f.Path] = f
	}
	readme, owners := byPath["README.md"], byPath["CODEOWNERS"]
	if len(got.Files) != 2 || readme.Action != "conflict" || owners.Action != "add" || got.Conflicts != 1 || got.Branch != "callboard/template-update/"+p.after[:8] {
		t.Fatalf("the preview = %+v", got)
	}
	if readme.Old == nil || *readme.Old != "# my-proj\n" || readme.New == nil || *readme.New != "# my-proj\n\nMade with hello.\n" ||
		readme.Current == nil || *readme.Current != "# my-proj, by us\n" || readme.Merged == nil || !strings.Contains(*readme.Merged, "<<<<<<< project\n# my-proj, by us\n") {
		t.Errorf("README.md's three sides and merge = %+v", readme)
	}
	if b, err := os.ReadFile(filepath.Join(p.dir, "README.md")); err != nil || string(b) != "# my-proj, by us\n" {
		t.Errorf("the preview wrote the project: %q, %v", b, err)
	}
	for _, tc := range []struct {
		req  portal.TemplateUpdateRequest
		want error
	}{
		{portal.TemplateUpdateRequest{Dir: "relative"}, portal.ErrInvalid},
		{portal.TemplateUpdateRequest{Dir: t.TempDir()}, portal.ErrNotFound},
		{portal.TemplateUpdateRequest{Dir: p.dir, To: "no-such-commit"}, portal.ErrInvalid},
		{portal.TemplateUpdateRequest{Dir: p.dir, Values: json.RawMessage(`[1]`)}, portal.ErrInvalid},
	} {
		_, err := p.API.PreviewTemplateUpdate(ctx, tc.req)
		wantErr(t, "PreviewTemplateUpdate "+tc.req.Dir+" "+tc.req.To, err, tc.want)
	}
}

func testApplyTemplateUpdate(t *testing.T, s *suite) {
	p := s.madeProject(t)
	ctx := t.Context()
	got, err := p.API.ApplyTemplateUpdate(ctx, portal.TemplateUpdateRequest{Dir: p.dir})
	must(t, "ApplyTemplateUpdate", err)
	lists(t, p.Fixture, "ApplyTemplateUpdate", got)
	if got.Branch != "callboard/template-update/"+p.after[:8] || got.Commit == "" || got.Conflicts != 0 {
		t.Errorf("the update = %+v", got)
	}
	if b, err := os.ReadFile(filepath.Join(p.dir, "README.md")); err != nil || string(b) != "# my-proj\n\nMade with hello.\n" {
		t.Errorf("README.md after the update: %q, %v", b, err)
	}
	if branch := strings.TrimSpace(gittest.Git(t, p.dir, "branch", "--show-current")); branch != got.Branch {
		t.Errorf("the checkout is on %q, want %q", branch, got.Branch)
	}
	if status := gittest.Git(t, p.dir, "status", "--porcelain"); status != "" {
		t.Errorf("the update left changes out of its commit:\n%s", status)
	}
	rec, err := scaffold.ReadRecord(p.dir)
	must(t, "read the record", err)
	if rec.Commit != p.after {
		t.Errorf("the record's commit after the update = %s, want %s", rec.Commit, p.after)
	}
	after, err := p.API.TemplateUpdates(ctx)
	must(t, "TemplateUpdates after the update", err)
	if len(after) != 0 {
		t.Errorf("TemplateUpdates after the update = %+v, want none", after)
	}

	// The same update again finds nothing to change: the branch exists.
	gittest.Git(t, p.dir, "checkout", "-q", "main")
	_, err = p.API.ApplyTemplateUpdate(ctx, portal.TemplateUpdateRequest{Dir: p.dir})
	wantErr(t, "ApplyTemplateUpdate onto an existing branch", err, portal.ErrConflict)
	must(t, "make the checkout dirty", os.WriteFile(filepath.Join(p.dir, "notes.txt"), []byte("wip\n"), 0o644))
	gittest.Git(t, p.dir, "branch", "-q", "-D", got.Branch)
	_, err = p.API.ApplyTemplateUpdate(ctx, portal.TemplateUpdateRequest{Dir: p.dir})
	wantErr(t, "ApplyTemplateUpdate onto a dirty checkout", err, portal.ErrConflict)
	must(t, "clean up", os.Remove(filepath.Join(p.dir, "notes.txt")))
	must(t, "remove the checkout", os.RemoveAll(filepath.Join(p.dir, ".git")))
	_, err = p.API.ApplyTemplateUpdate(ctx, portal.TemplateUpdateRequest{Dir: p.dir})
	wantErr(t, "ApplyTemplateUpdate of a folder that is not a checkout", err, portal.ErrInvalid)
}
