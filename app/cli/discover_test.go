package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gitfetch"
)

func TestLocationAddDiscover(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	org := &forgetest.Org{Login: "acme",
		Members: []*forgetest.Member{{ID: 11, Login: "ada", Name: "Ada"}},
		Teams:   []*forgetest.Team{{ID: 1, Slug: "platform", Name: "Platform", Members: []string{"ada"}}},
		Repos: []*forgetest.Repo{
			{ID: 1, Name: "payments", DefaultBranch: "main", Visibility: "private", Git: true, Topics: []string{"service"},
				Files: map[string]string{"catalog-info.yaml": validComponent}},
			{ID: 2, Name: "sandbox", DefaultBranch: "main", Visibility: "private", Topics: []string{"experimental"},
				Files: map[string]string{"catalog-info.yaml": validComponent}},
		}}
	srv := forgetest.NewGitHub(t, org)
	var out, errb syncBuffer
	env := Env{Build: buildinfo.Info{Version: "test"}, Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		Tokens: gitfetch.Tokens{ByHost: map[string]string{"CALLBOARD_GIT_TOKEN_127_0_0_1": srv.Token}}}
	code := Main(ctx, []string{"location", "add", srv.URL + "/acme", "--discover", "--forge", "github", "--teams",
		"--exclude-topic", "experimental", "--data-dir", dir}, env)
	if code != 0 || !strings.Contains(out.String(), "added location acme") {
		t.Fatalf("location add --discover = %d\n%s\n%s", code, out.String(), errb.String())
	}
	for _, ref := range []string{"component:default/payments", "group:default/platform", "user:default/ada"} {
		if r := run(ctx, nil, nil, "catalog", "get", ref, "--data-dir", dir); r.code != 0 {
			t.Errorf("catalog get %s = %d %s", ref, r.code, r.stderr)
		}
	}
	r := run(ctx, nil, nil, "location", "list", "--data-dir", dir, "--json")
	if !strings.Contains(r.stdout, `"catalogued": 1`) || !strings.Contains(r.stdout, `"id": "payments"`) {
		t.Errorf("location list = %s", r.stdout)
	}
	for _, args := range [][]string{
		{"location", "add", srv.URL + "/acme", "--discover", "--data-dir", dir},                                          // no forge named
		{"location", "add", srv.URL + "/acme", "--discover", "--forge", "github", "--path", "x.yaml", "--data-dir", dir}, // --path
		{"location", "add", srv.URL + "/acme", "--discover", "--forge", "github", "--data-dir", dir},                     // twice
	} {
		if r := run(ctx, nil, nil, args...); r.code != 2 {
			t.Errorf("%v = %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}
