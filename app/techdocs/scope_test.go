package techdocs

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// A page cannot use the app's classes or ids: a page that drew the app's
// own .modal-backdrop as a "session expired" dialog gets a class of its
// own, and nothing remote is fetched when a page opens.
func TestScope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		md          string
		links       Links
		want        []string
		absent      []string
		remote      int
		remoteHosts []string
	}{
		{"the app's classes on raw HTML", "<div class=\"modal-backdrop\"><div class=\"modal\" id=\"root\">Session expired, re-enter your token</div></div>\n",
			Links{}, []string{`<div class="doc-modal-backdrop"><div class="doc-modal" id="doc-root">`}, []string{`class="modal`, `id="root"`}, 0, nil},
		{"an admonition typed as an app class", "!!! modal-backdrop \"Session expired\"\n    Re-enter your token.\n",
			Links{}, []string{`<div class="admonition doc-modal-backdrop">`, `<p class="admonition-title">Session expired</p>`}, []string{`"modal-backdrop`, ` modal-backdrop"`}, 0, nil},
		{"attribute lists", "## Title { .palette-overlay #main }\n\nText { .modal }\n", Links{},
			[]string{`id="doc-main"`, `class="doc-palette-overlay"`}, []string{`"palette-overlay"`, `id="main"`, `id="doc-title"`}, 0, nil},
		{"anchors follow their ids; app routes stay", "[up](#root) [other](other.md#setup)\n\n<a href=\"#/catalog\">route</a>\n",
			Links{Page: func(p, a string) string { return "#/docs/" + p + "?anchor=" + a }},
			[]string{`href="#doc-root"`, `href="#/docs/other.md?anchor=doc-setup"`, `href="#/catalog"`}, []string{`href="#root"`}, 0, nil},
		{"the renderer's own classes are kept", "!!! warning\n    x\n\n```go\nx := 1\n```\n\n- [x] done\n",
			Links{}, []string{`class="admonition warning"`, `class="language-go highlight"`, `class="chroma"`, `class="task-list"`}, []string{`doc-admonition`, `doc-chroma`, `doc-language`}, 0, nil},
		{"a tracking pixel and a remote image wait", "![](https://tracker.example/p.gif?u=ada)\n\n<img src=\"//cdn.example/logo.png\" alt=\"logo\">\n\n![again](https://tracker.example/q.gif)\n",
			Links{}, []string{`data-remote-src="https://tracker.example/p.gif?u=ada"`, `data-remote-src="//cdn.example/logo.png"`}, []string{` src=`}, 3, []string{"tracker.example", "cdn.example"}},
		{"a remote address without a host is dropped", "x <img alt=\"a\" src=\"https:tracker.example/p.gif\"> <img alt=\"b\" src=\"http:\\\\tracker.example/q.gif\">\n",
			Links{}, []string{`<img alt="a">`, `<img alt="b">`}, []string{"tracker"}, 0, nil},
		{"images inlined as data URIs show", "![dot](dot.png)\n", Links{Asset: func(string) string { return "data:image/png;base64,iVBORw0KGgo=" }},
			[]string{`src="data:image/png;base64,iVBORw0KGgo="`}, []string{RemoteSrc}, 0, nil},
		{"a static build keeps remote images", "![](https://img.example/a.png)\n", Links{KeepRemoteImages: true},
			[]string{`src="https://img.example/a.png"`}, []string{RemoteSrc}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := render("page.md", []byte(tt.md), tt.links, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.HTML, w) {
					t.Errorf("HTML lacks %s:\n%s", w, p.HTML)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(p.HTML, a) {
					t.Errorf("HTML holds %s:\n%s", a, p.HTML)
				}
			}
			if p.RemoteImages != tt.remote || !slices.Equal(p.RemoteHosts, tt.remoteHosts) {
				t.Errorf("remote images %d from %v, want %d from %v", p.RemoteImages, p.RemoteHosts, tt.remote, tt.remoteHosts)
			}
			if !tt.links.KeepRemoteImages {
				if bad := unscoped(p.HTML); bad != "" {
					t.Errorf("%s:\n%s", bad, p.HTML)
				}
			}
		})
	}
	p, err := render("page.md", []byte("# Runbook\n\n## Roll back\n"), Links{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Heading{{1, "doc-runbook", "Runbook"}, {2, "doc-roll-back", "Roll back"}}, p.TOC); diff != "" {
		t.Errorf("the outline names the ids the page has (-want +got):\n%s", diff)
	}
}

// unscoped names the first thing in doc a page must not have in the app:
// a class neither the renderer's nor prefixed, an id (or a reference to
// one) without the prefix, or an image fetched from elsewhere on opening.
func unscoped(doc string) string {
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return ""
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		for _, a := range tok.Attr {
			switch a.Key {
			case "class":
				for _, c := range strings.Fields(a.Val) {
					if !safeClass(c) && !strings.HasPrefix(c, idPrefix) {
						return "class " + c
					}
				}
			case "id", "name", "for":
				if !strings.HasPrefix(a.Val, idPrefix) {
					return a.Key + " " + a.Val
				}
			case "href", "usemap":
				if rest, ok := strings.CutPrefix(a.Val, "#"); ok && rest != "" && !strings.HasPrefix(rest, "/") && !strings.HasPrefix(rest, idPrefix) {
					return a.Key + " " + a.Val
				}
			case "src", "srcset", "poster", "background":
				if _, remote := remoteHost(a.Val); remote {
					return tok.Data + " " + a.Key + " " + a.Val
				}
			}
		}
	}
}

// The classes scope keeps are not ones the app styles outside the docs
// reader: the app's stylesheets use them only under .docs-content.
func TestSafeClassesAreNotTheApps(t *testing.T) {
	t.Parallel()
	sheets, err := filepath.Glob("../../frontend/src/styles/*.css")
	if err != nil || len(sheets) == 0 {
		t.Fatalf("no stylesheets: %v", err)
	}
	class := regexp.MustCompile(`\.([A-Za-z_][\w-]*)`)
	var all []string
	for _, sheet := range sheets {
		css, err := os.ReadFile(sheet)
		if err != nil {
			t.Fatal(err)
		}
		sels := selectors(string(css))
		all = append(all, sels...)
		for _, sel := range sels {
			if strings.HasPrefix(sel, ".docs-content") {
				continue
			}
			for _, m := range class.FindAllStringSubmatch(sel, -1) {
				if safeClass(m[1]) || strings.HasPrefix(m[1], idPrefix) {
					t.Errorf("%s: %q styles the app with %s, a class docs pages may carry", filepath.Base(sheet), sel, m[1])
				}
			}
		}
	}
	if !slices.Contains(all, ".modal-backdrop") {
		t.Errorf("the stylesheets were not read: %d selectors, none .modal-backdrop", len(all))
	}
}

// selectors lists the selectors of a stylesheet's rules, in @media and
// other at-rule blocks too.
func selectors(css string) []string {
	css = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, "")
	var out []string
	var walk func(s string)
	walk = func(s string) {
		for {
			open := strings.IndexByte(s, '{')
			if open < 0 {
				return
			}
			prelude := strings.TrimSpace(s[:open])
			if i := strings.LastIndexAny(prelude, ";}"); i >= 0 {
				prelude = strings.TrimSpace(prelude[i+1:])
			}
			depth, end := 0, len(s)
			for i := open; i < len(s); i++ {
				if s[i] == '{' {
					depth++
				} else if s[i] == '}' {
					if depth--; depth == 0 {
						end = i
						break
					}
				}
			}
			if strings.HasPrefix(prelude, "@") {
				walk(s[open+1 : end])
			} else {
				out = append(out, splitSelectors(prelude)...)
			}
			if end >= len(s) {
				return
			}
			s = s[end+1:]
		}
	}
	walk(css)
	return out
}

// splitSelectors splits a selector list at the commas outside parentheses
// (`:is(h1, h2) .x` is one selector).
func splitSelectors(list string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range list {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(list[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(list[start:]))
}
