package portal

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// Each entity leaves as it came: the root of a location the app added
// takes the location; a file a "Register" commit added is removed
// through the outbox; a file someone else added is only explained.
func TestUnregisterEntity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t, func(c *Config) {
		c.Syncer = syncer.New(c.DB, filepath.Join(t.TempDir(), "clones"), gitfetch.Credentials{}, &events.Bus{}, c.Log, nil)
	})
	repo := gittest.New(t)
	repo.Commit("Add the catalog", map[string][]byte{
		"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  targets: [./services/*.yaml]\n---\n" +
			string(component("app", "team-a", "production"))),
		"services/old.yaml": component("old", "team-a", "production"),
	})
	repo.Commit("Register new", map[string][]byte{"services/new.yaml": component("new", "team-a", "production")})
	loc, err := s.AddLocation(ctx, NewLocation{URL: repo.Bare()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, loc.ID); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref, action, file string
		leaving           []string
		err               error
	}{
		{ref: "component:app", action: UnregisterLocation, file: "catalog-info.yaml",
			leaving: []string{"component:default/new", "component:default/old", "location:default/root"}},
		{ref: "component:new", action: UnregisterFile, file: "services/new.yaml", leaving: []string{}},
		{ref: "component:old", action: UnregisterNone, file: "services/old.yaml", leaving: []string{}, err: ErrConflict},
		{ref: "component:nowhere", err: ErrNotFound},
	}
	for _, tt := range tests {
		got, err := s.UnregisterEntity(ctx, tt.ref, true)
		if tt.action == "" {
			if !errors.Is(err, tt.err) {
				t.Errorf("UnregisterEntity(%s) = %v, want %v", tt.ref, err, tt.err)
			}
			continue
		}
		if err != nil || got.Action != tt.action || got.File != tt.file || got.LocationID != loc.ID || got.Reason == "" || got.Done ||
			!slices.Equal(got.Leaving, tt.leaving) || got.LeavingTotal != len(tt.leaving) {
			t.Errorf("dry run of %s = %+v, %v; want %s of %s leaving %q", tt.ref, got, err, tt.action, tt.file, tt.leaving)
		}
	}

	// Done, the location last: it takes the others with it.
	for _, tt := range []struct {
		ref string
		err error
	}{{"component:old", ErrConflict}, {"component:new", nil}, {"component:app", nil}} {
		got, err := s.UnregisterEntity(ctx, tt.ref, false)
		if !errors.Is(err, tt.err) || tt.err == nil && !got.Done {
			t.Fatalf("UnregisterEntity(%s) = %+v, %v; want done, or %v", tt.ref, got, err, tt.err)
		}
		if tt.ref == "component:new" {
			if got.Commit == "" {
				t.Errorf("the file's removal has no commit: %+v", got)
			}
			if _, err := s.GetEntity(ctx, tt.ref); !errors.Is(err, ErrNotFound) {
				t.Errorf("GetEntity after its file's removal = %v, want ErrNotFound", err)
			}
			// A location goes only once its changes are pushed.
			if _, err := s.Sync(ctx, loc.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	locs, err := s.ListLocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(locs, func(l Location) bool { return l.ID == loc.ID }) {
		t.Errorf("location %s is still there after its root's entity was unregistered", loc.ID)
	}
}
