package apitest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// served is repo's bare copy behind git http-backend on loopback, by URL.
func served(t *testing.T, repo *gittest.Repo) string {
	t.Helper()
	bare := repo.Bare()
	return gittest.HTTPBackend(t, filepath.Dir(bare), nil) + "/" + filepath.Base(bare)
}

// bareService is a repository of Go code with no catalog file.
func bareService(t *testing.T) *gittest.Repo {
	t.Helper()
	repo := gittest.New(t)
	repo.Commit("Start the service", map[string][]byte{
		"main.go":            []byte("package main\n\nfunc main() {}\n"),
		"internal/x/x.go":    []byte("package x\n"),
		"web/app.js":         []byte("console.log(1)\n"),
		"mkdocs.yml":         []byte("site_name: Billing\n"),
		".github/CODEOWNERS": []byte("# owners\n*.js @acme/web\n* @acme/Billing-Team @someone\n"),
	})
	return repo
}

func testPreviewImport(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	repo := gittest.New(t)
	head := repo.Commit("Add the organisation", orgFiles())
	p, err := f.API.PreviewImport(ctx, portal.ImportSource{URL: served(t, repo)})
	must(t, "PreviewImport", err)
	lists(t, f, "PreviewImport", p)
	if p.Commit != head || p.Branch != "main" || p.Path != "catalog-info.yaml" || p.Generated != nil {
		t.Errorf("a repository with a catalog file = %+v", p)
	}
	var valid []string
	for _, e := range p.Entities {
		if e.Valid {
			valid = append(valid, e.Ref)
		}
	}
	if !slices.Contains(valid, paymentsRef) {
		t.Errorf("valid entities %v, want %s among them", valid, paymentsRef)
	}

	gen, err := f.API.PreviewImport(ctx, portal.ImportSource{URL: served(t, bareService(t))})
	must(t, "PreviewImport", err)
	if gen.Generated == nil || len(gen.Entities) != 0 || gen.Path != "" {
		t.Fatalf("a repository without catalog files = %+v, want a generated component", gen)
	}
	g := *gen.Generated
	g.YAML = ""
	want := portal.GeneratedEntity{Path: "catalog-info.yaml", Name: "remote", Owner: "group:billing-team", OwnerSource: "codeowners", Language: "Go", Type: "service"}
	if diff := gocmp.Diff(want, g); diff != "" {
		t.Errorf("the generated component (-want +got):\n%s", diff)
	}
	for _, line := range []string{"kind: Component", "name: remote", "backstage.io/techdocs-ref: dir:.", "lifecycle: experimental", "owner: group:billing-team"} {
		if !strings.Contains(gen.Generated.YAML, line) {
			t.Errorf("the generated YAML lacks %q:\n%s", line, gen.Generated.YAML)
		}
	}
	v, err := f.API.ValidateEntityYAML(ctx, gen.Generated.YAML)
	must(t, "ValidateEntityYAML", err)
	if !v.Valid || len(v.Entities) != 1 || v.Entities[0].Ref != "component:default/remote" {
		t.Errorf("the generated component's validation = %+v", v)
	}

	// Nothing answers on a closed loopback port: a clear error, nothing added.
	_, err = f.API.PreviewImport(ctx, portal.ImportSource{URL: "http://127.0.0.1:1/nothing.git"})
	wantErr(t, "PreviewImport of a dead URL", err, portal.ErrInvalid)
	if err != nil && !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("PreviewImport of a dead URL = %v, want it named", err)
	}
	_, err = f.API.PreviewImport(ctx, portal.ImportSource{URL: ""})
	wantErr(t, "PreviewImport of nothing", err, portal.ErrInvalid)
}

func testValidateEntityYAML(t *testing.T, s *suite) {
	ctx := t.Context()
	f := s.shared.Fixture
	v, err := f.API.ValidateEntityYAML(ctx, component("checkout", "  owner: team-a\n", "production"))
	must(t, "ValidateEntityYAML", err)
	lists(t, f, "ValidateEntityYAML", v)
	if !v.Valid || len(v.Entities) != 1 || !v.Entities[0].Valid {
		t.Errorf("a good component = %+v", v)
	}
	v, err = f.API.ValidateEntityYAML(ctx, component("checkout", "", "production"))
	must(t, "ValidateEntityYAML", err)
	if v.Valid || len(v.Entities) != 1 || len(v.Entities[0].Errors) == 0 || v.Entities[0].Errors[0].Field != "spec.owner" || v.Entities[0].Errors[0].Line == 0 {
		t.Errorf("a component without owner = %+v, want spec.owner refused with its line", v)
	}
	v, err = f.API.ValidateEntityYAML(ctx, "kind: [\n")
	must(t, "ValidateEntityYAML", err)
	if v.Valid || len(v.Errors) == 0 {
		t.Errorf("YAML that does not parse = %+v", v)
	}
	_, err = f.API.ValidateEntityYAML(ctx, strings.Repeat("#", 1<<20+1))
	wantErr(t, "ValidateEntityYAML of an oversized file", err, portal.ErrInvalid)
}

func testImport(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	url := served(t, bareService(t))
	p, err := f.API.PreviewImport(ctx, portal.ImportSource{URL: url})
	must(t, "PreviewImport", err)
	edited := strings.Replace(p.Generated.YAML, "name: remote", "name: billing", 1)

	_, err = f.API.Import(ctx, portal.ImportRequest{URL: url, YAML: strings.Replace(edited, "kind: Component", "kind: [", 1)})
	wantErr(t, "Import of YAML that does not parse", err, portal.ErrInvalid)
	_, err = f.API.Import(ctx, portal.ImportRequest{URL: "http://127.0.0.1:1/nothing.git", YAML: edited})
	wantErr(t, "Import of a dead URL", err, portal.ErrInvalid)
	locs, err := f.API.ListLocations(ctx)
	must(t, "ListLocations", err)
	if len(locs) != 1 {
		t.Errorf("locations after refused imports = %+v, want the demo's alone", locs)
	}

	res, err := f.API.Import(ctx, portal.ImportRequest{URL: url, YAML: edited})
	must(t, "Import", err)
	lists(t, f, "Import", res)
	if res.Commit == "" || res.Location.URL != url || !slices.Equal(res.Entities, []string{"component:default/billing"}) {
		t.Errorf("Import = %+v", res)
	}
	d, err := f.API.GetEntity(ctx, "component:default/billing")
	must(t, "GetEntity", err)
	if d.Owner != "group:default/billing-team" || d.Lifecycle != "experimental" {
		t.Errorf("the imported component = owner %q, lifecycle %q", d.Owner, d.Lifecycle)
	}
	// The import's sync pushed the commit: nothing waits in the outbox.
	out, err := f.API.Outbox(ctx)
	must(t, "Outbox", err)
	if len(out) != 0 {
		t.Errorf("outbox after the import = %+v, want the commit pushed", out)
	}
	_, err = f.API.Import(ctx, portal.ImportRequest{URL: url})
	wantErr(t, "Import of a repository registered already", err, portal.ErrConflict)

	// A repository's own catalog file, under another common name.
	own := gittest.New(t)
	own.Commit("Describe it", map[string][]byte{".backstage/catalog-info.yaml": []byte(component("ledger", "  owner: team-a\n", "production"))})
	p, err = f.API.PreviewImport(ctx, portal.ImportSource{URL: own.Dir})
	must(t, "PreviewImport", err)
	if p.Path != ".backstage/catalog-info.yaml" || len(p.Entities) != 1 || !p.Entities[0].Valid || p.Entities[0].Line != 1 {
		t.Errorf("PreviewImport of a repository with .backstage/catalog-info.yaml = %+v", p)
	}
	res, err = f.API.Import(ctx, portal.ImportRequest{URL: own.Dir, Path: p.Path})
	must(t, "Import", err)
	if res.Commit != "" || !slices.Equal(res.Entities, []string{"component:default/ledger"}) || res.Location.Path != p.Path {
		t.Errorf("Import of a repository's own catalog file = %+v", res)
	}
}
