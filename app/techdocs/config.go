package techdocs

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
)

// mkdocsConfig is what Callboard reads of mkdocs.yml.
type mkdocsConfig struct {
	SiteName, DocsDir, RepoURL, EditURI string
	Nav                                 *yaml.Node
	Extensions                          []configEntry
	Plugins                             []configEntry
	// Redirects is mkdocs-redirects' redirect_maps: an old page's path
	// in the docs folder to where it moved, with its line in mkdocs.yml.
	Redirects []redirectEntry
	// file is mkdocs.yml's path and lineOffset what turns a node's line
	// into the file's, for problems found later (nav entries).
	file       string
	lineOffset int
}

// redirectEntry is one item of redirect_maps.
type redirectEntry struct {
	from, to string
	line     int
}

// configEntry is one entry of markdown_extensions or plugins: a name and
// its options (a mapping; nil when it has none).
type configEntry struct {
	name string
	opts *yaml.Node
}

// ConfigError is a mistake in mkdocs.yml: the file, where in it, the key
// it concerns (keys and indexes joined by dots) and what is wrong. MkDocs
// refuses to build such a site, and so does Load.
type ConfigError struct {
	File         string
	Line, Column int
	Key          string
	Message      string
}

func (e *ConfigError) Error() string {
	at := e.File
	if e.Line > 0 {
		at += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			at += ":" + strconv.Itoa(e.Column)
		}
	}
	if e.Key != "" {
		return at + ": " + e.Key + ": " + e.Message
	}
	return at + ": " + e.Message
}

// configReader reads one mkdocs.yml's nodes into an mkdocsConfig.
type configReader struct {
	file   string
	offset int // lines of the file before the document's
}

func (r *configReader) errorf(n *yaml.Node, key, format string, args ...any) *ConfigError {
	return &ConfigError{File: r.file, Line: n.Line + r.offset, Column: n.Column, Key: key, Message: fmt.Sprintf(format, args...)}
}

// readConfig reads mkdocs.yml's first document, once the catalog's YAML
// budget has found that its aliases expand to a bounded size: mkdocs.yml
// is as untrusted as any file of a repository. Every error is a
// *ConfigError naming file, line and key.
func readConfig(file string, data []byte) (mkdocsConfig, error) {
	var cfg mkdocsConfig
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			return cfg, yamlError(file, err)
		}
		n, err := doc.Node()
		if err != nil {
			return cfg, yamlError(file, err)
		}
		r := &configReader{file: file, offset: doc.Line() - n.Line}
		cfg.file, cfg.lineOffset = file, r.offset
		return cfg, r.read(n, &cfg)
	}
	return cfg, nil
}

// yamlError places an error of the YAML reader in file.
func yamlError(file string, err error) *ConfigError {
	var ye *catalog.YAMLError
	if errors.As(err, &ye) {
		return &ConfigError{File: file, Line: ye.Line, Column: ye.Column, Key: ye.Field, Message: ye.Message}
	}
	return &ConfigError{File: file, Message: err.Error()}
}

func (r *configReader) read(n *yaml.Node, cfg *mkdocsConfig) error {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return r.errorf(n, "", "must be a mapping of settings (site_name: …, nav: …), is %s", kindOf(n))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return r.errorf(k, "", "setting names must be plain words, not %s", kindOf(k))
		}
		var err error
		switch k.Value {
		case "site_name":
			cfg.SiteName, err = r.str(v, k.Value)
		case "docs_dir":
			cfg.DocsDir, err = r.docsDir(v)
		case "repo_url":
			cfg.RepoURL, err = r.str(v, k.Value)
		case "edit_uri":
			cfg.EditURI, err = r.str(v, k.Value)
		case "nav":
			if !isNull(v) {
				cfg.Nav = v
			}
		case "markdown_extensions":
			cfg.Extensions, err = r.extensions(v, k.Value, "extension")
		case "plugins":
			if cfg.Plugins, err = r.extensions(v, k.Value, "plugin"); err == nil {
				cfg.Redirects, err = r.redirects(cfg.Plugins)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// str reads a setting that is a string; null leaves it unset, as MkDocs
// takes its default then.
func (r *configReader) str(n *yaml.Node, key string) (string, error) {
	switch {
	case isNull(n):
		return "", nil
	case n.Kind != yaml.ScalarNode:
		return "", r.errorf(n, key, "must be a string, is %s", kindOf(n))
	}
	return n.Value, nil
}

// docsDir reads docs_dir, cleaned, which must stay inside the site's folder.
func (r *configReader) docsDir(n *yaml.Node) (string, error) {
	dir, err := r.str(n, "docs_dir")
	if err != nil || dir == "" {
		return "", err
	}
	clean := path.Clean(dir)
	if clean == ".." || strings.HasPrefix(clean, "../") || path.IsAbs(clean) {
		return "", r.errorf(n, "docs_dir", "%q leaves the site's folder", dir)
	}
	return clean, nil
}

// extensions reads markdown_extensions or plugins in every form MkDocs
// takes: a list of names and one-key mappings of a name to its options,
// or a mapping of names to options; options are a mapping or empty.
func (r *configReader) extensions(n *yaml.Node, key, what string) ([]configEntry, error) {
	one := "a " + what
	if what == "extension" {
		one = "an " + what
	}
	var out []configEntry
	entry := func(k, v *yaml.Node, at string) error {
		if !isName(k) {
			return r.errorf(k, at, "must be the name of %s, is %s", one, kindOf(k))
		}
		v = resolve(v)
		if v.Kind != yaml.MappingNode && !isFalsy(v) {
			return r.errorf(v, at+"."+k.Value, "the options of %s must be a mapping (option: value), are %s", k.Value, kindOf(v))
		}
		e := configEntry{name: k.Value}
		if v.Kind == yaml.MappingNode {
			e.opts = v
		}
		out = append(out, e)
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := entry(resolve(n.Content[i]), n.Content[i+1], key); err != nil {
				return nil, err
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			item = resolve(item)
			at := key + "." + strconv.Itoa(i)
			switch {
			case isName(item):
				out = append(out, configEntry{name: item.Value})
			case item.Kind == yaml.MappingNode && len(item.Content) == 2:
				if err := entry(resolve(item.Content[0]), item.Content[1], at); err != nil {
					return nil, err
				}
			case item.Kind == yaml.MappingNode && len(item.Content) == 0:
				return nil, r.errorf(item, at, "is an empty mapping: name %s, with its options under it", one)
			case item.Kind == yaml.MappingNode:
				var names []string
				for j := 0; j < len(item.Content); j += 2 {
					names = append(names, item.Content[j].Value)
				}
				hint := ""
				if len(names) > 1 {
					hint = fmt.Sprintf("; are the options of %s indented under it?", names[0])
				}
				return nil, r.errorf(item, at, "an item names one %s (with its options under it), this one names %d: %s%s", what, len(names), strings.Join(names, ", "), hint)
			default:
				return nil, r.errorf(item, at, "must be the name of %s or a mapping of one name to its options, is %s", one, kindOf(item))
			}
		}
	default:
		if isNull(n) {
			return nil, nil
		}
		return nil, r.errorf(n, key, "must be a list of %ss or a mapping of %s names to their options, is %s", what, what, kindOf(n))
	}
	return out, nil
}

// redirects reads the redirects plugin's redirect_maps, which
// mkdocs-redirects declares a dict: anything else fails the build, as
// MkDocs' config validation does. Keys and values are read as Python's
// str() reads them.
func (r *configReader) redirects(plugins []configEntry) ([]redirectEntry, error) {
	m := option(options(plugins)["redirects"], "redirect_maps")
	if m == nil || isNull(m) {
		return nil, nil
	}
	if m.Kind != yaml.MappingNode {
		return nil, r.errorf(m, "plugins.redirects.redirect_maps", "must be a mapping of old pages to new ones (old.md: new.md), is %s", kindOf(m))
	}
	var out []redirectEntry
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := resolve(m.Content[i]), resolve(m.Content[i+1])
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			return nil, r.errorf(k, "plugins.redirects.redirect_maps", "maps a page to a page or URL, not %s to %s", kindOf(k), kindOf(v))
		}
		out = append(out, redirectEntry{from: k.Value, to: v.Value, line: k.Line + r.offset})
	}
	return out, nil
}

// options gathers each name's options as MkDocs does: the last entry with
// options wins.
func options(exts []configEntry) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, e := range exts {
		if e.opts != nil {
			out[e.name] = e.opts
		}
	}
	return out
}

// blocks reads techdocs-core's use_pymdownx_blocks, or pymdownx.blocks.*
// among the extensions.
func (c mkdocsConfig) blocks() bool {
	for _, p := range c.Plugins {
		if p.name == "techdocs-core" {
			if b, ok := pyBool(option(p.opts, "use_pymdownx_blocks")); ok && b {
				return true
			}
		}
	}
	for _, e := range c.Extensions {
		if strings.HasPrefix(e.name, "pymdownx.blocks.") {
			return true
		}
	}
	return false
}

// permalink reads toc's permalink option from markdown_extensions: false
// is none, a string that string, anything else "¶" (techdocs-core's).
func (c mkdocsConfig) permalink() string {
	v := option(options(c.Extensions)["toc"], "permalink")
	if b, ok := pyBool(v); ok {
		if !b {
			return ""
		}
		return "¶"
	}
	if v != nil && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
		return v.Value
	}
	return "¶"
}

// option is the value of key in an options mapping, or nil.
func option(opts *yaml.Node, key string) *yaml.Node {
	if opts == nil {
		return nil
	}
	for i := 0; i+1 < len(opts.Content); i += 2 {
		if resolve(opts.Content[i]).Value == key {
			return resolve(opts.Content[i+1])
		}
	}
	return nil
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func plain(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

// isName says n is a string, as the name of an extension or plugin must be.
func isName(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str"
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// pyBool reads a boolean as MkDocs' YAML reader (YAML 1.1) does, so
// `yes` and `off` count too; ok is false for anything else.
func pyBool(n *yaml.Node) (value, ok bool) {
	if n == nil || !plain(n) {
		return false, false
	}
	switch n.Value {
	case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON":
		return true, true
	case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

// isFalsy is what Python treats as no options: null, false, "", 0.
func isFalsy(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return len(n.Content) == 0
	}
	if isNull(n) {
		return true
	}
	if b, ok := pyBool(n); ok {
		return !b
	}
	if n.Value == "" {
		return true
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	return plain(n) && err == nil && f == 0
}

// kindOf names what a node holds, for messages.
func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch {
	case isNull(n):
		return "empty"
	case n.ShortTag() == "!!bool":
		return "a boolean"
	case n.ShortTag() == "!!int" || n.ShortTag() == "!!float":
		return "a number"
	}
	return fmt.Sprintf("the string %q", n.Value)
}
