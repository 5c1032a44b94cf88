package apitest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// pushedProject is a made project whose checkout has an origin (a bare
// repository on disk) holding its main branch, with its update applied.
func (s *suite) pushedProject(t *testing.T) (*madeProject, string, portal.TemplateUpdateApplied) {
	t.Helper()
	p := s.madeProject(t)
	bare := filepath.Join(t.TempDir(), "origin.git")
	gittest.Git(t, filepath.Dir(bare), "init", "-q", "--bare", "-b", "main", bare)
	gittest.Git(t, p.dir, "remote", "add", "origin", bare)
	gittest.Git(t, p.dir, "push", "-q", "origin", "main")
	applied, err := p.API.ApplyTemplateUpdate(t.Context(), portal.TemplateUpdateRequest{Dir: p.dir})
	must(t, "ApplyTemplateUpdate", err)
	return p, bare, applied
}

func testPushTemplateUpdate(t *testing.T, s *suite) {
	p, bare, applied := s.pushedProject(t)
	ctx := t.Context()
	got, err := p.API.PushTemplateUpdate(ctx, portal.TemplateUpdatePushRequest{Dir: p.dir})
	must(t, "PushTemplateUpdate", err)
	if got.State != "pushed" || got.Branch != applied.Branch || got.RemoteBranch != "callboard/template-update/hello" ||
		got.Commit != applied.Commit || got.Title != "Update from template hello ("+p.after[:7]+")" || got.LastError != "" {
		t.Errorf("the push = %+v", got)
	}
	if head := strings.TrimSpace(gittest.Git(t, bare, "rev-parse", "callboard/template-update/hello")); head != applied.Commit {
		t.Errorf("origin's update branch = %s, want %s", head, applied.Commit)
	}
	outbox, err := p.API.Outbox(ctx)
	must(t, "Outbox", err)
	found := false
	for _, e := range outbox {
		found = found || e.Kind == "branchPush" && e.State == "pushed" && e.Branch == got.RemoteBranch && e.Message == got.Title
	}
	if !found {
		t.Errorf("Outbox = %+v, want the update's push", outbox)
	}

	// A pull request needs a forge: a folder on disk is none.
	pr, err := p.API.PushTemplateUpdate(ctx, portal.TemplateUpdatePushRequest{Dir: p.dir, Branch: applied.Branch, PullRequest: true})
	must(t, "PushTemplateUpdate with a pull request", err)
	if pr.ID != got.ID || pr.State != "failed" || !pr.PullRequest || !strings.Contains(pr.LastError, "pull request") {
		t.Errorf("a pull request on a folder = %+v, want failed saying why", pr)
	}

	for _, tc := range []struct {
		req  portal.TemplateUpdatePushRequest
		want error
	}{
		{portal.TemplateUpdatePushRequest{Dir: "relative"}, portal.ErrInvalid},
		{portal.TemplateUpdatePushRequest{Dir: t.TempDir()}, portal.ErrInvalid},
		{portal.TemplateUpdatePushRequest{Dir: p.dir, Branch: "main"}, portal.ErrInvalid},
		{portal.TemplateUpdatePushRequest{Dir: p.dir, Branch: "callboard/template-update/nope"}, portal.ErrNotFound},
	} {
		_, err := p.API.PushTemplateUpdate(ctx, tc.req)
		wantErr(t, "PushTemplateUpdate "+tc.req.Dir+" "+tc.req.Branch, err, tc.want)
	}
}

func testTemplateUpdatePushes(t *testing.T, s *suite) {
	p, _, applied := s.pushedProject(t)
	ctx := t.Context()
	none, err := p.API.TemplateUpdatePushes(ctx, "")
	must(t, "TemplateUpdatePushes before a push", err)
	lists(t, p.Fixture, "TemplateUpdatePushes", none)
	if len(none) != 0 {
		t.Errorf("TemplateUpdatePushes before a push = %+v", none)
	}
	_, err = p.API.PushTemplateUpdate(ctx, portal.TemplateUpdatePushRequest{Dir: p.dir})
	must(t, "PushTemplateUpdate", err)
	for _, dir := range []string{"", p.dir} {
		got, err := p.API.TemplateUpdatePushes(ctx, dir)
		must(t, "TemplateUpdatePushes", err)
		if len(got) != 1 || got[0].Dir != p.dir || got[0].Branch != applied.Branch || got[0].State != "pushed" || got[0].LastTry == "" {
			t.Errorf("TemplateUpdatePushes(%q) = %+v", dir, got)
		}
	}
	other, err := p.API.TemplateUpdatePushes(ctx, t.TempDir())
	must(t, "TemplateUpdatePushes of another folder", err)
	if len(other) != 0 {
		t.Errorf("TemplateUpdatePushes of another folder = %+v", other)
	}
}
