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
// the repository its managed-by-location names: without a location of
// the user's on it, through a source clone made on first need (shallow,
// no roots, so the entity is not in the catalog twice), whose outbox
// pushes the commit to the remote; once the user adds the repository,
// through that location. History is read from the same clone. Nothing is
// written to the Backstage API.
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
	requests := o.bs.Requests.Load()

	if _, err := o.s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.s.ReadFile(ctx, o.locID, generated); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "not a host you read from") {
		t.Errorf("read from a host not read from: %v, want it refused saying how to allow it", err)
	}
	if _, err := o.s.UpdateSettings(ctx, Settings{SyncIntervalMinutes: 5, RemoteReadHosts: []string{strings.TrimPrefix(o.git.URL, "http://")}}); err != nil {
		t.Fatal(err)
	}
	got, err := o.s.ReadFile(ctx, o.locID, generated)
	if err != nil || !strings.HasSuffix(got.LocationID, "-source") || got.Path != "catalog-info.yaml" || got.Content != doc {
		t.Fatalf("read without the repository: %+v, %v, want the file of a source clone", got, err)
	}
	source := got.LocationID
	locs, err := o.s.ListLocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locs {
		if l.ID == source && (l.SourceOf != o.locID || l.Entities != 0) {
			t.Errorf("source clone listed as %+v, want a clone of %s without entities", l, o.locID)
		}
	}
	if e, err := o.s.GetEntity(ctx, "component:radar"); err != nil || e.Source.LocationID != o.locID || e.Backstage == nil ||
		e.Backstage.BaseURL != o.bs.URL || e.Backstage.StoredAt == "" || !strings.HasPrefix(e.Backstage.Repo, o.git.URL+"/org/services") ||
		e.Backstage.File != "catalog-info.yaml" {
		t.Errorf("entity: %+v %+v, %v, want it still the Backstage's, read from it, edited in its source", e.Source, e.Backstage, err)
	}

	for _, bad := range []string{"kind: Component\n", "not: [yaml"} {
		if _, err := o.s.WriteFile(ctx, FileWrite{LocationID: o.locID, Path: generated, Content: bad, Message: "Break radar"}); !errors.Is(err, ErrInvalid) {
			t.Errorf("write %q: %v, want ErrInvalid", bad, err)
		}
	}
	edited := strings.Replace(doc, "team-a", "team-b", 1)
	entry, err := o.s.WriteFile(ctx, FileWrite{LocationID: o.locID, Path: generated, Content: edited, Message: "Hand radar to team-b"})
	if err != nil || entry.LocationID != source || len(entry.Paths) != 1 || entry.Paths[0] != "catalog-info.yaml" {
		t.Fatalf("write: %+v, %v, want a commit in the source clone %s", entry, err, source)
	}
	if e, err := o.s.GetEntity(ctx, "component:radar"); err != nil || !e.Pending {
		t.Errorf("entity with an edit not pushed: pending %v, %v, want pending", e.Pending, err)
	}
	if err := o.s.RemoveLocation(ctx, o.locID); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), source) {
		t.Errorf("remove the Backstage with an edit not pushed: %v, want it refused naming %s", err, source)
	}
	if _, err := o.s.Sync(ctx, source); err != nil {
		t.Fatal(err)
	}
	if pushed := gittest.Git(t, bare, "show", "main:catalog-info.yaml"); pushed != edited {
		t.Errorf("the source repository holds %q, want %q", pushed, edited)
	}
	if e, err := o.s.GetEntity(ctx, "component:radar"); err != nil || e.Pending {
		t.Errorf("entity with its edit pushed: pending %v, %v, want not", e.Pending, err)
	}
	h, err := o.s.History(ctx, "component:radar", 10)
	if err != nil || h.LocationID != source || len(h.Versions) == 0 || h.Versions[0].Message != "Hand radar to team-b" {
		t.Errorf("history: %+v, %v, want the source clone's, newest the edit", h, err)
	}

	repo, err := o.s.AddLocation(ctx, NewLocation{URL: o.git.URL + "/org/services.git"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.s.Sync(ctx, repo.ID); err != nil {
		t.Fatal(err)
	}
	got, err = o.s.ReadFile(ctx, o.locID, generated)
	if err != nil || got.LocationID != repo.ID || got.Content != edited {
		t.Fatalf("read: %+v, %v, want the source file of location %s", got, err, repo.ID)
	}
	if n := o.bs.Requests.Load(); n != requests {
		t.Errorf("the Backstage was asked %d times during the edits, want never", n-requests)
	}
	if err := o.s.RemoveLocation(ctx, o.locID); err != nil {
		t.Fatal(err)
	}
	if locs, err := o.s.ListLocations(ctx); err != nil || len(locs) != 1 || locs[0].ID != repo.ID {
		t.Errorf("locations after removing the Backstage: %+v, %v, want %s alone (its source clone removed with it)", locs, err, repo.ID)
	}
}

// With its source repository out of reach, an edit of a Backstage's
// entity is refused saying which repository could not be cloned, and no
// source clone is left behind.
func TestBackstageEditOffline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newBackstageOrg(t)
	file := o.git.URL + "/org/gone/blob/main/catalog-info.yaml"
	o.start(t, []map[string]any{backstageEntity(t, `{"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
		"metadata": {"name": "radar"}, "spec": {"type": "service", "lifecycle": "production", "owner": "team-a"}}`, file)})
	_, err := o.s.ReadFile(ctx, o.locID, "component/default/radar.json")
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "clone "+o.git.URL+"/org/gone") {
		t.Fatalf("read with the repository gone: %v, want it refused naming the repository", err)
	}
	locs, err := o.s.ListLocations(ctx)
	if err != nil || len(locs) != 1 {
		t.Errorf("locations %+v, %v, want the Backstage alone", locs, err)
	}
}
