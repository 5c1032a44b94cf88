package techdocs

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// The redirect_maps below follow mkdocs-redirects' on_post_build: an
// external http(s) target is written as it is; a page target must be a
// Markdown file of the docs folder (its anchor kept), or it is warned
// about and skipped; the old page's file replaces the page if it exists.
const redirectsConfig = `site_name: Moves
plugins:
  - techdocs-core
  - redirects:
      redirect_maps:
        old.md: new.md
        guide/old-setup.md: guide/setup.md#install
        gone.md: https://example.com/elsewhere
        shouting.md: HTTPS://EXAMPLE.COM/UP
        missing.md: nowhere.md
        absolute.md: /new.md
        chain.md: old.md
        via.md: still-here.md
        still-here.md: new.md
        notmarkdown: new.md
`

func redirectSite(t *testing.T) Site {
	t.Helper()
	files := catalog.MapFiles{
		"mkdocs.yml":             redirectsConfig,
		"docs/index.md":          "# Home\n\n[old](old.md) [setup](guide/old-setup.md#other) [gone](gone.md) [moved dir](old/) [missing](missing.md)\n",
		"docs/new.md":            "# New\n",
		"docs/still-here.md":     "# Still here\n",
		"docs/guide/setup.md":    "# Setup\n\n## Install\n",
		"docs/guide/relative.md": "# Relative\n\n[up](../old.md)\n",
	}
	s, err := Load(files, ".")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRedirected(t *testing.T) {
	t.Parallel()
	s := redirectSite(t)
	tests := []struct {
		visit string
		want  Redirect
		ok    bool
	}{
		{"old.md", Redirect{Page: "new.md"}, true},
		{"old/", Redirect{Page: "new.md"}, true},
		{"old", Redirect{Page: "new.md"}, true},
		{"guide/old-setup/", Redirect{Page: "guide/setup.md", Anchor: "install"}, true},
		{"gone.md", Redirect{URL: "https://example.com/elsewhere"}, true},
		{"shouting.md", Redirect{URL: "HTTPS://EXAMPLE.COM/UP"}, true},
		// old.md is no file: the plugin follows no redirect to find one.
		{"chain.md", Redirect{}, false},
		{"via.md", Redirect{Page: "new.md"}, true},
		// The plugin's file replaces the page's.
		{"still-here.md", Redirect{Page: "new.md"}, true},
		{"notmarkdown", Redirect{Page: "new.md"}, true},
		// Targets that are not pages of the docs folder are skipped.
		{"missing.md", Redirect{}, false},
		{"absolute.md", Redirect{}, false},
		{"new.md", Redirect{}, false},
	}
	for _, tt := range tests {
		got, ok := s.Redirected(tt.visit)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Redirected(%q) = %+v, %v; want %+v, %v", tt.visit, got, ok, tt.want, tt.ok)
		}
	}
	var why []string
	for _, p := range s.Problems {
		why = append(why, p.Target+" @"+itoa(p.Line)+": "+p.Why)
	}
	want := []string{
		"nowhere.md @10: redirect_maps: the new page is not in the docs folder",
		"/new.md @11: redirect_maps: the new page is not in the docs folder",
		"old.md @12: redirect_maps: the new page is not in the docs folder",
		"notmarkdown @15: redirect_maps: the old page is not a Markdown file",
	}
	if diff := cmp.Diff(want, why); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestRedirectedLinks(t *testing.T) {
	t.Parallel()
	s := redirectSite(t)
	files := catalog.MapFiles{
		"docs/index.md":          "# Home\n\n[old](old.md) [setup](guide/old-setup.md#other) [gone](gone.md) [moved dir](old/) [missing](missing.md)\n",
		"docs/guide/relative.md": "# Relative\n\n[up](../old.md)\n",
	}
	s.Pages = append(s.Pages, "guide/relative.md")
	links := Links{Page: func(p, a string) string { return "/page/" + p + anchorSuffix(a) }}
	p, err := s.Render(files, "index.md", links)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`href="/page/new.md"`, `href="/page/guide/setup.md#doc-install"`, `href="https://example.com/elsewhere"`, `href="/page/missing.md"`} {
		if !strings.Contains(p.HTML, w) {
			t.Errorf("HTML lacks %s:\n%s", w, p.HTML)
		}
	}
	if strings.Count(p.HTML, `href="/page/new.md"`) != 2 {
		t.Errorf("old/ should lead to new.md too:\n%s", p.HTML)
	}
	want := []Problem{{File: "docs/index.md", Line: 3, Target: "missing.md", Why: "there is no page missing.md in the docs folder"}}
	if diff := cmp.Diff(want, p.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	rel, err := s.Render(files, "guide/relative.md", links)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rel.HTML, `href="/page/new.md"`) {
		t.Errorf("a relative link to an old page should lead to the new one:\n%s", rel.HTML)
	}
}

// docs build writes the plugin's redirect pages, inside the output only.
func TestBuildRedirects(t *testing.T) {
	t.Parallel()
	files := catalog.MapFiles{
		"mkdocs.yml":          "site_name: x\nplugins:\n  - redirects:\n      redirect_maps:\n        old.md: guide/setup.md#install\n        gone.md: https://example.com/x\n        ../../escape.md: index.md\n",
		"docs/index.md":       "# Home\n",
		"docs/guide/setup.md": "# Setup\n\n## Install\n",
	}
	s, err := Load(files, ".")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := s.Build(t.Context(), files, out); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"old.html":  `url=guide/setup.html#doc-install`,
		"gone.html": `url=https://example.com/x`,
	} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s = %q, %v; want a redirect with %s", name, data, err, want)
		}
	}
	// An old page outside the docs folder names no page a reader reaches.
	for _, p := range []string{filepath.Join(filepath.Dir(filepath.Dir(out)), "escape.html"), filepath.Join(filepath.Dir(out), "escape.html")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("a redirect was written outside the output folder: %s", p)
		}
	}
}
