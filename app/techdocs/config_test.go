package techdocs

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// configCases are mkdocs.yml files in the forms MkDocs accepts and the
// mistakes it refuses. differential marks those Debian's mkdocs can build
// (their extensions and plugins are installed), which
// TestConfigAgainstMkdocs builds to check that MkDocs agrees.
var configCases = []struct {
	name, config string
	err          string // the whole error, "" when the site loads
	permalink    string
	blocks       bool
	differential bool
}{
	{name: "extensions as a list of names", config: "markdown_extensions:\n  - toc\n  - admonition\n", permalink: "¶", differential: true},
	{name: "extensions as a list with options", config: "markdown_extensions:\n  - admonition\n  - toc:\n      permalink: \"#\"\n", permalink: "#", differential: true},
	{name: "extensions as a mapping", config: "markdown_extensions:\n  admonition:\n  abbr: {}\n  toc:\n    permalink: \"§\"\n", permalink: "§", differential: true},
	{name: "the last options of an extension count", config: "markdown_extensions:\n  - toc:\n      permalink: \"#\"\n  - toc\n  - toc:\n      permalink: false\n", permalink: "", differential: true},
	{name: "options written as YAML 1.1 booleans", config: "markdown_extensions:\n  toc:\n    permalink: off\n", permalink: "", differential: true},
	{name: "options that are false", config: "markdown_extensions:\n  toc: false\n  admonition: []\n", permalink: "¶", differential: true},
	{name: "no extensions", config: "markdown_extensions:\n", permalink: "¶", differential: true},
	{name: "an empty mapping of extensions", config: "markdown_extensions: {}\n", permalink: "¶", differential: true},
	{name: "an alias for the options", config: "x: &opts\n  permalink: \"#\"\nmarkdown_extensions:\n  toc: *opts\n", permalink: "#", differential: true},
	{name: "plugins as a mapping", config: "plugins:\n  search:\n    lang: en\n", permalink: "¶", differential: true},
	{name: "plugins as a list with empty options", config: "plugins:\n  - search:\n", permalink: "¶", differential: true},
	{name: "techdocs-core's options in a mapping", config: "plugins:\n  techdocs-core:\n    use_pymdownx_blocks: true\n", permalink: "¶", blocks: true},
	{name: "pymdownx.blocks among mapped extensions", config: "markdown_extensions:\n  pymdownx.blocks.admonition:\n", permalink: "¶", blocks: true},
	{
		name: "extensions as a string", config: "markdown_extensions: toc\n", differential: true,
		err: `mkdocs.yml:2:22: markdown_extensions: must be a list of extensions or a mapping of extension names to their options, is the string "toc"`,
	},
	{
		name: "options not indented under their extension", config: "markdown_extensions:\n  - toc:\n    permalink: true\n", differential: true,
		err: "mkdocs.yml:3:5: markdown_extensions.0: an item names one extension (with its options under it), this one names 2: toc, permalink; are the options of toc indented under it?",
	},
	{
		name: "an extension that is a number", config: "markdown_extensions:\n  - 1\n", differential: true,
		err: "mkdocs.yml:3:5: markdown_extensions.0: must be the name of an extension or a mapping of one name to its options, is a number",
	},
	{
		name: "an empty item", config: "markdown_extensions:\n  - {}\n",
		err: "mkdocs.yml:3:5: markdown_extensions.0: is an empty mapping: name an extension, with its options under it",
	},
	{
		name: "options that are a list", config: "markdown_extensions:\n  toc: [permalink]\n", differential: true,
		err: "mkdocs.yml:3:8: markdown_extensions.toc: the options of toc must be a mapping (option: value), are a list",
	},
	{
		name: "options that are a string", config: "markdown_extensions:\n  - toc: permalink\n", differential: true,
		err: `mkdocs.yml:3:10: markdown_extensions.0.toc: the options of toc must be a mapping (option: value), are the string "permalink"`,
	},
	{
		name: "plugins as a string", config: "plugins: search\n", differential: true,
		err: `mkdocs.yml:2:10: plugins: must be a list of plugins or a mapping of plugin names to their options, is the string "search"`,
	},
	{
		name: "plugin options that are a list", config: "plugins:\n  search: [en]\n", differential: true,
		err: "mkdocs.yml:3:11: plugins.search: the options of search must be a mapping (option: value), are a list",
	},
	{
		name: "a site name that is a list", config: "site_name: [a]\n", differential: true,
		err: "mkdocs.yml:2:12: site_name: must be a string, is a list",
	},
	{
		name: "a docs folder outside the site", config: "docs_dir: ../docs\n", differential: true,
		err: `mkdocs.yml:2:11: docs_dir: "../docs" leaves the site's folder`,
	},
	{
		name: "settings that are a list", config: "- site_name: A\n",
		err: "mkdocs.yml:2:1: must be a mapping of settings (site_name: …, nav: …), is a list",
	},
	{
		name: "broken YAML", config: "markdown_extensions:\n  - toc: [\n",
		err: "mkdocs.yml:3:10: sequence end token ']' not found",
	},
}

func TestConfigForms(t *testing.T) {
	t.Parallel()
	for _, tc := range configCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			files := catalog.MapFiles{"mkdocs.yml": "site_name: A\n" + tc.config, "docs/index.md": "# Title\n"}
			if strings.HasPrefix(tc.config, "- ") {
				files["mkdocs.yml"] = "\n" + tc.config
			}
			s, err := Load(files, "")
			if tc.err != "" {
				var ce *ConfigError
				if err == nil || err.Error() != tc.err || !errors.As(err, &ce) {
					t.Fatalf("error = %v\nwant    %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Permalink != tc.permalink || s.Blocks != tc.blocks {
				t.Errorf("permalink %q, blocks %v; want %q, %v", s.Permalink, s.Blocks, tc.permalink, tc.blocks)
			}
		})
	}
}

var headerlink = regexp.MustCompile(`class="headerlink"[^>]*>([^<]*)<`)

// TestConfigAgainstMkdocs builds every differential case with Debian's
// mkdocs: it must refuse what Load refuses and build what Load accepts,
// with the same permalink mark when it draws one (without techdocs-core,
// toc draws none unless told; Callboard draws techdocs-core's "¶").
func TestConfigAgainstMkdocs(t *testing.T) {
	if _, err := exec.LookPath("mkdocs"); err != nil {
		t.Skip("mkdocs not installed (Debian's mkdocs; make test installs it)")
	}
	for _, tc := range configCases {
		if !tc.differential {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "docs"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "docs", "index.md"), []byte("# Title\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "mkdocs.yml"), []byte("site_name: A\n"+tc.config), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("mkdocs", "build", "--quiet", "--site-dir", filepath.Join(dir, "site"))
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if built := err == nil; built != (tc.err == "") {
				t.Fatalf("mkdocs built it: %v, Callboard loads it: %v\n%s", built, tc.err == "", out)
			}
			if tc.err != "" {
				return
			}
			page, err := os.ReadFile(filepath.Join(dir, "site", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			theirs := ""
			if m := headerlink.FindSubmatch(page); m != nil {
				theirs = string(m[1])
			}
			if theirs != tc.permalink && (theirs != "" || strings.Contains(tc.config, "permalink")) {
				t.Errorf("mkdocs draws the permalink %q, Callboard %q", theirs, tc.permalink)
			}
		})
	}
}

// FuzzConfig: whatever mkdocs.yml holds, Load answers with a site or an
// error naming the file, a line and what is wrong, never a decoder's own
// error and never a panic.
func FuzzConfig(f *testing.F) {
	for _, tc := range configCases {
		f.Add("site_name: A\n" + tc.config)
	}
	f.Add("nav:\n  - A: {b: c}\n  - [x]\n  - !include\n")
	f.Fuzz(func(t *testing.T, config string) {
		_, err := Load(catalog.MapFiles{"mkdocs.yml": config, "docs/index.md": "# T\n"}, "")
		var ce *ConfigError
		switch {
		case err == nil, errors.Is(err, fs.ErrNotExist):
		case !errors.As(err, &ce):
			t.Fatalf("%T %v", err, err)
		case ce.File != "mkdocs.yml" || ce.Line < 1:
			t.Fatalf("error without file and line: %v", err)
		}
	})
}

func TestUnsupportedPluginsAndExtensionsAreNoted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, config string
		want         []string
	}{
		{"techdocs-core's own", "plugins:\n  - techdocs-core\n  - search\nmarkdown_extensions:\n  - admonition\n  - markdown.extensions.toc:\n      permalink: true\n  - pymdownx.superfences\n", nil},
		{"others, each kind in one note", "plugins:\n  - techdocs-core\n  - macros\n  - mike:\n      version_selector: true\nmarkdown_extensions:\n  - pymdownx.keys\n  - admonition\n  - nl2br\n",
			[]string{"mkdocs.yml: plugins not run here, pages show without what they add: macros, mike",
				"mkdocs.yml: Markdown extensions not run here, their syntax shows as written: pymdownx.keys, nl2br"}},
		{"pymdownx.blocks turn the /// syntax on", "markdown_extensions:\n  - pymdownx.blocks.admonition\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Load(catalog.MapFiles{"mkdocs.yml": "site_name: A\n" + tt.config, "docs/index.md": "# T\n"}, "")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.Warnings, tt.want) {
				t.Errorf("warnings = %q, want %q", s.Warnings, tt.want)
			}
		})
	}
}

func TestMissingDocsDirNamesTheSetting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files catalog.MapFiles
		want  string
	}{
		{"docs_dir names no folder", catalog.MapFiles{"site/mkdocs.yml": "site_name: A\ndocs_dir: pages\n", "site/index.html": "x"}, "site/mkdocs.yml: docs_dir site/pages/: file does not exist"},
		{"the default docs/ is not there", catalog.MapFiles{"mkdocs.yml": "site_name: A\n", "README.md": "# A\n"}, "mkdocs.yml: docs_dir docs/: file does not exist"},
		{"a docs folder without pages", catalog.MapFiles{"mkdocs.yml": "site_name: A\n", "docs/logo.png": "x"}, "docs/ has no Markdown pages: file does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := "."
			if _, ok := tt.files["site/mkdocs.yml"]; ok {
				root = "site"
			}
			_, err := Load(tt.files, root)
			if err == nil || err.Error() != tt.want || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("err = %v, want %q wrapping fs.ErrNotExist", err, tt.want)
			}
		})
	}
}
