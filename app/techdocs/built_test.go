package techdocs

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestBuiltPage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, doc, title, html string
	}{
		{"the article alone", `<html><head><title>T</title><script>x()</script></head><body><nav>menu</nav><article class="md-content__inner"><h1 id="a">Alpha</h1><p>text</p></article></body></html>`,
			"Alpha", "<p>text</p>"},
		{"the body without an article", `<body><h2>Only</h2><img src="x" onerror="x()"></body>`, "", "<h2"},
		{"the title from the head", `<title>Head &amp; title</title><p>x</p>`, "Head & title", "<p>x</p>"},
		{"scripts and handlers dropped", `<article><p onclick="x()">p</p><script>x()</script><iframe src="e"></iframe></article>`, "", "<p>p</p>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := BuiltPage("index.html", []byte(tc.doc))
			if p.Title != tc.title || !strings.Contains(p.HTML, tc.html) || strings.Contains(p.HTML, "x()") || strings.Contains(p.HTML, "menu") {
				t.Errorf("BuiltPage: title %q, html %q; want title %q, html with %q", p.Title, p.HTML, tc.title, tc.html)
			}
		})
	}
}

// FuzzBuiltPage: any bytes a TechDocs storage serves give a page without
// scripts, handlers or frames.
func FuzzBuiltPage(f *testing.F) {
	f.Add([]byte(`<article><h1>T</h1><script>x</script></article>`))
	f.Add([]byte(`<body><a href="javascript:x()">l</a></body>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p := BuiltPage("index.html", doc)
		z := html.NewTokenizer(strings.NewReader(p.HTML))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			if tok.Data == "script" || tok.Data == "iframe" || tok.Data == "style" {
				t.Fatalf("<%s> kept in %q", tok.Data, p.HTML)
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(a.Key, "on") || (a.Key == "href" || a.Key == "src") && strings.HasPrefix(v, "javascript:") {
					t.Fatalf("%s=%q kept in %q", a.Key, a.Val, p.HTML)
				}
			}
		}
	})
}
