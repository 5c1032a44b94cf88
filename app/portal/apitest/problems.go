package apitest

import (
	"fmt"
	"path/filepath"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// problemFiles is a catalog with one file of each kind of trouble beside
// a good one: broken.yaml does not parse, no-owner lacks spec.owner, and
// kept.yaml is good here and refused in the next commit.
func problemFiles(keptLifecycle string) map[string][]byte {
	return map[string][]byte{
		"catalog-info.yaml": []byte(`apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: problems
spec:
  targets: [./org.yaml, ./good.yaml, ./broken.yaml, ./no-owner.yaml, ./kept.yaml]
`),
		"org.yaml":      []byte(orgYAML),
		"good.yaml":     []byte(component("good", "  owner: team-a\n", "production")),
		"broken.yaml":   []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [broken\n"),
		"no-owner.yaml": []byte(component("no-owner", "", "production")),
		"kept.yaml":     []byte(component("kept", "  owner: team-a\n", keptLifecycle)),
	}
}

func component(name, owner, lifecycle string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\nspec:\n  type: service\n  lifecycle: " +
		lifecycle + "\n" + owner
}

// problemKey is what a problem is, without the where and when the test
// checks on its own.
type problemKey struct{ Kind, File, Field, Entity, EntityKind, Owner, Commit string }

func keysOf(items []portal.Problem) []problemKey {
	out := []problemKey{}
	for _, p := range items {
		out = append(out, problemKey{p.Kind, p.File, p.Field, p.Entity, p.EntityKind, p.Owner, p.Commit})
	}
	return out
}

func testProblems(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	repo := gittest.New(t)
	first := repo.Commit("Add the catalog", problemFiles("production"))
	loc, err := f.API.AddLocation(ctx, portal.NewLocation{URL: repo.Dir})
	must(t, "AddLocation", err)
	_, err = f.API.Sync(ctx, loc.ID)
	must(t, "Sync", err)
	second := repo.Commit("Break kept", map[string][]byte{"kept.yaml": []byte(component("kept", "  owner: team-a\n", "[production]"))})
	_, err = f.API.Sync(ctx, loc.ID)
	must(t, "Sync", err)

	broken := problemKey{Kind: portal.ProblemFileRefused, File: "broken.yaml", Commit: first}
	noOwner := problemKey{Kind: portal.ProblemEntityRefused, File: "no-owner.yaml", Field: "spec.owner", Entity: "component:default/no-owner",
		EntityKind: "component", Commit: first}
	kept := problemKey{Kind: portal.ProblemEntityKept, File: "kept.yaml", Field: "spec.lifecycle", Entity: "component:default/kept",
		EntityKind: "Component", Owner: teamRef, Commit: second}
	all, err := f.API.Problems(ctx, portal.ProblemQuery{})
	must(t, "Problems", err)
	if diff := gocmp.Diff([]problemKey{broken, kept, noOwner}, keysOf(all.Items)); diff != "" || all.Total != 3 {
		t.Errorf("problems (-want +got):\n%s\ntotal %d", diff, all.Total)
	}
	lists(t, f, "Problems", all)
	for _, p := range all.Items {
		if p.LocationID != loc.ID || p.LocationURL != repo.Dir || p.Line == 0 || p.Message == "" || p.Author != "Test Author" ||
			p.CommittedAt == "" || p.Since != p.CommittedAt || p.LocalFile != filepath.Join(repo.Dir, p.File) {
			t.Errorf("problem %+v: want its location, line, message, commit, author and local file", p)
		}
	}

	me := userRef
	_, err = f.API.PatchSettings(ctx, portal.SettingsPatch{UserRef: &me})
	must(t, "set who the user is", err)
	for _, tt := range []struct {
		name  string
		query portal.ProblemQuery
		want  []problemKey
		total int
	}{
		{"owned by me", portal.ProblemQuery{Owner: "me"}, []problemKey{kept}, 1},
		{"owned by a group", portal.ProblemQuery{Owner: "team-a"}, []problemKey{kept}, 1},
		{"owned by nobody's group", portal.ProblemQuery{Owner: "group:default/nobody"}, []problemKey{}, 0},
		{"of one kind", portal.ProblemQuery{Kind: portal.ProblemFileRefused}, []problemKey{broken}, 1},
		{"of an entity kind", portal.ProblemQuery{EntityKind: "COMPONENT"}, []problemKey{kept, noOwner}, 2},
		{"by text", portal.ProblemQuery{Text: "SPEC.OWNER"}, []problemKey{noOwner}, 1},
		{"of the location", portal.ProblemQuery{Location: loc.ID, Limit: 1, Offset: 1}, []problemKey{kept}, 3},
		{"past the end", portal.ProblemQuery{Offset: 10}, []problemKey{}, 3},
		{"of a location without any", portal.ProblemQuery{Location: portal.DemoLocationID}, []problemKey{}, 0},
	} {
		got, err := f.API.Problems(ctx, tt.query)
		must(t, "Problems "+tt.name, err)
		if diff := gocmp.Diff(tt.want, keysOf(got.Items)); diff != "" || got.Total != tt.total {
			t.Errorf("problems %s (-want +got):\n%s\ntotal %d, want %d", tt.name, diff, got.Total, tt.total)
		}
		lists(t, f, "Problems "+tt.name, got)
	}

	// A fixed file is no problem after the next sync.
	repo.Commit("Fix broken", map[string][]byte{"broken.yaml": []byte(component("broken", "  owner: team-a\n", "production"))})
	_, err = f.API.Sync(ctx, loc.ID)
	must(t, "Sync", err)
	fixed, err := f.API.Problems(ctx, portal.ProblemQuery{})
	must(t, "Problems", err)
	if diff := gocmp.Diff([]problemKey{kept, noOwner}, keysOf(fixed.Items)); diff != "" {
		t.Errorf("problems after the fix (-want +got):\n%s", diff)
	}

	for _, q := range []portal.ProblemQuery{{Offset: -1}, {Limit: -1}, {Owner: "group:"}} {
		_, err := f.API.Problems(ctx, q)
		wantErr(t, fmt.Sprintf("Problems(%+v)", q), err, portal.ErrInvalid)
	}
	for _, id := range notFoundIDs {
		_, err := f.API.Problems(ctx, portal.ProblemQuery{Location: id})
		wantErr(t, fmt.Sprintf("Problems of location %.40q", id), err, portal.ErrNotFound)
	}
}
