package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// document is an entity read from its JSON document, as the catalog
// stores it.
func document(t testing.TB, file, doc string) catalog.Processed {
	t.Helper()
	var e catalog.Entity
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		t.Fatal(err)
	}
	return catalog.Processed{Entity: e, Source: catalog.Source{File: file, Line: 1}}
}

func TestRows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		kept bool
		want Row
	}{
		{"a component", `{"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
			"metadata": {"name": "payments", "namespace": "default", "title": "Payments", "description": "Takes the money", "tags": ["go", "pci"],
				"annotations": {"jira/project-key": "PAY", "github.com/project-slug": "acme/payments", "backstage.io/techdocs-ref": "dir:.", "other": "not searched"}},
			"spec": {"type": "service", "lifecycle": "production", "owner": "team-a", "system": "checkout"}}`, false,
			Row{Ref: "component:default/payments", Kind: "Component", Namespace: "default", Name: "payments", Title: "Payments", Description: "Takes the money",
				Owner: "group:default/team-a", Type: "service", Lifecycle: "production", System: "system:default/checkout", Tags: []string{"go", "pci"},
				Extra: "acme/payments PAY", Docs: "dir:.", LocationID: "a", File: "a.yaml"}},
		{"refs resolve in the entity's namespace, unless they name theirs", `{"apiVersion": "backstage.io/v1alpha1", "kind": "API",
			"metadata": {"name": "ledger", "namespace": "ops"}, "spec": {"type": "openapi", "owner": "user:alice", "system": "finance/books"}}`, false,
			Row{Ref: "api:ops/ledger", Kind: "API", Namespace: "ops", Name: "ledger", Owner: "user:ops/alice", Type: "openapi", System: "system:finance/books",
				LocationID: "a", File: "a.yaml"}},
		{"a user's email", `{"apiVersion": "backstage.io/v1alpha1", "kind": "User",
			"metadata": {"name": "me", "namespace": "default"}, "spec": {"profile": {"email": "me@example.com", "displayName": "Me"}}}`, false,
			Row{Ref: "user:default/me", Kind: "User", Namespace: "default", Name: "me", Email: "me@example.com", LocationID: "a", File: "a.yaml"}},
		{"values that are not text are left out", `{"apiVersion": "backstage.io/v1alpha1", "kind": "Resource",
			"metadata": {"name": "db", "namespace": "default", "annotations": {"github.com/project-slug": ""}}, "spec": {"type": 3, "owner": {"name": "x"}, "lifecycle": true}}`, false,
			Row{Ref: "resource:default/db", Kind: "Resource", Namespace: "default", Name: "db", LocationID: "a", File: "a.yaml"}},
		{"a last good version", `{"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": {"name": "team-a", "namespace": "default"}}`, true,
			Row{Ref: "group:default/team-a", Kind: "Group", Namespace: "default", Name: "team-a", LocationID: "a", File: "a.yaml", Errors: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			backends(t, func(t *testing.T, db *DB) {
				ctx := context.Background()
				if err := db.PutLocation(ctx, Location{ID: "a", URL: "/repo/a", Path: "catalog-info.yaml"}); err != nil {
					t.Fatal(err)
				}
				p := document(t, "a.yaml", tt.doc)
				snap := Snapshot{Commit: "c1", Entities: []catalog.Processed{p}}
				if tt.kept {
					snap.Kept = map[string]Kept{p.Entity.Ref().String(): {Commit: "c0", Errors: []catalog.Error{{File: "a.yaml", Message: "refused"}}}}
				}
				if err := db.ReplaceLocation(ctx, "a", snap, t0); err != nil {
					t.Fatal(err)
				}
				rows, loc, ok, err := db.Rows(ctx, "a")
				if err != nil || !ok || loc.HeadCommit != "c1" {
					t.Fatalf("Rows: ok %v, err %v, location at %q", ok, err, loc.HeadCommit)
				}
				if diff := cmp.Diff([]Row{tt.want}, rows); diff != "" {
					t.Errorf("rows (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestRowsOfNoEntities(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if rows, _, ok, err := db.Rows(ctx, "nowhere"); ok || err != nil || rows != nil {
			t.Errorf("an unknown location: %d rows, ok %v, err %v", len(rows), ok, err)
		}
		if err := db.PutLocation(ctx, Location{ID: "a", URL: "/repo/a", Path: "catalog-info.yaml"}); err != nil {
			t.Fatal(err)
		}
		if rows, _, ok, err := db.Rows(ctx, "a"); !ok || err != nil || rows != nil {
			t.Errorf("a location never synced: %d rows, ok %v, err %v", len(rows), ok, err)
		}
	})
}

// BenchmarkRows: the rows of a location of 20,000 entities, read when the
// listing's cache is missing or stale.
func BenchmarkRows(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir(), quiet)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.PutLocation(ctx, Location{ID: "bench", URL: "/repo/bench", Path: "catalog-info.yaml"}); err != nil {
		b.Fatal(err)
	}
	const n = 20_000
	snap := Snapshot{Commit: "c1"}
	for i := range n {
		name := fmt.Sprintf("svc-%05d", i)
		snap.Entities = append(snap.Entities, document(b, "catalog/"+name+".yaml", fmt.Sprintf(`{"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
			"metadata": {"name": %[1]q, "namespace": "default", "title": "Service %[1]s", "description": "Does thing number %[2]d for the payments domain",
				"tags": ["tag-%[3]d", "shared"], "annotations": {"github.com/project-slug": "acme/%[1]s", "backstage.io/techdocs-ref": "dir:."}},
			"spec": {"type": "service", "lifecycle": "production", "owner": "team-%[4]d", "system": "sys-%[5]d"}}`, name, i, i%50, i%300, i%500)))
	}
	if err := db.ReplaceLocation(ctx, "bench", snap, t0); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if rows, _, _, err := db.Rows(ctx, "bench"); err != nil || len(rows) != n {
			b.Fatal(len(rows), err)
		}
	}
}

// TestSortByRef: rows come back in ref order, each row whole, whatever
// order they were read in.
func TestSortByRef(t *testing.T) {
	t.Parallel()
	for _, refs := range [][]string{
		nil,
		{"a"},
		{"b", "a"},
		{"c", "a", "d", "b"},
		{"e", "d", "c", "b", "a"},
		{"a", "b", "c"},
	} {
		rows := make([]Row, len(refs))
		for i, ref := range refs {
			rows[i] = Row{Ref: ref, Name: "name of " + ref}
		}
		sortByRef(rows)
		want := slices.Sorted(slices.Values(refs))
		for i, r := range rows {
			if r.Ref != want[i] || r.Name != "name of "+r.Ref {
				t.Errorf("sortByRef(%v)[%d] = %+v, want %s with its name", refs, i, r, want[i])
			}
		}
	}
}
