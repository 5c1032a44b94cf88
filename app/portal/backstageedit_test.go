package portal

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

// An edit of an entity read from a Backstage goes to its source file in
// the repository its managed-by-location names, through the outbox of the
// location the user has on that repository, and is pushed there; without
// such a location it is refused, naming the repository to add. Nothing
// is written to the Backstage API.
func TestBackstageEditGoesToSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newBackstageOrg(t)
	doc := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: radar\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
	bareRepo(t, filepath.Join(o.root, "org"), "services", map[string][]byte{"catalog-info.yaml": []byte(doc)})
	bare := filepath.Join(o.root, "org", "services.git")
	gittest.Git(t, bare, "config", "http.receivepack", "true")
	file := o.git.URL + "/org/services/blob/main/catalog-info.yaml"
	o.start(t, []map[string]any{backstageEntity(t, `{"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
		"metadata": {"name": "radar"}, "spec": {"type": "service", "lifecycle": "production", "owner": "team-a"}}`, file)})
	const generated = "component/default/radar.json"
	edited := strings.Replace(doc, "team-a", "team-b", 1)

	_, err := o.s.WriteFile(ctx, FileWrite{LocationID: o.locID, Path: generated, Content: edited, Message: "Hand radar to team-b"})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "not one of your locations: add it (callboard location add "+o.git.URL+"/org/services") {
		t.Fatalf("an edit without the source repository: %v, want it refused naming the repository", err)
	}
	requests := o.bs.Requests.Load()

	repo, err := o.s.AddLocation(ctx, NewLocation{URL: o.git.URL + "/org/services.git"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.s.Sync(ctx, repo.ID); err != nil {
		t.Fatal(err)
	}
	got, err := o.s.ReadFile(ctx, o.locID, generated)
	if err != nil || got.LocationID != repo.ID || got.Path != "catalog-info.yaml" || got.Content != doc {
		t.Fatalf("read: %+v, %v, want the source file of location %s", got, err, repo.ID)
	}
	entry, err := o.s.WriteFile(ctx, FileWrite{LocationID: o.locID, Path: generated, Content: edited, Message: "Hand radar to team-b"})
	if err != nil || entry.LocationID != repo.ID || len(entry.Paths) != 1 || entry.Paths[0] != "catalog-info.yaml" {
		t.Fatalf("write: %+v, %v, want a commit in location %s", entry, err, repo.ID)
	}
	if _, err := o.s.Sync(ctx, repo.ID); err != nil {
		t.Fatal(err)
	}
	if pushed := gittest.Git(t, bare, "show", "main:catalog-info.yaml"); pushed != edited {
		t.Errorf("the source repository holds %q, want %q", pushed, edited)
	}
	if n := o.bs.Requests.Load(); n != requests {
		t.Errorf("the Backstage was asked %d times during the edit, want never", n-requests)
	}
}
