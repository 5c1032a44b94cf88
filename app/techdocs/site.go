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
	// Problems are the nav entries without a file and the redirects to
	// nothing, each with its line in mkdocs.yml.
	Problems []Problem `json:"problems,omitempty"`
	// redirects is redirect_maps: an old page to where it moved.
	redirects map[string]string
	// pages is Pages as a set.
	pages map[string]bool
	// mounts are the sites the monorepo plugin's `!include` brings in:
	// their pages live under a folder named after their site_name.
	mounts []mount
}

// Problem is a link, nav entry or redirect that leads nowhere: where it
// is (a file of the repository and its line, 0 when unknown), what it
// names and why that fails.
type Problem struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Target string `json:"target"`
	Why    string `json:"why"`
}

// mount is an included site: pages under Prefix/ are read from Dir.
type mount struct {
	prefix, root, dir string
	// permalink and blocks are the included site's own settings.
	permalink string
	blocks    bool
}

// maxIncludeDepth bounds `!include` chains (a site including itself is
// refused before that).
const maxIncludeDepth = 5

// Load reads the site whose mkdocs.yml is in folder root of files ("" or
// "." for the repository root). A folder with a docs/ folder but no
// mkdocs.yml is a site too, named after the folder, as TechDocs treats it.
func Load(files catalog.Files, root string) (Site, error) {
	return load(files, root, nil)
}

// load reads a site; including lists the sites (by folder) whose nav is
// including this one, to refuse cycles.
func load(files catalog.Files, root string, including []string) (Site, error) {
	root = strings.Trim(path.Clean("/"+root), "/")
	join := func(p ...string) string { return strings.TrimPrefix(path.Join(append([]string{root}, p...)...), "/") }
	s := Site{Root: root, DocsDir: "docs", Permalink: "¶"}
	file := join("mkdocs.yml")
	data, err := catalog.ReadLimited(files, file)
	if errors.Is(err, fs.ErrNotExist) {
		file = join("mkdocs.yaml")
		data, err = catalog.ReadLimited(files, file)
	}
	var cfg mkdocsConfig
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.Name = path.Base(cmpOr(root, "Documentation"))
	case err != nil:
		return s, fmt.Errorf("read %s: %w", file, err)
	default:
		if cfg, err = readConfig(file, stripTags(data)); err != nil {
			return s, err
		}
		s.Name, s.RepoURL, s.EditURI, s.Permalink, s.Blocks = cfg.SiteName, cfg.RepoURL, cfg.EditURI, cfg.permalink(), cfg.blocks()
		s.DocsDir = cmpOr(cfg.DocsDir, s.DocsDir)
		s.Warnings = append(s.Warnings, cfg.unsupported()...)
	}
	list, err := files.List()
	if err != nil {
		return s, err
	}
	prefix := join(s.DocsDir) + "/"
	var pages []string
	inDocs := false
	for _, f := range list {
		rest, ok := strings.CutPrefix(f, prefix)
		inDocs = inDocs || ok
		if ok && strings.HasSuffix(rest, ".md") {
			pages = append(pages, rest)
		}
	}
	switch {
	case len(pages) > 0:
	case !inDocs && file != "" && cfg.file != "":
		// As mkdocs says it: the setting names a folder that is not there
		// (a copy of a built site, or docs_dir left at its default).
		return s, fmt.Errorf("%s: docs_dir %s: %w", file, prefix, fs.ErrNotExist)
	default:
		return s, fmt.Errorf("%s has no Markdown pages: %w", prefix, fs.ErrNotExist)
	}
	if cfg.Nav != nil {
		nl := navLoader{site: &s, files: files, pages: pages, including: append(including, root), file: cfg.file, lineOffset: cfg.lineOffset}
		s.Nav = nl.readNav(cfg.Nav)
		pages = nl.pages
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
	s.pages = make(map[string]bool, len(s.Pages))
	for _, p := range s.Pages {
		s.pages[p] = true
	}
	s.readRedirects(cfg.file, cfg.Redirects)
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

// navLoader reads one site's nav; pages grows with included sites' pages.
type navLoader struct {
	site      *Site
	files     catalog.Files
	pages     []string
	including []string
	// file is the site's mkdocs.yml and lineOffset what turns a node's
	// line into the file's.
	file       string
	lineOffset int
}

// readNav reads mkdocs' nav: a list of pages ("page.md"), titled pages
// ({Title: page.md}), external links ({Title: https://…}), sections
// ({Title: [...]}) and the monorepo plugin's includes ({Title: "!include
// path/mkdocs.yml"}).
func (l *navLoader) readNav(n *yaml.Node) []NavItem {
	var out []NavItem
	if n.Kind != yaml.SequenceNode {
		l.site.Warnings = append(l.site.Warnings, "nav is not a list; the pages are listed by file")
		return defaultNav(l.pages)
	}
	for _, item := range n.Content {
		switch item.Kind {
		case yaml.ScalarNode:
			out = append(out, l.navEntry("", item))
		case yaml.MappingNode:
			for i := 0; i+1 < len(item.Content); i += 2 {
				out = append(out, l.navEntry(item.Content[i].Value, item.Content[i+1]))
			}
		}
	}
	return out
}

func (l *navLoader) navEntry(title string, v *yaml.Node) NavItem {
	switch {
	case v.Kind == yaml.SequenceNode:
		return NavItem{Title: title, Children: l.readNav(v)}
	case v.Tag == "!include":
		return l.include(title, v.Value)
	case strings.HasPrefix(v.Value, "!include "):
		return l.include(title, strings.TrimPrefix(v.Value, "!include "))
	case external.MatchString(v.Value):
		return NavItem{Title: cmpOr(title, v.Value), URL: v.Value}
	}
	p := path.Clean(v.Value)
	if !slices.Contains(l.pages, p) {
		l.site.Warnings = append(l.site.Warnings, fmt.Sprintf("nav names %s, which is not in the docs folder", v.Value))
		l.site.Problems = append(l.site.Problems, Problem{File: l.file, Line: v.Line + l.lineOffset, Target: v.Value, Why: "the nav names a page that is not in the docs folder"})
	}
	return NavItem{Title: cmpOr(title, titleFromPath(p)), Path: p}
}

// include reads the site whose mkdocs.yml the monorepo plugin's `!include`
// names (relative to this site's folder) and mounts its pages under its
// site_name, as the plugin does; a section titled title holds its nav.
func (l *navLoader) include(title, spec string) NavItem {
	s := l.site
	spec = strings.TrimSpace(spec)
	cfg := path.Clean(path.Join(s.Root, spec))
	warn := func(why string) NavItem {
		s.Warnings = append(s.Warnings, fmt.Sprintf("nav entry %q includes %s, which %s", title, spec, why))
		return NavItem{Title: title}
	}
	switch {
	case path.IsAbs(spec) || cfg == ".." || strings.HasPrefix(cfg, "../"):
		return warn("leaves the repository")
	case path.Base(cfg) != "mkdocs.yml" && path.Base(cfg) != "mkdocs.yaml":
		return warn("is not an mkdocs.yml")
	case len(l.including) >= maxIncludeDepth:
		return warn(fmt.Sprintf("nests includes deeper than %d", maxIncludeDepth))
	case slices.Contains(l.including, strings.Trim(path.Clean("/"+path.Dir(cfg)), "/")):
		return warn("includes this site again")
	}
	if _, err := l.files.Size(cfg); errors.Is(err, fs.ErrNotExist) {
		return warn("does not exist")
	}
	sub, err := load(l.files, path.Dir(cfg), l.including)
	if err != nil {
		return warn(fmt.Sprintf("could not be read: %v", err))
	}
	alias := sub.Name
	if alias == "" || strings.ContainsAny(alias, "/\\") || alias == "." || alias == ".." {
		return warn("has no usable site_name to place its pages under")
	}
	for _, m := range s.mounts {
		if m.prefix == alias {
			return warn(fmt.Sprintf("has the site_name %q of another included site", alias))
		}
	}
	for _, p := range l.pages {
		if strings.HasPrefix(p, alias+"/") {
			return warn(fmt.Sprintf("would place its pages in %s/, which the docs folder already has", alias))
		}
	}
	s.mounts = append(s.mounts, mount{prefix: alias, root: sub.Root, dir: strings.TrimPrefix(path.Join(sub.Root, sub.DocsDir), "/"), permalink: sub.Permalink, blocks: sub.Blocks})
	for _, m := range sub.mounts {
		m.prefix = alias + "/" + m.prefix
		s.mounts = append(s.mounts, m)
	}
	for _, p := range sub.Pages {
		l.pages = append(l.pages, alias+"/"+p)
	}
	for _, w := range sub.Warnings {
		s.Warnings = append(s.Warnings, alias+": "+w)
	}
	s.Problems = append(s.Problems, sub.Problems...)
	return NavItem{Title: cmpOr(title, sub.Name), Children: prefixNav(sub.Nav, alias)}
}

// prefixNav moves an included site's nav under its folder.
func prefixNav(items []NavItem, prefix string) []NavItem {
	out := make([]NavItem, len(items))
	for i, it := range items {
		if it.Path != "" {
			it.Path = prefix + "/" + it.Path
		}
		it.Children = prefixNav(it.Children, prefix)
		out[i] = it
	}
	return out
}

// File is the repository path of a page or asset of the site, given by its
// path in the docs folder (included sites' files in their own folders).
func (s Site) File(p string) string {
	if m, rest, ok := s.mountOf(p); ok {
		return path.Join(m.dir, rest)
	}
	return strings.TrimPrefix(path.Join(s.Root, s.DocsDir, p), "/")
}

// mountOf finds the included site p belongs to, the longest prefix first.
func (s Site) mountOf(p string) (mount, string, bool) {
	best, rest, found := mount{}, "", false
	for _, m := range s.mounts {
		if r, ok := strings.CutPrefix(p, m.prefix+"/"); ok && (!found || len(m.prefix) > len(best.prefix)) {
			best, rest, found = m, r, true
		}
	}
	return best, rest, found
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

// Page finds the page a docs URL names, as mkdocs serves them: "" is the
// home page; "guides/setup/", "guides/setup" and "guides/setup.md" are
// guides/setup.md or guides/setup/index.md.
func (s Site) Page(p string) (string, bool) {
	p = strings.Trim(path.Clean("/"+p), "/")
	candidates := []string{p, p + ".md", path.Join(p, "index.md"), strings.TrimSuffix(p, ".html") + ".md"}
	if p == "" {
		candidates = []string{"index.md", "README.md"}
	}
	for _, c := range candidates {
		if slices.Contains(s.Pages, c) {
			return c, true
		}
	}
	return "", false
}

// Render renders one page of the site from files.
func (s Site) Render(files catalog.Files, page string, links Links) (Page, error) {
	if !slices.Contains(s.Pages, page) {
		return Page{}, fmt.Errorf("%s is not a page of %s: %w", page, s.Name, fs.ErrNotExist)
	}
	file := s.File(page)
	data, err := files.ReadFile(file)
	if err != nil {
		return Page{}, fmt.Errorf("read %s: %w", file, err)
	}
	// Snippets are read from the site's folder (pymdownx.snippets' base
	// path), never from outside the repository.
	base, permalink, blocks := s.Root, s.Permalink, s.Blocks
	if m, _, ok := s.mountOf(page); ok {
		base, permalink, blocks = m.root, m.permalink, m.blocks
	}
	include := func(name string) ([]byte, error) {
		p := path.Clean(path.Join(base, name))
		if path.IsAbs(name) || strings.HasPrefix(p, "../") || p == ".." {
			return nil, fmt.Errorf("snippet %q leaves the repository", name)
		}
		return files.ReadFile(strings.TrimPrefix(p, "/"))
	}
	links.Permalink, links.Blocks, links.site = permalink, blocks, &s
	return render(page, data, links, include)
}
