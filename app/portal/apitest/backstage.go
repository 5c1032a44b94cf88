package apitest

import (
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/backstage/backstagetest"
	"github.com/callboard/callboard/sync/gittest"
)

// testBackstageWrite edits an entity read from a Backstage whose source
// repository (a git http-backend on loopback) is none of the locations:
// the read clones it as a source clone, the write commits there, and the
// clone's sync pushes the commit to the repository; nothing goes to the
// Backstage. An invalid file is refused before any commit.
func testBackstageWrite(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	root := t.TempDir()
	upstream, _ := url.Parse(gittest.HTTPBackend(t, root, nil))
	git := httptest.NewServer(httputil.NewSingleHostReverseProxy(upstream))
	t.Cleanup(git.Close)
	doc := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: radar\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
	src := gittest.New(t)
	src.Commit("Add radar", map[string][]byte{"catalog-info.yaml": []byte(doc)})
	bare := filepath.Join(root, "org", "radar.git")
	must(t, "mkdir", os.MkdirAll(filepath.Dir(bare), 0o755))
	gittest.Git(t, root, "clone", "-q", "--bare", src.Dir, bare)
	gittest.Git(t, bare, "config", "http.receivepack", "true")
	file := "url:" + git.URL + "/org/radar/blob/main/catalog-info.yaml"
	bs := backstagetest.NewCatalog(t, "", []map[string]any{{"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
		"metadata": map[string]any{"name": "radar", "namespace": "default", "annotations": map[string]any{
			"backstage.io/managed-by-location": file, "backstage.io/managed-by-origin-location": file}},
		"spec": map[string]any{"type": "service", "lifecycle": "production", "owner": "team-a"}}})
	loc, err := f.API.AddLocation(ctx, portal.NewLocation{URL: bs.URL, Backstage: true})
	must(t, "AddLocation of the Backstage", err)
	_, err = f.API.Sync(ctx, loc.ID)
	must(t, "Sync the Backstage", err)
	const generated = "component/default/radar.json"

	d, err := f.API.GetEntity(ctx, "component:radar")
	must(t, "GetEntity", err)
	if d.Backstage == nil || d.Backstage.BaseURL != bs.URL || d.Backstage.StoredAt == "" || d.Backstage.File != "catalog-info.yaml" {
		t.Errorf("GetEntity of a Backstage's entity: backstage %+v", d.Backstage)
	}
	// The Backstage names the repository, not the user: its host must be
	// one the user reads from.
	_, err = f.API.ReadFile(ctx, loc.ID, generated)
	wantErr(t, "ReadFile of a Backstage's entity on a host not read from", err, portal.ErrConflict)
	hosts := []string{strings.TrimPrefix(git.URL, "http://")}
	_, err = f.API.PatchSettings(ctx, portal.SettingsPatch{RemoteReadHosts: &hosts})
	must(t, "PatchSettings", err)
	_, err = f.API.WriteFile(ctx, portal.FileWrite{LocationID: loc.ID, Path: generated, Content: "kind: [\n", Message: "Break it"})
	wantErr(t, "WriteFile of a broken file to a Backstage's entity", err, portal.ErrInvalid)
	edited := strings.Replace(doc, "team-a", "team-b", 1)
	e, err := f.API.WriteFile(ctx, portal.FileWrite{LocationID: loc.ID, Path: generated, Content: edited, Message: "Hand radar to team-b"})
	must(t, "WriteFile to a Backstage's entity", err)
	if e.LocationID == loc.ID || len(e.Paths) != 1 || e.Paths[0] != "catalog-info.yaml" {
		t.Fatalf("the outbox entry = %+v, want a commit of catalog-info.yaml in a source clone", e)
	}
	locs, err := f.API.ListLocations(ctx)
	must(t, "ListLocations", err)
	found := false
	for _, l := range locs {
		found = found || l.ID == e.LocationID && l.SourceOf == loc.ID && l.Entities == 0
	}
	if !found {
		t.Errorf("ListLocations = %+v, want the source clone %s of %s, without entities", locs, e.LocationID, loc.ID)
	}
	requests := bs.Requests.Load()
	_, err = f.API.Sync(ctx, e.LocationID)
	must(t, "Sync the source clone", err)
	if got := gittest.Git(t, bare, "show", "main:catalog-info.yaml"); got != edited {
		t.Errorf("the source repository holds %q, want %q", got, edited)
	}
	if n := bs.Requests.Load() - requests; n != 0 {
		t.Errorf("the Backstage was asked %d times by the push, want never", n)
	}
}
