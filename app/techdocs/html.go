package techdocs

import (
	"regexp"
	"strings"
	"sync"
)

// md_in_html: an HTML block whose opening tag carries `markdown`
// (`markdown="1"`, `"block"`, `"span"`) has Markdown inside. CommonMark
// reads an HTML block up to the next blank line, so the opening and the
// matching closing tag are set apart by blank lines, which makes what is
// between them Markdown, and the attribute is dropped as python-markdown
// drops it.
var (
	mdOpenTag = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(\s{0,3})<([a-zA-Z][a-zA-Z0-9-]*)([^>]*?)\s+markdown(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?([^>]*)>\s*$`)
	})
	htmlTagRun = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>`) })
)

func markdownInHTML(src []byte) []byte {
	if !strings.Contains(string(src), "markdown") {
		return src
	}
	lines := strings.SplitAfter(string(src), "\n")
	var out strings.Builder
	out.Grow(len(src) + 64)
	fence := ""
	// open holds, per md_in_html element still open, its tag and depth.
	type element struct {
		tag   string
		depth int
	}
	var open []element
	for _, l := range lines {
		trimmed := strings.TrimSpace(l)
		if f := fenceMarker(trimmed); f != "" && (fence == "" || strings.HasPrefix(trimmed, fence)) {
			if fence == "" {
				fence = f
			} else if strings.TrimLeft(trimmed, f[:1]) == "" {
				fence = ""
			}
			out.WriteString(l)
			continue
		}
		if fence != "" {
			out.WriteString(l)
			continue
		}
		if m := mdOpenTag().FindStringSubmatch(strings.TrimRight(l, "\r\n")); m != nil {
			out.WriteString(m[1] + "<" + m[2] + m[3] + m[4] + ">\n\n")
			open = append(open, element{tag: strings.ToLower(m[2])})
			continue
		}
		if len(open) > 0 {
			top := &open[len(open)-1]
			closed := false
			for _, t := range htmlTagRun().FindAllStringSubmatch(l, -1) {
				if strings.ToLower(t[2]) != top.tag || t[3] == "/" {
					continue
				}
				if t[1] == "" {
					top.depth++
				} else if top.depth > 0 {
					top.depth--
				} else {
					closed = true
					break
				}
			}
			if closed {
				out.WriteString("\n")
				out.WriteString(l)
				open = open[:len(open)-1]
				continue
			}
		}
		out.WriteString(l)
	}
	return []byte(out.String())
}

// fenceMarker returns the ``` or ~~~ run a code fence line starts with.
func fenceMarker(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 {
			return line[:n]
		}
	}
	return ""
}
