package apitest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// The test organisation: small, but with what trips transports up —
// a second namespace, names with dots, dashes and underscores, a docs page
// whose name has a space, and more entities than one page of the catalog.
const (
	paymentsRef = "component:default/payments"
	// gatewayRef lives in another namespace and its name has every
	// separator a name may have.
	gatewayRef = "component:ops-team/edge.gateway_v2-beta"
	apiRef     = "api:default/payments-api"
	userRef    = "user:default/jane.doe"
	teamRef    = "group:default/team-a"
	sreRef     = "group:ops-team/sre"
	helloRef   = "template:default/hello"
	slowRef    = "template:default/slow"
	brokenRef  = "template:default/broken"
	// skeletonURL is a folder the broken template fetches by URL, from a
	// host nothing here may read from, so it is never fetched.
	skeletonURL = "https://github.com/example-org/skeletons/tree/main/go"
	// generated is how many library components many.yaml holds.
	generated = 150
	// entities is how many entities the organisation has in all.
	entities = generated + 11
	// firstSteps is a docs page whose name needs escaping in a URL.
	firstSteps = "guides/first steps.md"
)

const orgYAML = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
  title: Team A
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: sre
  namespace: ops-team
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: jane.doe
spec:
  profile:
    displayName: Jane Doe
    email: jane@example.invalid
  memberOf: [team-a]
`

// servicesYAML is services.yaml; the second commit describes payments.
func servicesYAML(description string) string {
	return `apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: checkout
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  title: Payments
  description: ` + description + `
  tags: [go, payments]
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: checkout
  providesApis: [payments-api]
  dependsOn: [component:ops-team/edge.gateway_v2-beta, resource:ledger-db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: edge.gateway_v2-beta
  namespace: ops-team
  title: Edge gateway
spec:
  type: service
  lifecycle: experimental
  owner: sre
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: payments-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  system: checkout
  definition: |
    openapi: 3.0.0
    info: {title: Payments, version: 1.0.0}
    paths: {}
`
}

func manyYAML() string {
	var b strings.Builder
	for i := range generated {
		fmt.Fprintf(&b, "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-%03d\n  description: Generated library %d\nspec:\n  type: library\n  lifecycle: production\n  owner: group:ops-team/sre\n", i, i)
	}
	return b.String()
}

func templateYAML(name, steps string) string {
	return `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ` + name + `
  title: Template ` + name + `
spec:
  owner: team-a
  type: service
  parameters:
    - title: About
      required: [name]
      properties:
        name: {title: Name, type: string}
  steps:
` + steps
}

// orgFiles is the organisation's first commit.
func orgFiles() map[string][]byte {
	files := map[string]string{
		"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: apitest-org
spec:
  targets:
    - ./org.yaml
    - ./services.yaml
    - ./many.yaml
    - ./templates/hello/template.yaml
    - ./templates/slow/template.yaml
    - ./templates/broken/template.yaml
`,
		"org.yaml":           orgYAML,
		"services.yaml":      servicesYAML("Takes card payments."),
		"many.yaml":          manyYAML(),
		"mkdocs.yml":         "site_name: Payments handbook\nnav:\n  - Home: index.md\n  - First steps: " + firstSteps + "\n",
		"docs/index.md":      "# Payments\n\nSee [the old page](old.md).\n\n## Refunds\n\nRefunds take a day.\n",
		"docs/" + firstSteps: "# First steps\n\nInstall the tools.\n",
		"templates/hello/template.yaml": templateYAML("hello", `    - id: fetch
      name: Fetch skeleton
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
    - id: log
      name: Say hello
      action: debug:log
      input:
        message: Hello ${{ parameters.name }}
  output:
    links:
      - title: Docs
        url: https://example.invalid/${{ parameters.name }}
`),
		"templates/hello/skeleton/README.md": "# ${{ values.name }}\n",
		"templates/slow/template.yaml": templateYAML("slow", `    - id: wait
      name: Wait
      action: debug:wait
      input: {minutes: 5}
`),
		"templates/broken/template.yaml": templateYAML("broken", `    - id: skeleton
      name: Fetch by URL
      action: fetch:plain
      input: {url: '`+skeletonURL+`'}
    - id: nothing
      action: nope:nothing
`),
	}
	out := map[string][]byte{}
	for name, content := range files {
		out[name] = []byte(content)
	}
	return out
}

// org is a fixture with the test organisation registered and synced.
type org struct {
	Fixture
	repo *gittest.Repo
	loc  portal.Location
}

// org opens an instance and registers and syncs the test organisation
// through the API, in two commits (so entities have a history).
func (s *suite) org(t *testing.T) *org {
	t.Helper()
	f := s.fresh(t)
	repo := gittest.New(t)
	repo.Commit("Add the organisation", orgFiles())
	repo.Commit("Describe payments", map[string][]byte{"services.yaml": []byte(servicesYAML("Takes card payments and refunds."))})
	return seed(t, f, repo)
}

// seed registers repo as a location of f and syncs it.
func seed(t *testing.T, f Fixture, repo *gittest.Repo) *org {
	t.Helper()
	ctx := t.Context()
	loc, err := f.API.AddLocation(ctx, portal.NewLocation{URL: repo.Dir})
	must(t, "add the organisation", err)
	locs, err := f.API.Sync(ctx, loc.ID)
	must(t, "sync the organisation", err)
	for _, l := range locs {
		if l.ID == loc.ID {
			loc = l
		}
	}
	if loc.Status != "ok" || loc.Entities != entities {
		t.Fatalf("the organisation synced as %+v, want status ok and %d entities", loc, entities)
	}
	f.Settle(t)
	return &org{Fixture: f, repo: repo, loc: loc}
}
