package syncer

import (
	"context"
	"fmt"
	"strings"
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
	repo := gittest.New(t)
	incremental, idb, _ := setup(t, repo.Dir)
	for i, files := range incrementalSteps() {
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

// incrementalSteps are commits of a small catalog, each changing it in
// one way an incremental sync must follow.
func incrementalSteps() []map[string][]byte {
	svc := func(name, desc, deps string) []byte {
		return fmt.Appendf(nil, "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %s, description: %q}\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n  dependsOn: [%s]\n", name, desc, deps)
	}
	api := func(name string) []byte {
		return fmt.Appendf(nil, "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: %s}\nspec: {type: openapi, lifecycle: production, owner: team, definition: {$text: ./openapi.yaml}}\n", name)
	}
	root := []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./svc/*.yaml, ./api.yaml]}\n")
	return []map[string][]byte{
		{"catalog-info.yaml": root, "svc/a.yaml": svc("a", "first", "component:b"), "svc/b.yaml": svc("b", "second", ""), "svc/c.yaml": svc("c", "third", "component:a"), "api.yaml": api("api"), "openapi.yaml": []byte("openapi: 3.0.0\n")},
		{"svc/a.yaml": svc("a", "edited", "component:c")}, // a changes its dependency
		{"svc/b.yaml": nil}, // b is deleted: a's old and c's relations change
		{"svc/c.yaml": nil, "svc/moved.yaml": svc("c", "third", "component:a")},   // c moves to another file
		{"openapi.yaml": []byte("openapi: 3.1.0\n")},                              // only a placeholder's file changes
		{"svc/d.yaml": svc("d", "new", ""), "svc/a2.yaml": svc("a", "again", "")}, // a new entity, and a duplicate in another file
		{"svc/bad.yaml": []byte("apiVersion: [\n")},                               // a broken file
	}
}

// An entity whose file breaks keeps its last good version, with its
// relations and the errors that refused the new one; fixing it clears them.
func TestBrokenEntityKeepsItsLastGoodVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	good := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc, description: good}\nspec: {type: service, lifecycle: production, owner: team, dependsOn: [component:db]}\n"
	repo := gittest.New(t)
	repo.Commit("good", map[string][]byte{"catalog-info.yaml": []byte(good)})
	s, db, _ := setup(t, repo.Dir)
	steps := []struct {
		name, content, wantErr string
	}{
		{"spec invalid", strings.Replace(good, "lifecycle: production, ", "", 1), "spec.lifecycle: is required"},
		{"YAML broken", "apiVersion: backstage.io/v1alpha1\nkind: [\n", "invalid YAML"},
		{"fixed", strings.Replace(good, "good", "fixed", 1), ""},
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	for _, step := range steps {
		repo.Commit(step.name, map[string][]byte{"catalog-info.yaml": []byte(step.content)})
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatal(err)
		}
		e, ok, _ := db.Entity(ctx, "component:default/svc")
		if !ok {
			t.Fatalf("%s: the entity is gone", step.name)
		}
		rels, _ := db.Relations(ctx, "component:default/svc")
		if len(rels) != 2 {
			t.Errorf("%s: relations = %v, want dependsOn and ownedBy kept", step.name, rels)
		}
		switch {
		case step.wantErr == "" && (len(e.Errors) != 0 || e.Entity.Metadata.Description != "fixed"):
			t.Errorf("%s: entity = %q with errors %v", step.name, e.Entity.Metadata.Description, e.Errors)
		case step.wantErr != "" && (len(e.Errors) == 0 || !strings.Contains(e.Errors[0].Error(), step.wantErr) || e.Entity.Metadata.Description != "good"):
			t.Errorf("%s: entity = %q with errors %v, want the good version with %q", step.name, e.Entity.Metadata.Description, e.Errors, step.wantErr)
		}
	}
}

// Two locations define the same entity: the first keeps it. When the first
// drops it, the second takes it over on its next sync, although its own
// file did not change (the file cache reused it: the store has to say it
// never stored it, and the syncer processes again).
func TestEntityTakenOverWhenTheFirstLocationDropsIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	first, second := gittest.New(t), gittest.New(t)
	first.Commit("both", map[string][]byte{"catalog-info.yaml": []byte(string(comp("shared")) + "---\n" + string(comp("first-only")))})
	second.Commit("shared", map[string][]byte{"catalog-info.yaml": described("shared", "from the second")})
	s, db, _ := setup(t, first.Dir)
	if err := db.PutLocation(ctx, store.Location{ID: "second", URL: second.Dir, Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"loc", "second", "second"} {
		if err := s.Sync(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if e, _, _ := db.Entity(ctx, "component:default/shared"); e.LocationID != "loc" {
		t.Fatalf("shared is provided by %q, want the first location", e.LocationID)
	}
	first.Commit("drop it", map[string][]byte{"catalog-info.yaml": comp("first-only")})
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	second.Commit("unrelated", map[string][]byte{"other.yaml": []byte("x: 1\n")})
	if err := s.Sync(ctx, "second"); err != nil {
		t.Fatal(err)
	}
	e, ok, err := db.Entity(ctx, "component:default/shared")
	if err != nil || !ok || e.LocationID != "second" || e.Entity.Metadata.Description != "from the second" {
		t.Errorf("shared after the first location dropped it = %+v, %v, %v; want the second's", e, ok, err)
	}
}
