package syncer

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gittest"
)

// view is what a reader sees: every entity with its description, source
// file and relations both ways.
func view(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	db.Entities(ctx, func(e store.Entity) bool {
		ref := e.Entity.Ref().String()
		rels, _ := db.Relations(ctx, ref)
		in, _ := db.IncomingRelations(ctx, ref)
		out[ref] = fmt.Sprintf("%s %v @%s out=%v in=%v", e.Entity.Metadata.Description, e.Entity.Spec["definition"], e.Source.File, rels, in)
		return true
	})
	loc, _, _ := db.Location(ctx, "loc")
	out["(location)"] = fmt.Sprintf("%d entities, errors %v", loc.Entities, loc.Errors)
	return out
}

// Each commit is synced incrementally by one syncer and from scratch by
// another: the stores must read the same.
func TestIncrementalSyncMatchesAFreshSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := func(name, desc, deps string) []byte {
		return fmt.Appendf(nil, "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %s, description: %q}\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n  dependsOn: [%s]\n", name, desc, deps)
	}
	api := func(name string) []byte {
		return fmt.Appendf(nil, "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: %s}\nspec: {type: openapi, lifecycle: production, owner: team, definition: {$text: ./openapi.yaml}}\n", name)
	}
	root := []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./svc/*.yaml, ./api.yaml]}\n")
	steps := []map[string][]byte{
		{"catalog-info.yaml": root, "svc/a.yaml": svc("a", "first", "component:b"), "svc/b.yaml": svc("b", "second", ""), "svc/c.yaml": svc("c", "third", "component:a"), "api.yaml": api("api"), "openapi.yaml": []byte("openapi: 3.0.0\n")},
		{"svc/a.yaml": svc("a", "edited", "component:c")}, // a changes its dependency
		{"svc/b.yaml": nil}, // b is deleted: a's old and c's relations change
		{"svc/c.yaml": nil, "svc/moved.yaml": svc("c", "third", "component:a")},   // c moves to another file
		{"openapi.yaml": []byte("openapi: 3.1.0\n")},                              // only a placeholder's file changes
		{"svc/d.yaml": svc("d", "new", ""), "svc/a2.yaml": svc("a", "again", "")}, // a new entity, and a duplicate in another file
		{"svc/bad.yaml": []byte("apiVersion: [\n")},                               // a broken file
	}
	repo := gittest.New(t)
	incremental, idb, _ := setup(t, repo.Dir)
	for i, files := range steps {
		repo.Commit(fmt.Sprint("step ", i), files)
		if err := incremental.Sync(ctx, "loc"); err != nil {
			t.Fatalf("step %d: incremental sync: %v", i, err)
		}
		fresh, fdb, _ := setup(t, repo.Dir)
		if err := fresh.Sync(ctx, "loc"); err != nil {
			t.Fatalf("step %d: fresh sync: %v", i, err)
		}
		if diff := cmp.Diff(view(t, fdb), view(t, idb)); diff != "" {
			t.Errorf("step %d: the incremental store differs (-fresh +incremental):\n%s", i, diff)
		}
	}
}
