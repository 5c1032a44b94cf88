package apitest

import (
	"fmt"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
)

// orgURL is an organisation on a loopback forge nothing answers on: the
// cases register and change organisations, which asks nothing of the
// forge (the syncer's tests list real fake forges).
const orgURL = "http://127.0.0.1:9/acme"

// addOrg registers orgURL as a GitHub organisation with filters.
func addOrg(t *testing.T, f Fixture) portal.Location {
	t.Helper()
	loc, err := f.API.AddLocation(t.Context(), portal.NewLocation{URL: orgURL, Discover: &portal.Discovery{Forge: "github",
		CatalogPath: ".backstage/*.yaml", Repository: "svc-.*", TopicsExclude: []string{"experimental"}, Teams: true}})
	must(t, "AddLocation of an organisation", err)
	return loc
}

func testOrgAdd(t *testing.T, f Fixture) {
	ctx := t.Context()
	loc := addOrg(t, f)
	want := &portal.OrgSummary{Forge: "github", Host: "127.0.0.1:9", Owner: "acme", Discovery: portal.Discovery{Forge: "github",
		CatalogPath: ".backstage/*.yaml", Repository: "svc-.*", TopicsExclude: []string{"experimental"}, Teams: true}}
	if loc.ID != "acme" || loc.URL != orgURL || loc.Status != "pending" {
		t.Errorf("the organisation's location = %+v", loc)
	}
	if diff := gocmp.Diff(want, loc.Org); diff != "" {
		t.Errorf("the organisation's summary (-want +got):\n%s", diff)
	}
	_, err := f.API.AddLocation(ctx, portal.NewLocation{URL: orgURL + "/", Discover: &portal.Discovery{Forge: "github"}})
	wantErr(t, "AddLocation of an organisation already discovered", err, portal.ErrConflict)
	for _, d := range []struct {
		url string
		d   portal.Discovery
	}{
		{orgURL, portal.Discovery{}},                                       // an unknown host names its forge
		{orgURL, portal.Discovery{Forge: "bitbucket"}},                     // not built
		{"http://git.example/acme", portal.Discovery{Forge: "github"}},     // http off loopback
		{"https://github.com/acme/repo", portal.Discovery{}},               // a repository, not an org
		{orgURL, portal.Discovery{Forge: "github", Repository: "("}},       // a broken pattern
		{orgURL, portal.Discovery{Forge: "github", CatalogPath: "**/x.y"}}, // a glob Callboard does not read
	} {
		_, err := f.API.AddLocation(ctx, portal.NewLocation{URL: d.url, Discover: &d.d})
		wantErr(t, fmt.Sprintf("AddLocation(%s, %+v)", d.url, d.d), err, portal.ErrInvalid)
	}
}

func testOrgRepos(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	testOrgAdd(t, f)
	repos, err := f.API.OrgRepos(ctx, "acme")
	must(t, "OrgRepos", err)
	if len(repos) != 0 {
		t.Errorf("repositories before any listing = %+v", repos)
	}
	lists(t, f, "OrgRepos", repos)
	// An organisation has no clone: file calls on it refuse, saying so.
	_, err = f.API.ReadFile(ctx, "acme", "catalog-info.yaml")
	wantErr(t, "ReadFile of an organisation", err, portal.ErrInvalid)
	_, err = f.API.WriteFile(ctx, portal.FileWrite{LocationID: "acme", Path: "catalog-info.yaml", Content: "x: 1\n", Message: "add"})
	wantErr(t, "WriteFile to an organisation", err, portal.ErrInvalid)
	if err == nil || !strings.Contains(err.Error(), "has no repository of its own") {
		t.Errorf("WriteFile to an organisation = %v, want it to say an organisation has no repository", err)
	}
	_, err = f.API.OrgRepos(ctx, portal.DemoLocationID)
	wantErr(t, "OrgRepos of a repository's location", err, portal.ErrInvalid)
	for _, id := range notFoundIDs {
		_, err := f.API.OrgRepos(ctx, id)
		wantErr(t, fmt.Sprintf("OrgRepos(%.20q)", id), err, portal.ErrNotFound)
	}
}

func testUpdateOrg(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	addOrg(t, f)
	// The forge cannot change: the one given is ignored.
	loc, err := f.API.UpdateOrg(ctx, "acme", portal.Discovery{Forge: "gitlab", Branch: "release", Visibility: []string{"public"}, IncludeArchived: true})
	must(t, "UpdateOrg", err)
	want := portal.Discovery{Forge: "github", Branch: "release", Visibility: []string{"public"}, IncludeArchived: true}
	if loc.Org == nil || gocmp.Diff(want, loc.Org.Discovery) != "" {
		t.Errorf("UpdateOrg = %+v, want discovery %+v", loc.Org, want)
	}
	locs, err := f.API.ListLocations(ctx)
	must(t, "ListLocations", err)
	if got := locationOf(t, locs, "acme"); got.Org == nil || gocmp.Diff(want, got.Org.Discovery) != "" {
		t.Errorf("listed after UpdateOrg = %+v", got.Org)
	}
	_, err = f.API.UpdateOrg(ctx, "acme", portal.Discovery{Repository: "(["})
	wantErr(t, "UpdateOrg with a broken pattern", err, portal.ErrInvalid)
	_, err = f.API.UpdateOrg(ctx, portal.DemoLocationID, portal.Discovery{})
	wantErr(t, "UpdateOrg of a repository's location", err, portal.ErrInvalid)
	for _, id := range notFoundIDs {
		_, err := f.API.UpdateOrg(ctx, id, portal.Discovery{})
		wantErr(t, fmt.Sprintf("UpdateOrg(%.20q)", id), err, portal.ErrNotFound)
	}
}
