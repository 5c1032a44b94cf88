package techdocs

import (
	"strings"
	"testing"
)

// TestCodeSpliceHostilePages renders pages that try to use the path
// highlighted code takes around the sanitiser: code that closes its block
// and opens a script, a block inside an attribute or a stripped element,
// and placeholders written by hand.
func TestCodeSpliceHostilePages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		md     string
		blocks int // highlighted blocks in the output
		absent []string
	}{
		{"code closing its block", "```js\n</code></pre><script>alert(1)</script>\n```\n", 1,
			[]string{"<script", "</code></pre><script"}},
		{"code writing attributes", "```html\n<img src=x onerror=\"alert(1)\">\n```\n", 1, []string{"<img"}},
		{"a block inside an attribute is not spliced", "<div title='\n\n```js\nvar x = 1\n```\n\n<p>' onmouseover=alert(1)>x</p>\n", 0,
			[]string{"onmouseover", `<span class="kd">`}},
		{"a block inside a stripped element goes with it", "<iframe>\n\n```js\nvar x = 1\n```\n\n</iframe>\n", 0, []string{"var x"}},
		{"placeholders written by hand stay text", "cbcodeAAAA0x cbcode0x\n\n<span title=\"cbcode0x\">cbcode1x</span>\n\n```js\nvar x = 1\n```\n", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := render("page.md", []byte(tt.md), Links{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if bad := unsafeHTML(p.HTML); bad != "" {
				t.Errorf("%s got through:\n%s", bad, p.HTML)
			}
			if bad := unscoped(p.HTML); bad != "" {
				t.Errorf("%s left unscoped:\n%s", bad, p.HTML)
			}
			if n := strings.Count(p.HTML, `<pre class="chroma">`); n != tt.blocks {
				t.Errorf("%d highlighted blocks, want %d:\n%s", n, tt.blocks, p.HTML)
			}
			for _, a := range tt.absent {
				if strings.Contains(p.HTML, a) {
					t.Errorf("HTML holds %s:\n%s", a, p.HTML)
				}
			}
		})
	}
}

// TestCodeSpliceFill puts blocks back into sanitised HTML: only where
// their placeholder is text, each once, never for a placeholder of
// another nonce or an index out of range.
func TestCodeSpliceFill(t *testing.T) {
	t.Parallel()
	s := newCodeSplice()
	other := newCodeSplice()
	if s.mark == other.mark {
		t.Fatalf("two pages drew the same nonce %s", s.mark)
	}
	p0 := s.hold(`<pre class="chroma">zero</pre>`)
	p1 := s.hold(`<pre class="chroma">one</pre>`)
	tests := []struct {
		name, doc, want string
	}{
		{"in text", "<div>" + p0 + "</div><div>" + p1 + "</div>",
			`<div><pre class="chroma">zero</pre></div><div><pre class="chroma">one</pre></div>`},
		{"in an attribute", `<div title="` + p0 + `">x</div>`, `<div title="` + p0 + `">x</div>`},
		{"twice", "<p>" + p0 + " " + p0 + "</p>", `<p><pre class="chroma">zero</pre> ` + p0 + "</p>"},
		{"another page's nonce", "<p>" + other.mark + "0x</p>", "<p>" + other.mark + "0x</p>"},
		{"index out of range or spelt otherwise", "<p>" + s.mark + "2x " + s.mark + "01x " + s.mark + "-0x " + s.mark + "0</p>",
			"<p>" + s.mark + "2x " + s.mark + "01x " + s.mark + "-0x " + s.mark + "0</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.filled = make([]bool, len(s.blocks))
			if got := scope(tt.doc, false, s).html; got != tt.want {
				t.Errorf("scope(%q)\n got %s\nwant %s", tt.doc, got, tt.want)
			}
		})
	}
}
