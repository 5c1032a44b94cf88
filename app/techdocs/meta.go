package techdocs

import (
	"bytes"
	"regexp"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
)

var (
	// yamlMeta is mkdocs' YAML_RE (mkdocs.utils.meta): front matter
	// between --- and --- or ..., at the very start of the page.
	yamlMeta = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\A-{3}[ \t]*\r?\n((?s:.*?)\r?\n)(?:\.{3}|-{3})[ \t]*\r?\n`)
	})
	// mmdMeta and mmdMore are its META_RE and META_MORE_RE: MultiMarkdown
	// `Key: value` lines and their indented continuations.
	mmdMeta = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^ {0,3}[A-Za-z0-9_-]+:\s*`) })
	mmdMore = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^ {4,}`) })
)

// blankMeta takes out a page's metadata as mkdocs does before Markdown
// sees the page (mkdocs.utils.meta.get_data): YAML front matter that reads
// as a mapping, else MultiMarkdown `Key: value` lines up to the first
// blank line or other line. Each line taken becomes an empty one, so the
// rest of the page keeps its line numbers.
func blankMeta(src []byte) []byte {
	if m := yamlMeta().FindSubmatchIndex(src); m != nil {
		if isMapping(src[m[2]:m[3]]) {
			return blankLines(src, m[1])
		}
		// Delimiters around something else: mkdocs keeps the page whole.
		return src
	}
	end, continues := 0, false
	for end < len(src) {
		line := src[end:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		text := bytes.TrimRight(line, "\r\n")
		switch {
		case len(bytes.TrimSpace(text)) == 0:
			// mkdocs drops the blank line that ends the metadata too.
			return blankLines(src, end+len(line))
		case mmdMeta().Match(text):
			continues = true
		case continues && mmdMore().Match(text):
		default:
			return blankLines(src, end)
		}
		end += len(line)
	}
	return blankLines(src, end)
}

// isMapping says front matter is a YAML mapping, as mkdocs requires to
// take it out; read within the catalog's YAML budget.
func isMapping(data []byte) bool {
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			return false
		}
		n, err := doc.Node()
		return err == nil && n.Kind == yaml.MappingNode
	}
	return false
}

// blankLines replaces src[:end] with as many line breaks as it holds.
func blankLines(src []byte, end int) []byte {
	if end == 0 {
		return src
	}
	n := bytes.Count(src[:end], []byte("\n"))
	out := make([]byte, 0, n+len(src)-end)
	out = append(out, bytes.Repeat([]byte("\n"), n)...)
	return append(out, src[end:]...)
}
