// Command fakeforge serves a small GitHub organisation on loopback for
// the browser e2e: sync/discover/forgetest's fake GitHub API with its
// repositories behind real git http-backend. It prints
// "fakeforge URL TOKEN" (the organisation's URL and the token its API
// wants) and serves until interrupted. Test-only: go run
// ./internal/cmd/fakeforge.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h := newHost()
	code := 0
	func() {
		defer func() {
			if p := recover(); p != nil {
				if _, failed := p.(hostFailed); !failed {
					panic(p)
				}
				code = 1
			}
		}()
		srv := forgetest.NewGitHub(h, org())
		fmt.Printf("fakeforge %s/acme %s\n", srv.URL, srv.Token)
		<-ctx.Done()
	}()
	h.close()
	os.Exit(code)
}
