package apitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/techdocs"
)

// docsFolder writes an author's docs folder, uncommitted, and returns it.
func docsFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), data)
	}
	return dir
}

func writeFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

var previewFiles = map[string]string{
	"mkdocs.yml":               "site_name: Draft\nnav:\n  - Home: index.md\n  - Setup: setup.md\n  - Gone: gone.md\nplugins:\n  - redirects:\n      redirect_maps:\n        old.md: setup.md#install\n        away.md: https://example.com/away\n",
	"docs/index.md":            "# Draft\n\nSee [setup](setup.md), [the old page](old.md) and [nothing](nothing.md).\n",
	"docs/setup.md":            "# Setup\n\n## Install\n\nRun it.\n",
	"node_modules/x/README.md": "not watched",
}

func testOpenDocsPreview(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	dir := docsFolder(t, previewFiles)
	p, err := f.API.OpenDocsPreview(ctx, dir)
	must(t, "OpenDocsPreview", err)
	real, _ := filepath.EvalSymlinks(dir)
	if p.ID == "" || p.Dir != real || p.Error != "" || p.Site.Name != "Draft" || p.Site.LocalDir != real {
		t.Errorf("OpenDocsPreview = %+v", p)
	}
	if diff := gocmp.Diff([]string{"index.md", "setup.md"}, p.Site.Pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	wantNav := techdocs.Problem{File: "mkdocs.yml", Line: 5, Target: "gone.md", Why: "the nav names a page that is not in the docs folder"}
	if len(p.Site.Problems) != 1 || p.Site.Problems[0] != wantNav {
		t.Errorf("site problems = %+v, want %+v", p.Site.Problems, wantNav)
	}
	lists(t, f, "OpenDocsPreview", p)
	again, err := f.API.OpenDocsPreview(ctx, dir+"/")
	must(t, "OpenDocsPreview again", err)
	if again.ID != p.ID {
		t.Errorf("the same folder opened twice: %s, then %s", p.ID, again.ID)
	}
	for _, d := range []string{"docs", "", filepath.Join(dir, "docs", "index.md")} {
		_, err := f.API.OpenDocsPreview(ctx, d)
		wantErr(t, fmt.Sprintf("OpenDocsPreview(%q)", d), err, portal.ErrInvalid)
	}
	for _, d := range []string{filepath.Join(dir, "nope"), t.TempDir()} {
		_, err := f.API.OpenDocsPreview(ctx, d)
		wantErr(t, fmt.Sprintf("OpenDocsPreview(%q)", d), err, portal.ErrNotFound)
	}
}

func testDocsPreview(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	evs := f.Events(t)
	dir := docsFolder(t, previewFiles)
	p, err := f.API.OpenDocsPreview(ctx, dir)
	must(t, "OpenDocsPreview", err)

	// A save of mkdocs.yml changes the site: the nav says so.
	writeFile(t, filepath.Join(dir, "mkdocs.yml"), "site_name: Renamed\n")
	ev := await(t, evs, "docs:changed", func(d json.RawMessage) bool {
		var c portal.DocsPreviewChange
		return json.Unmarshal(d, &c) == nil && c.ID == p.ID && strings.Contains(strings.Join(c.Files, " "), "mkdocs.yml")
	})
	var change portal.DocsPreviewChange
	must(t, "decode docs:changed", json.Unmarshal(ev.Data, &change))
	got, err := f.API.DocsPreview(ctx, p.ID)
	must(t, "DocsPreview", err)
	if got.Site.Name != "Renamed" || got.Version < change.Version || got.Version == 0 || len(got.Site.Problems) != 0 {
		t.Errorf("DocsPreview after a save = %+v, event %+v", got, change)
	}
	lists(t, f, "DocsPreview", got)

	// A half-written mkdocs.yml leaves the preview open, saying why.
	writeFile(t, filepath.Join(dir, "mkdocs.yml"), "site_name: [\n")
	await(t, evs, "docs:changed", nil)
	broken, err := f.API.DocsPreview(ctx, p.ID)
	must(t, "DocsPreview", err)
	if broken.Error == "" || !strings.Contains(broken.Error, "mkdocs.yml") {
		t.Errorf("DocsPreview of a broken mkdocs.yml = %+v", broken)
	}
	_, err = f.API.DocsPreviewPage(ctx, p.ID, "")
	wantErr(t, "DocsPreviewPage of a broken site", err, portal.ErrConflict)
	lists(t, f, "DocsPreview", broken)

	_, err = f.API.DocsPreview(ctx, "nope")
	wantErr(t, "DocsPreview(nope)", err, portal.ErrNotFound)
}

func testDocsPreviewPage(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	evs := f.Events(t)
	dir := docsFolder(t, previewFiles)
	p, err := f.API.OpenDocsPreview(ctx, dir)
	must(t, "OpenDocsPreview", err)
	real := p.Dir

	home, err := f.API.DocsPreviewPage(ctx, p.ID, "")
	must(t, "DocsPreviewPage", err)
	if home.Path != "index.md" || home.Title != "Draft" || home.Next != "setup.md" || home.LocalFile != filepath.Join(real, "docs", "index.md") || home.SourceFile != "docs/index.md" {
		t.Errorf("the home page = %+v", home)
	}
	for _, w := range []string{`data-source-line="3"`, `href="#/docs/preview?`, "anchor=doc-install&amp;dir="} {
		if !strings.Contains(home.HTML, w) {
			t.Errorf("the home page lacks %s:\n%s", w, home.HTML)
		}
	}
	wantProblems := []techdocs.Problem{{File: "docs/index.md", Line: 3, Target: "nothing.md", Why: "there is no page nothing.md in the docs folder"}}
	if diff := gocmp.Diff(wantProblems, home.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	lists(t, f, "DocsPreviewPage", home)

	// A visit of a redirected page lands on the new one, or is sent away.
	moved, err := f.API.DocsPreviewPage(ctx, p.ID, "old/")
	must(t, "DocsPreviewPage old/", err)
	if moved.Path != "setup.md" || moved.Redirect == nil || *moved.Redirect != (techdocs.Redirect{Page: "setup.md", Anchor: "install"}) || !strings.Contains(moved.HTML, "Run it.") {
		t.Errorf("DocsPreviewPage(old/) = %+v", moved)
	}
	away, err := f.API.DocsPreviewPage(ctx, p.ID, "away.md")
	must(t, "DocsPreviewPage away.md", err)
	if away.Redirect == nil || away.Redirect.URL != "https://example.com/away" || away.HTML != "" {
		t.Errorf("DocsPreviewPage(away.md) = %+v", away)
	}

	// A page saved renders anew, without a commit.
	writeFile(t, filepath.Join(dir, "docs", "setup.md"), "# Setup\n\nRun it twice.\n")
	await(t, evs, "docs:changed", func(d json.RawMessage) bool { return strings.Contains(string(d), "docs/setup.md") })
	page, err := f.API.DocsPreviewPage(ctx, p.ID, "setup.md")
	must(t, "DocsPreviewPage setup.md", err)
	if !strings.Contains(page.HTML, "Run it twice.") {
		t.Errorf("setup.md after a save:\n%s", page.HTML)
	}
	// A page added is a page.
	writeFile(t, filepath.Join(dir, "docs", "guide", "new.md"), "# New\n")
	await(t, evs, "docs:changed", func(d json.RawMessage) bool { return strings.Contains(string(d), "docs/guide/new.md") })
	added, err := f.API.DocsPreviewPage(ctx, p.ID, "guide/new/")
	must(t, "DocsPreviewPage guide/new/", err)
	if added.Path != "guide/new.md" {
		t.Errorf("the added page = %+v", added)
	}

	// The page's file opens in the editor: the folder is the user's.
	_, err = f.API.UpdateSettings(ctx, portal.Settings{SyncIntervalMinutes: 5, Editor: "true", Terminal: "true"})
	must(t, "UpdateSettings", err)
	wantErr(t, "Open a previewed page", f.API.Open(ctx, portal.OpenRequest{Path: home.LocalFile, With: "editor", Line: 3}), nil)

	for _, pg := range []string{"nope.md", "../mkdocs.yml"} {
		_, err := f.API.DocsPreviewPage(ctx, p.ID, pg)
		wantErr(t, fmt.Sprintf("DocsPreviewPage(%q)", pg), err, portal.ErrNotFound)
	}
	_, err = f.API.DocsPreviewPage(ctx, "nope", "")
	wantErr(t, "DocsPreviewPage(nope)", err, portal.ErrNotFound)
}

func testCloseDocsPreview(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	dir := docsFolder(t, previewFiles)
	p, err := f.API.OpenDocsPreview(ctx, dir)
	must(t, "OpenDocsPreview", err)
	wantErr(t, "CloseDocsPreview", f.API.CloseDocsPreview(ctx, p.ID), nil)
	_, err = f.API.DocsPreview(ctx, p.ID)
	wantErr(t, "DocsPreview after closing", err, portal.ErrNotFound)
	wantErr(t, "CloseDocsPreview again", f.API.CloseDocsPreview(ctx, p.ID), portal.ErrNotFound)
	// Closed, its files no longer open in the editor.
	_, err = f.API.UpdateSettings(ctx, portal.Settings{SyncIntervalMinutes: 5, Editor: "true", Terminal: "true"})
	must(t, "UpdateSettings", err)
	wantErr(t, "Open a page of a closed preview", f.API.Open(ctx, portal.OpenRequest{Path: filepath.Join(p.Dir, "docs", "index.md"), With: "editor"}), portal.ErrInvalid)
}
