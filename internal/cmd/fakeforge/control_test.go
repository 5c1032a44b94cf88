package main

import (
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/internal/fakehost"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gittest"
)

// TestReviewRepoAndMerge walks what the e2e does to the protected
// repository: main refuses the push, an edit branch is taken and a pull
// request opened on it, and the control server merges it for real.
func TestReviewRepoAndMerge(t *testing.T) {
	srv := forgetest.NewGitHub(t, reviewOrg())
	h := fakehost.New("fakeforge")
	t.Cleanup(h.Close)
	ctl := serveControl(h, srv)

	work := filepath.Join(t.TempDir(), "work")
	gittest.Git(t, filepath.Dir(work), "clone", "-q", srv.URL+"/acme-review/forge-review.git", work)
	gittest.Git(t, work, "-c", "user.name=e2e", "-c", "user.email=e2e@callboard.invalid", "commit", "-q", "--allow-empty", "-m", "edit")
	if out, err := exec.Command("git", "-C", work, "push", "origin", "main").CombinedOutput(); err == nil || !strings.Contains(string(out), "pre-receive hook declined") {
		t.Fatalf("push to the protected main: %v\n%s", err, out)
	}
	gittest.Git(t, work, "push", "-q", "origin", "HEAD:refs/heads/callboard/edit/e2e")
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v3/repos/acme-review/forge-review/pulls",
		strings.NewReader(`{"title":"Edit","head":"callboard/edit/e2e","base":"main"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("open a pull request: HTTP %d", resp.StatusCode)
	}

	for _, tc := range []struct {
		number string
		want   int
	}{
		{"x", http.StatusNotFound},
		{"2", http.StatusNotFound},
		{"1", http.StatusOK},
		{"1", http.StatusConflict}, // merged already
	} {
		resp, err := http.Post(ctl+"/merge?number="+tc.number, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("merge %s: HTTP %d, want %d", tc.number, resp.StatusCode, tc.want)
		}
	}
	if got := srv.PullRequests()[0].State; got != "merged" {
		t.Errorf("pull request state %q, want merged", got)
	}
	bare := filepath.Join(srv.GitDir(), "acme-review", "forge-review.git")
	edit := gittest.Git(t, bare, "rev-parse", "callboard/edit/e2e")
	if parents := strings.Fields(gittest.Git(t, bare, "log", "-1", "--format=%P", "main")); len(parents) != 2 || parents[1] != strings.TrimSpace(edit) {
		t.Errorf("main's parents are %v, want the old main and the edit %s", parents, edit)
	}
}
