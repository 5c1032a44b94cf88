package ci

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// The Home card lists, from the cache alone, the entities the user or
// their groups own whose default branch's latest finished run failed.
func TestHomeCard(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	p, _, _ := testPlugin(t)
	cacheDir := t.TempDir()

	// payments' page fetched its runs: the latest finished on main is the
	// failed Nightly #88 (CI #142 is still running).
	req := entityRequest("", "", gh.srv.URL, cacheDir, testToken, "acme/payments")
	req.Entity.Spec["owner"] = "payments-team"
	render(t, context.Background(), p, req)

	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	cache := runCache{dir: cacheDir}
	for _, c := range []struct {
		base, owner, repo string
		v                 cachedRuns
	}{
		// A GitLab project of finance: its latest pipeline on main failed.
		{"https://gitlab.com/api/v4", "projects", "acme%2Fledger", cachedRuns{Repo: "acme/ledger", Runs: []run{
			{ID: 501, Number: 31, Name: "Pipeline", Branch: "main", Status: "completed", Conclusion: "failure", CreatedAt: day(2), URL: "https://gitlab.com/acme/ledger/-/pipelines/501"},
			{ID: 500, Number: 30, Name: "Pipeline", Branch: "main", Status: "completed", Conclusion: "success", CreatedAt: day(1)},
		}, Entity: cachedEntity{Kind: "Component", Namespace: "default", Name: "ledger", Owner: "group:finance"}}},
		// finance's green repository.
		{gh.srv.URL, "acme", "billing", cachedRuns{Repo: "acme/billing", Runs: []run{
			{ID: 9, Number: 9, Name: "CI", Branch: "main", Status: "completed", Conclusion: "success", CreatedAt: day(3)},
			{ID: 8, Number: 8, Name: "CI", Branch: "main", Status: "completed", Conclusion: "failure", CreatedAt: day(2)},
		}, Entity: cachedEntity{Kind: "Component", Namespace: "default", Name: "billing", Owner: "finance"}}},
		// Someone else's red repository.
		{gh.srv.URL, "acme", "search", cachedRuns{Repo: "acme/search", Runs: []run{
			{ID: 7, Number: 7, Name: "CI", Branch: "main", Status: "completed", Conclusion: "failure", CreatedAt: day(3)},
		}, Entity: cachedEntity{Kind: "Component", Namespace: "default", Name: "search", Owner: "group:default/search-team"}}},
	} {
		if err := cache.store(c.base, c.owner, c.repo, c.v); err != nil {
			t.Fatal(err)
		}
	}
	// What is not a cache file is passed over.
	if err := os.WriteFile(filepath.Join(cacheDir, "junk.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	gh.srv.Close() // the card asks no one

	for _, tc := range []struct {
		name string
		user *pluginv1.PageUser
		want []string
		link string // the first row's entity link
	}{
		{"one group", &pluginv1.PageUser{EntityRef: "user:default/jane", Groups: []string{"group:default/payments-team"}}, []string{
			"Entity | Repository | Run | When",
			"payments | acme/payments | Nightly #88 failure [ERROR] | 2026-03-01T03:00:20Z",
		}, "/catalog/component/default/payments?tab=ci-ci-cd"},
		{"two groups", &pluginv1.PageUser{EntityRef: "user:default/jane", Groups: []string{"group:default/payments-team", "group:default/finance"}}, []string{
			"Entity | Repository | Run | When",
			"ledger | acme/ledger | Pipeline #31 failure [ERROR] | 2026-03-02T09:00:00Z",
			"payments | acme/payments | Nightly #88 failure [ERROR] | 2026-03-01T03:00:20Z",
		}, "/catalog/component/default/ledger?tab=ci-ci-cd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			views, err := p.homeCards(context.Background(), sdk.UIRequest{Request: req.Request, User: tc.user})
			if err != nil || len(views) != 1 {
				t.Fatalf("home cards: %v, %v", views, err)
			}
			if d := cmp.Diff([][]string{tc.want}, tables(views[0])); d != "" {
				t.Errorf("card (-want +got):\n%s", d)
			}
			if u := views[0].GetBlocks()[0].GetTable().GetRows()[0].GetCells()[0].GetUrl(); u != tc.link {
				t.Errorf("entity link %q", u)
			}
		})
	}

	views, err := p.homeCards(context.Background(), sdk.UIRequest{Request: req.Request, User: &pluginv1.PageUser{EntityRef: "user:default/joe"}})
	if err != nil || len(notices(views[0])) != 1 || notices(views[0])[0] != "STATUS_OK: No failed default-branch run on what you own, among the runs last fetched." {
		t.Errorf("nothing red: %v, %v", views, err)
	}
	views, err = p.homeCards(context.Background(), sdk.UIRequest{Request: req.Request})
	if err != nil || len(notices(views[0])) != 1 {
		t.Errorf("no user: %v, %v", views, err)
	}
}

func TestOwnerRef(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"finance": "group:default/finance", "group:Finance": "group:default/finance", "user:ops/Jane": "user:ops/jane",
		"group:ops/sre": "group:ops/sre", "": "",
	} {
		if got := ownerRef(in); got != want {
			t.Errorf("ownerRef(%q) = %q, want %q", in, got, want)
		}
	}
}
