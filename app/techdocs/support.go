package techdocs

import (
	"fmt"
	"strings"
)

// renderedPlugins are the mkdocs plugins whose work Callboard does:
// techdocs-core and the plugins it brings (search, monorepo, redirects).
var renderedPlugins = map[string]bool{
	"techdocs-core": true, "search": true, "material/search": true, "monorepo": true, "redirects": true,
}

// renderedExtensions are the Markdown extensions the renderer follows:
// those techdocs-core enables, and python-markdown's extra that bundles
// some of them. Any pymdownx.blocks.* turns the /// syntax on.
var renderedExtensions = map[string]bool{
	"abbr": true, "admonition": true, "attr_list": true, "codehilite": true, "def_list": true,
	"extra": true, "fenced_code": true, "footnotes": true, "md_in_html": true, "meta": true,
	"sane_lists": true, "tables": true, "toc": true, "mdx_truly_sane_lists": true,
	"markdown_inline_graphviz": true, "plantuml_markdown": true,
	"pymdownx.betterem": true, "pymdownx.caret": true, "pymdownx.critic": true, "pymdownx.details": true,
	"pymdownx.emoji": true, "pymdownx.extra": true, "pymdownx.highlight": true, "pymdownx.inlinehilite": true,
	"pymdownx.magiclink": true, "pymdownx.mark": true, "pymdownx.smartsymbols": true, "pymdownx.snippets": true,
	"pymdownx.superfences": true, "pymdownx.tabbed": true, "pymdownx.tasklist": true, "pymdownx.tilde": true,
}

// unsupported says which of mkdocs.yml's plugins and extensions the site
// renders without. MkDocs fails a build naming a plugin it has not
// installed; a reader is better served by the pages with a note, since
// what such a plugin adds (macros, dates, versions) is rarely the page.
func (c mkdocsConfig) unsupported() []string {
	var plugins, exts []string
	for _, p := range c.Plugins {
		if !renderedPlugins[p.name] {
			plugins = append(plugins, p.name)
		}
	}
	for _, e := range c.Extensions {
		name := strings.TrimPrefix(e.name, "markdown.extensions.")
		if !renderedExtensions[name] && !strings.HasPrefix(name, "pymdownx.blocks.") {
			exts = append(exts, e.name)
		}
	}
	var notes []string
	if len(plugins) > 0 {
		notes = append(notes, fmt.Sprintf("%s: plugins not run here, pages show without what they add: %s", c.file, strings.Join(plugins, ", ")))
	}
	if len(exts) > 0 {
		notes = append(notes, fmt.Sprintf("%s: Markdown extensions not run here, their syntax shows as written: %s", c.file, strings.Join(exts, ", ")))
	}
	return notes
}
