package portal

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// twoLevelRepo is a root Location listing a second Location file, which
// lists the file of two components.
var twoLevelRepo = map[string][]byte{
	"catalog-info.yaml": []byte(`apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: root
spec:
  targets:
    - ./teams/locations.yaml
`),
	"teams/locations.yaml": []byte(`# The teams' files.
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: teams
spec:
  targets: [./payments.yaml]
`),
	"teams/payments.yaml": []byte(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
spec: {type: service, lifecycle: production, owner: payments}
---
# The gateway takes cards.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: gateway
spec:
  type: service
  lifecycle: production
  owner: payments
  dependsOn: [component:ledger]
`),
}

func TestInspectEntityThroughATwoLevelChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clones := filepath.Join(t.TempDir(), "clones")
	s, _ := newService(t, func(c *Config) {
		c.Syncer = syncer.New(c.DB, clones, gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	})
	repo := gittest.New(t)
	commit := repo.Commit("Add the catalog", twoLevelRepo)
	url := gittest.HTTPBackend(t, filepath.Dir(repo.Dir), nil) + "/" + filepath.Base(repo.Dir)
	loc, err := s.AddLocation(ctx, NewLocation{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, loc.ID); err != nil {
		t.Fatal(err)
	}

	got, err := s.InspectEntity(ctx, "Component:gateway")
	if err != nil {
		t.Fatal(err)
	}
	blob := url + "/blob/main/"
	wantAncestry := []AncestryStep{
		{Kind: AncestryLocation, LocationID: loc.ID, File: "catalog-info.yaml", URL: url},
		{Kind: AncestryLocationEntity, LocationID: loc.ID, File: "catalog-info.yaml", Line: 1, EntityRef: "location:default/root",
			Target: "./teams/locations.yaml", URL: blob + "catalog-info.yaml"},
		{Kind: AncestryLocationEntity, LocationID: loc.ID, File: "teams/locations.yaml", Line: 2, EntityRef: "location:default/teams",
			Target: "./payments.yaml", URL: blob + "teams/locations.yaml"},
		{Kind: AncestryFile, LocationID: loc.ID, File: "teams/payments.yaml", Line: 8, URL: blob + "teams/payments.yaml"},
	}
	if diff := cmp.Diff(wantAncestry, got.Ancestry); diff != "" {
		t.Errorf("ancestry (-want +got):\n%s", diff)
	}

	if len(got.Colocated.File) != 1 || got.Colocated.File[0].Ref != "component:default/ledger" {
		t.Errorf("colocated in the file: %+v, want the ledger", got.Colocated.File)
	}
	if got.Colocated.LocationTotal != 3 || len(got.Colocated.Location) != 3 {
		t.Errorf("colocated in the location: %d of %d, want the ledger and both Locations", len(got.Colocated.Location), got.Colocated.LocationTotal)
	}

	p := got.Processed
	wantAnn := map[string]string{
		"backstage.io/managed-by-location":        "url:" + blob + "teams/payments.yaml",
		"backstage.io/managed-by-origin-location": "url:" + blob + "catalog-info.yaml",
		"backstage.io/view-url":                   blob + "teams/payments.yaml",
		"backstage.io/edit-url":                   url + "/edit/main/teams/payments.yaml",
		"backstage.io/source-location":            "url:" + url + "/tree/main/teams/",
	}
	if diff := cmp.Diff(wantAnn, p.Annotations); diff != "" {
		t.Errorf("added annotations (-want +got):\n%s", diff)
	}
	if p.Commit != commit || p.Kept || p.SyncedAt == "" || len(p.Errors) != 0 {
		t.Errorf("processed at %q (kept %v, synced %q, errors %v), want %s", p.Commit, p.Kept, p.SyncedAt, p.Errors, commit)
	}
	rels, _ := p.Entity["relations"].([]any)
	if !cmp.Equal(rels, []any{
		map[string]any{"type": "dependsOn", "targetRef": "component:default/ledger"},
		map[string]any{"type": "ownedBy", "targetRef": "group:default/payments"},
	}) {
		t.Errorf("relations in the document: %v", p.Entity["relations"])
	}

	wantRaw := RawDocument{File: "teams/payments.yaml", Commit: commit, Line: 7, YAML: `# The gateway takes cards.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: gateway
spec:
  type: service
  lifecycle: production
  owner: payments
  dependsOn: [component:ledger]
`}
	if diff := cmp.Diff(wantRaw, got.Raw); diff != "" {
		t.Errorf("raw document (-want +got):\n%s", diff)
	}

	root, err := s.InspectEntity(ctx, "location:root")
	if err != nil {
		t.Fatal(err)
	}
	if len(root.Ancestry) != 2 || root.Ancestry[0].Kind != AncestryLocation || root.Ancestry[1].Kind != AncestryFile {
		t.Errorf("the root Location's ancestry: %+v, want its location and its file", root.Ancestry)
	}
	if !strings.HasPrefix(root.Raw.YAML, "apiVersion: backstage.io/v1alpha1\nkind: Location\n") {
		t.Errorf("the root Location's raw document: %q", root.Raw.YAML)
	}

	for ref, want := range map[string]error{"component:nope": ErrNotFound, "component:": ErrInvalid} {
		if _, err := s.InspectEntity(ctx, ref); !errors.Is(err, want) {
			t.Errorf("InspectEntity(%q) = %v, want %v", ref, err, want)
		}
	}
}

// The demo organisation, a folder on this disk, is what the browser e2e
// inspects: its ancestry steps open in the editor.
func TestInspectDemoEntity(t *testing.T) {
	t.Parallel()
	s := demoService(t)
	got, err := s.InspectEntity(context.Background(), "component:default/booking-service")
	if err != nil {
		t.Fatal(err)
	}
	a := got.Ancestry
	if len(a) != 3 || a[0].Kind != AncestryLocation || a[0].LocationID != DemoLocationID || a[0].File != "catalog-info.yaml" ||
		a[1].EntityRef != "location:default/marigold-ferries" || a[1].Target != "./components/booking-service/catalog-info.yaml" ||
		a[2].File != "components/booking-service/catalog-info.yaml" {
		t.Fatalf("ancestry = %+v", a)
	}
	for _, step := range a {
		if step.LocalFile == "" || !strings.HasSuffix(filepath.ToSlash(step.LocalFile), "/"+step.File) {
			t.Errorf("step %+v: want its file on disk", step)
		}
	}
	if got.Raw.YAML == "" || got.Raw.Line != 1 {
		t.Errorf("raw = %+v", got.Raw)
	}
}
