package portal_test

import (
	"path/filepath"
	"strings"
	"testing"

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
