package techdocs

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
)

// NavItem is one entry of a site's navigation: a page (Path), an external
// link (URL) or a section (Children).
type NavItem struct {
	Title    string    `json:"title"`
	Path     string    `json:"path,omitempty"`
	URL      string    `json:"url,omitempty"`
	Children []NavItem `json:"children,omitempty"`
}

// Site is an mkdocs site read from a repository folder.
type Site struct {
	Name string `json:"name"`
	// Root is the folder holding mkdocs.yml; DocsDir the docs folder in it.
	Root    string    `json:"root"`
	DocsDir string    `json:"docsDir"`
	Nav     []NavItem `json:"nav"`
	// Pages are every Markdown page of the docs folder, in nav order
	// first, then the rest (mkdocs renders pages not in the nav too).
	Pages   []string `json:"pages"`
	RepoURL string   `json:"repoUrl,omitempty"`
	EditURI string   `json:"editUri,omitempty"`
	// Permalink is the mark toc puts after headings ("" for none): "¶",
	// as techdocs-core sets it, unless mkdocs.yml's markdown_extensions
	// say otherwise.
	Permalink string `json:"-"`
	// Blocks is techdocs-core's use_pymdownx_blocks: the /// block syntax.
	Blocks bool `json:"-"`
	// Warnings are problems worth fixing that did not stop the site.
	Warnings []string `json:"warnings,omitempty"`
}

type mkdocsConfig struct {
	SiteName   string    `yaml:"site_name"`
	DocsDir    string    `yaml:"docs_dir"`
	RepoURL    string    `yaml:"repo_url"`
	EditURI    string    `yaml:"edit_uri"`
	Nav        yaml.Node `yaml:"nav"`
	Extensions []any     `yaml:"markdown_extensions"`
	Plugins    []any     `yaml:"plugins"`
}

// blocks reads techdocs-core's use_pymdownx_blocks, or pymdownx.blocks.*
// among the extensions.
func (c mkdocsConfig) blocks() bool {
	for _, p := range c.Plugins {
		if m, ok := p.(map[string]any); ok {
			if opts, ok := m["techdocs-core"].(map[string]any); ok && opts["use_pymdownx_blocks"] == true {
				return true
			}
		}
	}
	for _, e := range c.Extensions {
		name, _ := e.(string)
		if m, ok := e.(map[string]any); ok {
			for k := range m {
				name = k
			}
		}
		if strings.HasPrefix(name, "pymdownx.blocks.") {
			return true
		}
	}
	return false
}

// permalink reads toc's permalink option from markdown_extensions: true
// is "¶", false none, a string that string.
func (c mkdocsConfig) permalink() string {
	for _, e := range c.Extensions {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		opts, ok := m["toc"].(map[string]any)
		if !ok {
			continue
		}
		switch v := opts["permalink"].(type) {
		case bool:
			if !v {
				return ""
			}
		case string:
			return v
		}
	}
	return "¶"
}

// Load reads the site whose mkdocs.yml is in folder root of files ("" or
// "." for the repository root). A folder with a docs/ folder but no
// mkdocs.yml is a site too, named after the folder, as TechDocs treats it.
func Load(files catalog.Files, root string) (Site, error) {
	root = strings.Trim(path.Clean("/"+root), "/")
	join := func(p ...string) string { return strings.TrimPrefix(path.Join(append([]string{root}, p...)...), "/") }
	s := Site{Root: root, DocsDir: "docs", Permalink: "¶"}
	data, err := files.ReadFile(join("mkdocs.yml"))
	if errors.Is(err, fs.ErrNotExist) {
		data, err = files.ReadFile(join("mkdocs.yaml"))
	}
	var cfg mkdocsConfig
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.Name = path.Base(cmpOr(root, "Documentation"))
	case err != nil:
		return s, fmt.Errorf("read %s: %w", join("mkdocs.yml"), err)
	default:
		if err := yaml.Unmarshal(stripTags(data), &cfg); err != nil {
			return s, fmt.Errorf("%s: %w", join("mkdocs.yml"), err)
		}
		s.Name, s.RepoURL, s.EditURI, s.Permalink, s.Blocks = cfg.SiteName, cfg.RepoURL, cfg.EditURI, cfg.permalink(), cfg.blocks()
		if cfg.DocsDir != "" {
			s.DocsDir = path.Clean(cfg.DocsDir)
			if strings.HasPrefix(s.DocsDir, "..") || path.IsAbs(s.DocsDir) {
				return s, fmt.Errorf("%s: docs_dir %q leaves the site's folder", join("mkdocs.yml"), cfg.DocsDir)
			}
		}
	}
	list, err := files.List()
	if err != nil {
		return s, err
	}
	prefix := join(s.DocsDir) + "/"
	var pages []string
	for _, f := range list {
		if rest, ok := strings.CutPrefix(f, prefix); ok && strings.HasSuffix(rest, ".md") {
			pages = append(pages, rest)
		}
	}
	if len(pages) == 0 {
		return s, fmt.Errorf("%s has no Markdown pages: %w", prefix, fs.ErrNotExist)
	}
	if cfg.Nav.Kind != 0 {
		s.Nav = s.readNav(&cfg.Nav, pages)
	} else {
		s.Nav = defaultNav(pages)
	}
	seen := map[string]bool{}
	var walk func(items []NavItem)
	walk = func(items []NavItem) {
		for _, it := range items {
			if it.Path != "" && !seen[it.Path] && slices.Contains(pages, it.Path) {
				seen[it.Path] = true
				s.Pages = append(s.Pages, it.Path)
			}
			walk(it.Children)
		}
	}
	walk(s.Nav)
	for _, p := range pages {
		if !seen[p] {
			s.Pages = append(s.Pages, p)
		}
	}
	return s, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// stripTags drops YAML tags mkdocs configs use for Python objects
// (!!python/name:…, !ENV, !relative) so the rest reads as plain YAML.
func stripTags(data []byte) []byte {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		for _, tag := range []string{"!!python/name:", "!!python/object/apply:", "!ENV ", "!relative"} {
			if j := strings.Index(l, tag); j >= 0 {
				lines[i] = l[:j] + `""`
			}
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// readNav reads mkdocs' nav: a list of pages ("page.md"), titled pages
// ({Title: page.md}), external links ({Title: https://…}) and sections
// ({Title: [...]}); `!include` (the monorepo plugin) is noted and skipped.
func (s *Site) readNav(n *yaml.Node, pages []string) []NavItem {
	var out []NavItem
	if n.Kind != yaml.SequenceNode {
		s.Warnings = append(s.Warnings, "nav is not a list; the pages are listed by file")
		return defaultNav(pages)
	}
	for _, item := range n.Content {
		switch item.Kind {
		case yaml.ScalarNode:
			out = append(out, s.navEntry("", item, pages))
		case yaml.MappingNode:
			for i := 0; i+1 < len(item.Content); i += 2 {
				out = append(out, s.navEntry(item.Content[i].Value, item.Content[i+1], pages))
			}
		}
	}
	return out
}

func (s *Site) navEntry(title string, v *yaml.Node, pages []string) NavItem {
	switch {
	case v.Kind == yaml.SequenceNode:
		return NavItem{Title: title, Children: s.readNav(v, pages)}
	case v.Tag == "!include" || strings.HasPrefix(v.Value, "!include"):
		s.Warnings = append(s.Warnings, fmt.Sprintf("nav entry %q includes another mkdocs.yml (%s), which Callboard does not follow yet", title, v.Value))
		return NavItem{Title: title}
	case external.MatchString(v.Value):
		return NavItem{Title: cmpOr(title, v.Value), URL: v.Value}
	}
	p := path.Clean(v.Value)
	if !slices.Contains(pages, p) {
		s.Warnings = append(s.Warnings, fmt.Sprintf("nav names %s, which is not in the docs folder", v.Value))
	}
	return NavItem{Title: cmpOr(title, titleFromPath(p)), Path: p}
}

// defaultNav is mkdocs' nav without a nav setting: index.md first, then the
// pages of each folder alphabetically, folders as sections.
func defaultNav(pages []string) []NavItem {
	sorted := slices.Clone(pages)
	slices.SortFunc(sorted, func(a, b string) int {
		da, db := path.Dir(a), path.Dir(b)
		if da != db {
			return strings.Compare(da, db)
		}
		ia, ib := path.Base(a) == "index.md", path.Base(b) == "index.md"
		switch {
		case ia && !ib:
			return -1
		case ib && !ia:
			return 1
		}
		return strings.Compare(a, b)
	})
	// Sections are built as a tree of pointers, then copied out, so no
	// slice growth moves a section that is still being filled.
	type section struct {
		title string
		items []any // string (a page) or *section
	}
	root := &section{}
	sections := map[string]*section{".": root}
	var sectionOf func(dir string) *section
	sectionOf = func(dir string) *section {
		if sec, ok := sections[dir]; ok {
			return sec
		}
		parent := sectionOf(path.Dir(dir))
		sec := &section{title: titleFromPath(dir + "/index.md")}
		parent.items = append(parent.items, sec)
		sections[dir] = sec
		return sec
	}
	for _, p := range sorted {
		sec := sectionOf(path.Dir(p))
		sec.items = append(sec.items, p)
	}
	var out func(sec *section) []NavItem
	out = func(sec *section) []NavItem {
		var items []NavItem
		for _, it := range sec.items {
			switch it := it.(type) {
			case string:
				items = append(items, NavItem{Title: titleFromPath(it), Path: it})
			case *section:
				items = append(items, NavItem{Title: it.title, Children: out(it)})
			}
		}
		return items
	}
	return out(root)
}

// Render renders one page of the site from files.
func (s Site) Render(files catalog.Files, page string, links Links) (Page, error) {
	if !slices.Contains(s.Pages, page) {
		return Page{}, fmt.Errorf("%s is not a page of %s: %w", page, s.Name, fs.ErrNotExist)
	}
	file := strings.TrimPrefix(path.Join(s.Root, s.DocsDir, page), "/")
	data, err := files.ReadFile(file)
	if err != nil {
		return Page{}, fmt.Errorf("read %s: %w", file, err)
	}
	// Snippets are read from the site's folder (pymdownx.snippets' base
	// path), never from outside the repository.
	include := func(name string) ([]byte, error) {
		p := path.Clean(path.Join(s.Root, name))
		if path.IsAbs(name) || strings.HasPrefix(p, "../") || p == ".." {
			return nil, fmt.Errorf("snippet %q leaves the repository", name)
		}
		return files.ReadFile(strings.TrimPrefix(p, "/"))
	}
	links.Permalink, links.Blocks = s.Permalink, s.Blocks
	return render(page, data, links, include)
}
