package techdocs

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"golang.org/x/net/html"
)

// Pages are shown inside the app, so a page's classes and ids must not be
// the app's: with the app's own .modal-backdrop a page could draw a fake
// dialog over the window. scope keeps the classes the renderer emits,
// prefixes every other class and every id (and what points at an id), and
// keeps remote images from loading until the reader allows them.

// idPrefix goes before every id of a page and every class its author
// chose; the app has no id or class starting with it.
const idPrefix = "doc-"

// RemoteSrc is the attribute a remote image's address moves to: the reader
// puts it back as src once the user allows images from its host.
const RemoteSrc = "data-remote-src"

// safeClasses are the classes the renderer emits: mkdocs-material's for
// admonitions (with their types), details, tabs, task lists, footnotes,
// permalinks, critic marks, diagrams and code, and chroma's token classes.
var safeClasses = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`admonition admonition-title headerlink highlight filename mermaid diagram-source
		tabbed-set tabbed-alternate tabbed-labels tabbed-content tabbed-block
		task-list task-list-item task-list-control task-list-indicator
		footnotes footnote-ref footnote-backref critic comment
		note abstract summary tldr info todo tip hint important success check done question help faq
		warning caution attention failure fail missing danger error bug example quote cite`) {
		m[c] = true
	}
	for _, c := range chroma.StandardTypes {
		m[c] = true
	}
	return m
}()

// languageClass is the class a highlighted block names its language with.
var languageClass = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]+$`)

func safeClass(c string) bool { return safeClasses[c] || languageClass.MatchString(c) }

// scopeID is a page's id (or anchor) as the page's HTML carries it.
func scopeID(id string) string {
	if id == "" {
		return ""
	}
	return idPrefix + id
}

// scoped is a page's HTML after scope, with the hosts of the remote images
// it holds back (each once, in order of appearance).
type scoped struct {
	html        string
	remote      int
	remoteHosts []string
}

// scope rewrites sanitised HTML (see the package comment above): only the
// start tags it changes are written again; everything else is copied as
// it was. keepRemote leaves remote images as they are. The highlighted
// blocks splice holds go where their placeholders are text.
func scope(doc string, keepRemote bool, splice *codeSplice) scoped {
	var out scoped
	var b strings.Builder
	b.Grow(len(doc) + len(doc)/16)
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// io.EOF: the tokenizer has no buffer limit to exceed.
			break
		}
		if tt == html.TextToken && splice.fill(&b, z.Raw()) {
			continue
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(z.Raw())
			continue
		}
		raw := string(z.Raw())
		tok := z.Token()
		if !out.rewrite(&tok, keepRemote) {
			b.WriteString(raw)
			continue
		}
		b.WriteString(tok.String())
	}
	out.html = b.String()
	return out
}

// rewrite scopes one start tag's attributes, and reports whether any
// changed.
func (s *scoped) rewrite(tok *html.Token, keepRemote bool) bool {
	changed := false
	attrs := tok.Attr[:0]
	for _, a := range tok.Attr {
		old := a
		switch a.Key {
		case "class":
			cls := strings.Fields(a.Val)
			for i, c := range cls {
				if !safeClass(c) {
					cls[i] = idPrefix + c
				}
			}
			a.Val = strings.Join(cls, " ")
		case "id", "name", "for":
			if a.Val == "" {
				// Names nothing; dropped so no unscoped name is left.
				changed = true
				continue
			}
			a.Val = scopeID(a.Val)
		case "href", "usemap":
			// "#/…" is an app route (Links.Page), not an anchor.
			if rest, ok := strings.CutPrefix(a.Val, "#"); ok && !strings.HasPrefix(rest, "/") {
				a.Val = "#" + scopeID(rest)
			}
		case "src":
			if tok.Data != "img" || keepRemote {
				break
			}
			host, remote := remoteHost(a.Val)
			if remote && host == "" {
				// Another host, spelt so it cannot be named ("https:x"): no
				// one can allow it, so it is not kept.
				changed = true
				continue
			}
			if remote {
				a.Key = RemoteSrc
				s.remote++
				if !slices.Contains(s.remoteHosts, host) {
					s.remoteHosts = append(s.remoteHosts, host)
				}
			}
		}
		if a != old {
			changed = true
		}
		attrs = append(attrs, a)
	}
	tok.Attr = attrs
	return changed
}

// remoteHost says whether src is fetched from another host (an absolute or
// scheme-relative URL that is not a data: URI), and which.
func remoteHost(src string) (string, bool) {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(src)), "data:") {
		return "", false
	}
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil {
		// The sanitiser lets only parsed URLs through; be safe anyway: an
		// address that does not parse is dropped.
		return "", true
	}
	if u.Host == "" && u.Scheme == "" {
		return "", false
	}
	return strings.ToLower(u.Host), true
}
