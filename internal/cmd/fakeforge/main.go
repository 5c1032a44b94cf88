// Command fakeforge serves a small GitHub organisation on loopback for
// the browser e2e: sync/discover/forgetest's fake GitHub API with its
// repositories behind real git http-backend. A second organisation
// holds one repository whose main branch refuses pushes (a pre-receive
// hook, as branch protection does), for edits that become pull
// requests; a control server lists and merges those. It prints
// "fakeforge URL TOKEN REPO CONTROL" (the organisation's URL, the token
// both APIs want, the protected repository's clone URL and the control
// server's URL) and serves until interrupted. Test-only: go run
// ./internal/cmd/fakeforge.
package main

import (
	"fmt"
	"os"

	"github.com/callboard/callboard/internal/fakehost"
	"github.com/callboard/callboard/sync/discover/forgetest"
)

// component is a catalog file of one Component.
func component(name, owner string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
		"\n  description: Discovered from the fake forge\nspec:\n  type: service\n  lifecycle: production\n  owner: " + owner + "\n"
}

// org is what the e2e finds: two catalogued repositories, one without a
// catalog file and one archived.
func org() *forgetest.Org {
	return &forgetest.Org{Login: "acme", Name: "ACME",
		Members: []*forgetest.Member{{ID: 11, Login: "ada", Name: "Ada Lovelace"}},
		Repos: []*forgetest.Repo{
			{ID: 1, Name: "forge-api", DefaultBranch: "main", Visibility: "private", Git: true, UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Files: map[string]string{"catalog-info.yaml": component("forge-api", "team-a")}},
			{ID: 2, Name: "forge-web", DefaultBranch: "main", Visibility: "public", Git: true, UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Files: map[string]string{"catalog-info.yaml": component("forge-web", "team-a")}},
			{ID: 3, Name: "forge-notes", DefaultBranch: "main", Visibility: "private", UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Files: map[string]string{"README.md": "# notes\n"}},
			{ID: 4, Name: "forge-legacy", DefaultBranch: "main", Visibility: "private", Archived: true, UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Files: map[string]string{"catalog-info.yaml": component("forge-legacy", "team-a")}},
		}}
}

// reviewOrg holds the repository whose main branch is protected. It is
// an organisation of its own so that the discovery step's counts stay
// those of org; the branches API does not tell the protection (as to a
// token that may not read it), so Callboard learns it from the refused
// push.
func reviewOrg() *forgetest.Org {
	return &forgetest.Org{Login: "acme-review", Name: "ACME review",
		Repos: []*forgetest.Repo{
			{ID: 5, Name: "forge-review", DefaultBranch: "main", Visibility: "private", Git: true, UpdatedAt: forgetest.Epoch, PushedAt: forgetest.Epoch,
				Protected: []string{"main"}, Files: map[string]string{"catalog-info.yaml": component("forge-review", "team-a")}},
		}}
}

func main() {
	os.Exit(fakehost.Run("fakeforge", func(h *fakehost.Host) {
		srv := forgetest.NewGitHub(h, org())
		review := forgetest.NewGitHub(h, reviewOrg())
		if review.Token != srv.Token {
			// serve is given one token for the host 127.0.0.1.
			h.Fatalf("the two organisations want different tokens")
		}
		fmt.Printf("fakeforge %s/acme %s %s/acme-review/forge-review.git %s\n", srv.URL, srv.Token, review.URL, serveControl(h, review))
	}))
}
