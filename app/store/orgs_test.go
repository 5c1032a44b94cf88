package store

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOrgListing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backends(t, func(t *testing.T, db *DB) {
		src := json.RawMessage(`{"forge":"github","host":"github.com","owner":"acme"}`)
		if err := db.PutLocation(ctx, Location{ID: "acme", URL: "https://github.com/acme", Org: &Org{Source: src, Teams: true}}); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := db.OrgListing(ctx, "acme"); err != nil || ok {
			t.Fatalf("OrgListing before any listing = %v, %v; want none", ok, err)
		}
		at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		listing := OrgListing{State: json.RawMessage(`{"version":1}`), Repos: []OrgRepo{
			{ID: "github.com/R_1", FullName: "acme/api", URL: "https://github.com/acme/api.git", Files: []string{"catalog-info.yaml"}, LastSeen: at},
			{ID: "github.com/R_2", FullName: "acme/old", URL: "https://github.com/acme/old.git", Skipped: "archived", Archived: true, LastSeen: at},
		}}
		// The summary cannot change what is discovered.
		if err := db.PutOrgListing(ctx, "acme", listing, Org{Source: json.RawMessage(`{}`), ListedAt: at, Repos: 2, Catalogued: 1}); err != nil {
			t.Fatal(err)
		}
		got, ok, err := db.OrgListing(ctx, "acme")
		if err != nil || !ok {
			t.Fatalf("OrgListing = %v, %v", ok, err)
		}
		if diff := cmp.Diff(listing, got); diff != "" {
			t.Errorf("listing (-want +got):\n%s", diff)
		}
		loc, _, err := db.Location(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&Org{Source: src, Teams: true, ListedAt: at, Repos: 2, Catalogued: 1}, loc.Org); diff != "" {
			t.Errorf("summary (-want +got):\n%s", diff)
		}

		filtered := json.RawMessage(`{"forge":"github","host":"github.com","owner":"acme","filters":{"repository":"api"}}`)
		if err := db.SetOrgSource(ctx, "acme", filtered, false); err != nil {
			t.Fatal(err)
		}
		loc, _, _ = db.Location(ctx, "acme")
		if string(loc.Org.Source) != string(filtered) || loc.Org.Teams || loc.Org.Repos != 2 {
			t.Errorf("after SetOrgSource: %+v", loc.Org)
		}

		if err := db.PutLocation(ctx, Location{ID: "plain", URL: "https://github.com/acme/x.git"}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutOrgListing(ctx, "plain", listing, Org{}); !errors.Is(err, ErrNotOrg) {
			t.Errorf("PutOrgListing on a plain location = %v, want ErrNotOrg", err)
		}
		if err := db.SetOrgSource(ctx, "gone", src, false); !errors.Is(err, ErrNotOrg) {
			t.Errorf("SetOrgSource on no location = %v, want ErrNotOrg", err)
		}

		if err := db.RemoveLocation(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := db.OrgListing(ctx, "acme"); err != nil || ok {
			t.Errorf("OrgListing after removal = %v, %v; want none", ok, err)
		}
	})
}

// A repository filed under its forge id keeps its derived location when
// it is renamed or moved: the location's URL follows it.
func TestSetDerivedFollowsRepoID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backends(t, func(t *testing.T, db *DB) {
		if err := db.PutLocation(ctx, Location{ID: "acme", URL: "https://github.com/acme", Org: &Org{}}); err != nil {
			t.Fatal(err)
		}
		set := func(url string) DerivedChange {
			t.Helper()
			tg := DerivedTarget{URL: url, RepoID: "github.com/R_1", Entity: "org:acme", Roots: []string{"catalog-info.yaml"}}
			change, err := db.SetDerived(ctx, "acme", []DerivedTarget{tg}, nil, testRules)
			if err != nil {
				t.Fatal(err)
			}
			return change
		}
		if diff := cmp.Diff(DerivedChange{Added: []string{"api"}}, set("https://github.com/acme/api.git")); diff != "" {
			t.Errorf("first listing (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(DerivedChange{}, set("https://github.com/acme/gateway.git")); diff != "" {
			t.Errorf("after the rename (-want +got):\n%s", diff)
		}
		loc, ok, err := db.Location(ctx, "api")
		if err != nil || !ok {
			t.Fatalf("the renamed repository's location = %v, %v", ok, err)
		}
		if loc.URL != "https://github.com/acme/gateway.git" || loc.RepoID != "github.com/R_1" || !loc.Derived {
			t.Errorf("renamed location = %+v", loc)
		}
		change, err := db.SetDerived(ctx, "acme", nil, nil, testRules)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(DerivedChange{Removed: []string{"api"}}, change); diff != "" {
			t.Errorf("after the repository left (-want +got):\n%s", diff)
		}
	})
}
