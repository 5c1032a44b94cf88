package apitest

import (
	"slices"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

func testUnregisterEntity(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	repo := gittest.New(t)
	repo.Commit("Add the catalog", map[string][]byte{
		"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./services/*.yaml]\n---\n" +
			component("app", "  owner: team-a\n", "production")),
		"services/old.yaml": []byte(component("old", "  owner: team-a\n", "production")),
	})
	repo.Commit("Register new", map[string][]byte{"services/new.yaml": []byte(component("new", "  owner: team-a\n", "production"))})
	loc, err := f.API.AddLocation(ctx, portal.NewLocation{URL: repo.Bare()})
	must(t, "AddLocation", err)
	_, err = f.API.Sync(ctx, loc.ID)
	must(t, "Sync", err)

	for ref, want := range map[string]string{"component:app": portal.UnregisterLocation, "component:new": portal.UnregisterFile, "component:old": portal.UnregisterNone} {
		got, err := f.API.UnregisterEntity(ctx, ref, true)
		must(t, "UnregisterEntity dry run", err)
		if got.Action != want || got.Done || got.LocationID != loc.ID || got.Reason == "" {
			t.Errorf("dry run of %s = %+v, want %s", ref, got, want)
		}
		lists(t, f, "UnregisterEntity", got)
	}
	_, err = f.API.UnregisterEntity(ctx, "component:old", false)
	wantErr(t, "UnregisterEntity of an entity not registered here", err, portal.ErrConflict)
	_, err = f.API.UnregisterEntity(ctx, "component:default/no such?#entity", true)
	wantErr(t, "UnregisterEntity of an unknown entity", err, portal.ErrNotFound)
	_, err = f.API.UnregisterEntity(ctx, "", true)
	wantErr(t, "UnregisterEntity of no entity", err, portal.ErrInvalid)

	got, err := f.API.UnregisterEntity(ctx, "component:new", false)
	must(t, "UnregisterEntity of a registered file", err)
	if !got.Done || got.Commit == "" {
		t.Errorf("UnregisterEntity of a registered file = %+v, want a commit", got)
	}
	_, err = f.API.GetEntity(ctx, "component:new")
	wantErr(t, "GetEntity of an unregistered entity", err, portal.ErrNotFound)
	_, err = f.API.Sync(ctx, loc.ID) // pushes the removal: a location with changes not pushed stays
	must(t, "Sync", err)
	got, err = f.API.UnregisterEntity(ctx, "component:app", false)
	must(t, "UnregisterEntity of a location's root", err)
	locs, err := f.API.ListLocations(ctx)
	must(t, "ListLocations", err)
	if !got.Done || slices.ContainsFunc(locs, func(l portal.Location) bool { return l.ID == loc.ID }) {
		t.Errorf("UnregisterEntity of a location's root = %+v; locations %+v, want %s gone", got, locs, loc.ID)
	}
}
