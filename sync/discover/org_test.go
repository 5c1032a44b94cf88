package discover_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/discover/forgetest"
)

func people() []*forgetest.Member {
	return []*forgetest.Member{
		{ID: 11, Login: "ada", Name: "Ada Lovelace", Email: "ada@acme.example"},
		{ID: 12, Login: "bob", Name: "Bob", VerifiedDomainEmail: "bob@acme.example"},
		{ID: 13, Login: "cy"},
	}
}

func TestOrgGitHub(t *testing.T) {
	t.Parallel()
	org := &forgetest.Org{Login: "acme", Members: people(), Teams: []*forgetest.Team{
		{ID: 1, Slug: "platform", Name: "Platform", Description: "Runs the platform", Members: []string{"ada"}},
		{ID: 2, Slug: "infra", Name: "Infra", Parent: "platform", Members: []string{"bob", "ada"}},
	}}
	// A team past the first page of members is read in pages of its own.
	big := &forgetest.Team{ID: 3, Slug: "everyone", Name: "Everyone"}
	for i := range 230 {
		login := "user-" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		org.Members = append(org.Members, &forgetest.Member{ID: int64(100 + i), Login: login})
		big.Members = append(big.Members, login)
	}
	org.Teams = append(org.Teams, big)
	f := newFixture(t, forgetest.NewGitHub, forges[0].forge, org, discover.Filters{})
	o, err := f.forge.Org(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Teams) != 3 || len(o.People) != 233 || len(o.Teams[0].Members) != 230 {
		t.Fatalf("%d teams, %d people, %d in everyone", len(o.Teams), len(o.People), len(o.Teams[0].Members))
	}
	ents := o.Entities()
	got := map[string]string{}
	for _, e := range ents[:2] {
		got[e.Metadata.Name] = mustJSON(t, e)
	}
	for _, e := range ents {
		if e.Metadata.Name == "ada" || e.Metadata.Name == "bob" {
			got[e.Metadata.Name] = mustJSON(t, e)
		}
	}
	want := map[string]string{
		"everyone": got["everyone"],
		"infra":    `{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"infra","annotations":{"github.com/team-slug":"acme/infra"}},"spec":{"type":"team","profile":{"displayName":"Infra"},"parent":"platform","children":[],"members":["ada","bob"]}}`,
		"ada":      `{"apiVersion":"backstage.io/v1alpha1","kind":"User","metadata":{"name":"ada","annotations":{"github.com/user-login":"ada"}},"spec":{"profile":{"displayName":"Ada Lovelace","email":"ada@acme.example","picture":"` + f.srv.URL + `/avatars/ada"},"memberOf":["infra","platform"]}}`,
		"bob":      `{"apiVersion":"backstage.io/v1alpha1","kind":"User","metadata":{"name":"bob","annotations":{"github.com/user-login":"bob"}},"spec":{"profile":{"displayName":"Bob","email":"bob@acme.example","picture":"` + f.srv.URL + `/avatars/bob"},"memberOf":["infra"]}}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	var platform discover.Entity
	for _, e := range ents {
		if e.Metadata.Name == "platform" {
			platform = e
		}
	}
	if spec := platform.Spec.(discover.GroupSpec); !cmp.Equal(spec.Children, []string{"infra"}) || platform.Metadata.Description != "Runs the platform" {
		t.Errorf("platform: %s", mustJSON(t, platform))
	}

	me, err := f.forge.Viewer(context.Background())
	if err != nil || me.Login != "ada" || me.ID != "11" {
		t.Errorf("viewer %+v, %v", me, err)
	}
}

func TestOrgGitLab(t *testing.T) {
	t.Parallel()
	org := &forgetest.Org{Login: "acme", Name: "ACME", Members: people(), RootMembers: []string{"cy"}, Teams: []*forgetest.Team{
		{ID: 21, Slug: "platform", Name: "Platform", Members: []string{"ada"}},
		{ID: 22, Slug: "platform/infra", Name: "Infra", Members: []string{"bob", "ada"}},
	}}
	f := newFixture(t, forgetest.NewGitLab, forges[1].forge, org, discover.Filters{})
	o, err := f.forge.Org(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	host := f.src.Host
	got := map[string]string{}
	for _, e := range o.Entities() {
		got[e.Kind+":"+e.Metadata.Name] = mustJSON(t, e)
	}
	want := map[string]string{
		"Group:acme":           `{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"acme","annotations":{"` + host + `/team-path":"acme"}},"spec":{"type":"team","profile":{"displayName":"ACME"},"children":["platform"],"members":["cy"]}}`,
		"Group:platform":       `{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"platform","annotations":{"` + host + `/team-path":"acme/platform"}},"spec":{"type":"team","profile":{"displayName":"Platform"},"parent":"acme","children":["platform-infra"],"members":["ada"]}}`,
		"Group:platform-infra": `{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"platform-infra","annotations":{"` + host + `/team-path":"acme/platform/infra"}},"spec":{"type":"team","profile":{"displayName":"Infra"},"parent":"platform","children":[],"members":["ada","bob"]}}`,
		"User:ada":             `{"apiVersion":"backstage.io/v1alpha1","kind":"User","metadata":{"name":"ada","annotations":{"` + host + `/user-id":"11","` + host + `/user-login":"` + f.srv.URL + `/ada"}},"spec":{"profile":{"displayName":"Ada Lovelace","picture":"` + f.srv.URL + `/uploads/ada.png"},"memberOf":["platform","platform-infra"]}}`,
		"User:bob":             got["User:bob"],
		"User:cy":              got["User:cy"],
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	me, err := f.forge.Viewer(context.Background())
	if err != nil || me.Login != "ada" || me.ID != "11" || me.Email != "ada@acme.example" {
		t.Errorf("viewer %+v, %v", me, err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
