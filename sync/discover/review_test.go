package discover_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/remote"
)

func reviewServer(t *testing.T, serve func(testing.TB, *forgetest.Org, ...forgetest.Option) *forgetest.Server, kind remote.Forge) (*forgetest.Server, *discover.Reviews, *[]string) {
	t.Helper()
	org := &forgetest.Org{Login: "acme", Repos: []*forgetest.Repo{{ID: 1, Name: "svc", DefaultBranch: "main", Git: true,
		Files: map[string]string{"catalog-info.yaml": "kind: Component\n"}, Protected: []string{"main"}, ShowProtection: true}}}
	srv := serve(t, org, forgetest.WithScopes("repo", "api"))
	var hosts []string
	rv, err := discover.NewReviews(srv.URL+"/acme/svc.git", kind, discover.Options{Token: func(_ context.Context, host string) (string, error) {
		hosts = append(hosts, host)
		return srv.Token, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return srv, rv, &hosts
}

// A pull request is found by its branch before it is opened (a crash
// between opening and recording must not open a second), and followed
// through review, closing, reopening and merging.
func TestReviewsFollowAPullRequest(t *testing.T) {
	t.Parallel()
	for _, fg := range forges[:2] {
		t.Run(fg.name, func(t *testing.T) {
			t.Parallel()
			followAPullRequest(t, fg.serve, fg.forge)
		})
	}
}

func followAPullRequest(t *testing.T, serve func(testing.TB, *forgetest.Org, ...forgetest.Option) *forgetest.Server, kind remote.Forge) {
	ctx := context.Background()
	srv, rv, hosts := reviewServer(t, serve, kind)
	bare := srv.GitDir() + "/acme/svc.git"
	gittest.Git(t, bare, "branch", "callboard/edit/svc-1", "main")

	if p, known, err := rv.Protected(ctx, "main"); err != nil || !known || !p {
		t.Errorf("Protected(main) = %v, %v, %v; want protected", p, known, err)
	}
	// GitHub answers 404 for a branch it has not (not known); GitLab
	// lists the protected ones (known: not protected).
	if p, known, err := rv.Protected(ctx, "nope"); err != nil || known != (kind == remote.GitLab) || p {
		t.Errorf("Protected(nope) = %v, %v, %v", p, known, err)
	}
	if pr, err := rv.FindOpen(ctx, "callboard/edit/svc-1"); err != nil || pr != nil {
		t.Fatalf("FindOpen before opening = %+v, %v", pr, err)
	}
	opened, err := rv.Open(ctx, discover.NewPR{Head: "callboard/edit/svc-1", Base: "main", Title: "Edit svc", Body: "why"})
	if err != nil || opened.Number != 1 || opened.State != discover.PROpen || !strings.Contains(opened.URL, "/acme/svc/") || len(opened.Head) != 40 {
		t.Fatalf("Open = %+v, %v", opened, err)
	}
	if pr, err := rv.FindOpen(ctx, "callboard/edit/svc-1"); err != nil || pr == nil || *pr != opened {
		t.Fatalf("FindOpen after opening = %+v, %v; want %+v", pr, err, opened)
	}
	if _, err := rv.Open(ctx, discover.NewPR{Head: "callboard/edit/svc-1", Base: "main", Title: "Edit svc"}); err == nil {
		t.Error("a second pull request from the same branch was opened")
	}
	steps := []struct {
		name string
		do   func()
		want string
	}{
		{"changes requested", func() { srv.SetPullRequest(1, func(p *forgetest.PullRequest) { p.ChangesRequested = true }) }, discover.PRChangesRequested},
		{"closed", func() { srv.SetPullRequest(1, func(p *forgetest.PullRequest) { p.State = "closed" }) }, discover.PRClosed},
		{"reopened", func() {
			if pr, err := rv.Reopen(ctx, 1); err != nil || pr.State == discover.PRClosed {
				t.Errorf("Reopen = %+v, %v", pr, err)
			}
		}, discover.PRChangesRequested},
		{"merged", func() { srv.Merge(t, 1) }, discover.PRMerged},
	}
	for _, st := range steps {
		st.do()
		if pr, err := rv.Get(ctx, 1); err != nil || pr.State != st.want {
			t.Errorf("%s: Get = %+v, %v; want state %s", st.name, pr, err, st.want)
		}
	}
	if _, err := rv.Get(ctx, 7); err == nil {
		t.Error("Get of a pull request that does not exist succeeded")
	}
	for _, h := range *hosts {
		if h != strings.TrimPrefix(srv.URL, "http://") {
			t.Errorf("a token was asked for %s", h)
		}
	}
}

// Only repositories on a forge with a pull request API, named or known by
// host, over https (http on loopback), get Reviews.
func TestNewReviewsRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url   string
		forge remote.Forge
		ok    bool
	}{
		{"https://github.com/acme/svc.git", "", true},
		{"https://gitlab.com/group/sub/svc.git", "", true},
		{"https://codeberg.org/acme/svc", "", true},
		{"https://git.example.com/acme/svc.git", remote.Gitea, true},
		{"http://127.0.0.1:3000/acme/svc.git", remote.GitHub, true},
		{"https://git.example.com/acme/svc.git", "", false},
		{"http://git.example.com/acme/svc.git", remote.GitHub, false},
		{"https://github.com/acme/team/svc.git", "", false},
		{"https://bitbucket.org/acme/svc.git", "", false},
		{"https://user:pw@github.com/acme/svc.git", "", false},
		{"/srv/git/svc.git", remote.GitHub, false},
		{"git@github.com:acme/svc.git", "", true},
		{"ssh://git@gitlab.com:2222/group/svc.git", "", true},
		{"ssh://git.example.com/acme/svc.git", remote.Gitea, true},
		{"git@git.example.com:acme/svc.git", "", false},
	} {
		_, err := discover.NewReviews(tc.url, tc.forge, discover.Options{})
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, discover.ErrNoForge) {
			t.Errorf("NewReviews(%s, %q) = %v; want ok %v", tc.url, tc.forge, err, tc.ok)
		}
	}
}
