package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// testRules match locations by URL and branch and name new ones after the
// URL's last segment.
var testRules = DerivedRules{
	Holds: func(l Location, url, branch string) bool { return l.URL == url && l.Branch == branch },
	NewID: func(url string, taken map[string]bool) string {
		base := strings.TrimSuffix(url[strings.LastIndex(url, "/")+1:], ".git")
		id := base
		for n := 2; taken[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		return id
	},
}

func target(entity, url string, roots ...string) DerivedTarget {
	return DerivedTarget{URL: url, Branch: "main", Entity: entity, Roots: roots, At: catalog.Error{File: "catalog-info.yaml", Line: 7, Field: "spec.targets.0"}}
}

// graph is every location as "id[derived] <- parent:entity roots…".
func graph(t *testing.T, db *DB) []string {
	t.Helper()
	locs, err := db.Locations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range locs {
		s := l.ID
		if l.Derived {
			s += "[derived]"
		}
		for _, p := range l.Parents {
			s += " <- " + p.ID + ":" + p.Entity + " " + strings.Join(p.Roots, ",")
		}
		out = append(out, s)
	}
	return out
}

func TestSetDerived(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backends(t, func(t *testing.T, db *DB) {
		if err := db.PutLocation(ctx, Location{ID: "root", URL: "https://git.example/org/root.git", Branch: "main", Path: "catalog-info.yaml"}); err != nil {
			t.Fatal(err)
		}
		// Two Location entities name three repositories; two targets of one
		// repository share its location.
		change, err := db.SetDerived(ctx, "root", []DerivedTarget{
			target("location:default/a", "https://git.example/org/svc.git", "catalog-info.yaml"),
			target("location:default/b", "https://git.example/org/svc.git", "more/*.yaml"),
			target("location:default/b", "https://git.example/org/web.git", "catalog-info.yaml"),
		}, nil, testRules)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(DerivedChange{Added: []string{"svc", "web"}}, change); diff != "" {
			t.Errorf("change (-want +got):\n%s", diff)
		}
		want := []string{
			"root",
			"svc[derived] <- root:location:default/a catalog-info.yaml <- root:location:default/b more/*.yaml",
			"web[derived] <- root:location:default/b catalog-info.yaml",
		}
		if diff := cmp.Diff(want, graph(t, db)); diff != "" {
			t.Errorf("locations (-want +got):\n%s", diff)
		}
		svc, _, _ := db.Location(ctx, "svc")
		if got := svc.Roots(); !slices.Equal(got, []string{"catalog-info.yaml", "more/*.yaml"}) {
			t.Errorf("roots of svc = %v", got)
		}
		if root, _, _ := db.Location(ctx, "root"); !slices.Equal(root.Listing, []string{"svc", "web"}) {
			t.Errorf("root lists %v; want svc and web", root.Listing)
		}

		// web lists svc and a new repository; svc lists root: a loop.
		if _, err := db.SetDerived(ctx, "web", []DerivedTarget{
			target("location:default/web", "https://git.example/org/svc.git", "web-listed.yaml"),
			target("location:default/web", "https://git.example/org/lib.git", "catalog-info.yaml"),
		}, nil, testRules); err != nil {
			t.Fatal(err)
		}
		change, err = db.SetDerived(ctx, "svc", []DerivedTarget{target("location:default/back", "https://git.example/org/root.git", "catalog-info.yaml")}, nil, testRules)
		if err != nil {
			t.Fatal(err)
		}
		if len(change.Refused) != 1 || !strings.Contains(change.Refused[0].Message, "location root, which this location is read for (root → svc → root), so it would loop") ||
			change.Refused[0].Line != 7 || change.Refused[0].Entity != "location:default/back" {
			t.Errorf("refused = %+v", change.Refused)
		}
		if svc, _, _ := db.Location(ctx, "svc"); len(svc.Refused) != 1 {
			t.Errorf("svc does not say what it refused: %+v", svc.Refused)
		}

		// root's entity b is refused now (kept at its last good version):
		// its targets stay; a's target is gone.
		change, err = db.SetDerived(ctx, "root", nil, []string{"location:default/b"}, testRules)
		if err != nil {
			t.Fatal(err)
		}
		if len(change.Removed) != 0 {
			t.Errorf("removed %v while b is kept", change.Removed)
		}
		want = []string{
			"lib[derived] <- web:location:default/web catalog-info.yaml",
			"root",
			"svc[derived] <- root:location:default/b more/*.yaml <- web:location:default/web web-listed.yaml",
			"web[derived] <- root:location:default/b catalog-info.yaml",
		}
		if diff := cmp.Diff(want, graph(t, db)); diff != "" {
			t.Errorf("locations (-want +got):\n%s", diff)
		}

		// Stored entities go with their location; a location with commits
		// waiting in its outbox stays until they are pushed.
		if err := db.ReplaceLocation(ctx, "lib", Snapshot{Commit: "c1", Entities: []catalog.Processed{entity("Group", "lib-team", nil)}}, t0); err != nil {
			t.Fatal(err)
		}
		if err := db.PutOutbox(ctx, OutboxEntry{ID: "svc/1", LocationID: "svc", State: StatePending}); err != nil {
			t.Fatal(err)
		}
		change, err = db.SetDerived(ctx, "root", nil, nil, testRules)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"web", "lib"}, change.Removed); diff != "" {
			t.Errorf("removed (-want +got):\n%s", diff)
		}
		want = []string{"root", "svc[derived]"}
		if diff := cmp.Diff(want, graph(t, db)); diff != "" {
			t.Errorf("locations (-want +got):\n%s", diff)
		}
		if got := refs(t, db); len(got) != 0 {
			t.Errorf("entities of removed locations remain: %v", got)
		}
		if removed, err := db.PruneDerived(ctx); err != nil || len(removed) != 0 {
			t.Errorf("PruneDerived with commits waiting = %v, %v", removed, err)
		}
		if err := db.DeleteOutbox(ctx, "svc/1"); err != nil {
			t.Fatal(err)
		}
		if removed, err := db.PruneDerived(ctx); err != nil || !slices.Equal(removed, []string{"svc"}) {
			t.Errorf("PruneDerived = %v, %v; want svc", removed, err)
		}
	})
}

// A location the user added holds its repository for others' targets too,
// and stays when none lists it.
func TestSetDerivedUsesTheUsersLocation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backends(t, func(t *testing.T, db *DB) {
		for _, l := range []Location{{ID: "root", URL: "https://git.example/org/root.git", Path: "catalog-info.yaml"},
			{ID: "svc", URL: "https://git.example/org/svc.git", Branch: "main", Path: "catalog-info.yaml"}} {
			if err := db.PutLocation(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		change, err := db.SetDerived(ctx, "root", []DerivedTarget{target("location:default/a", "https://git.example/org/svc.git", "catalog-info.yaml", "extra.yaml")}, nil, testRules)
		if err != nil || len(change.Added) != 0 {
			t.Fatalf("change = %+v, %v", change, err)
		}
		svc, _, _ := db.Location(ctx, "svc")
		if got := svc.Roots(); !slices.Equal(got, []string{"catalog-info.yaml", "extra.yaml"}) || !slices.Equal(svc.ListedBy(), []string{"root"}) {
			t.Errorf("roots %v, listed by %v", got, svc.ListedBy())
		}
		if change, err := db.SetDerived(ctx, "root", nil, nil, testRules); err != nil || len(change.Removed) != 0 {
			t.Errorf("change = %+v, %v; the user's location stays", change, err)
		}
		if diff := cmp.Diff([]string{"root", "svc"}, graph(t, db)); diff != "" {
			t.Errorf("locations (-want +got):\n%s", diff)
		}
	})
}
