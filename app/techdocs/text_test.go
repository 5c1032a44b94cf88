package techdocs

import (
	"strings"
	"testing"
)

// textBefore is Text as it was written first: spaces around every tag,
// tags dropped, fields joined. Text must say the same in one pass.
func textBefore(h string) string {
	var b strings.Builder
	in := false
	for _, r := range strings.NewReplacer("<", " <", ">", "> ").Replace(h) {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestText(t *testing.T) {
	t.Parallel()
	for _, h := range []string{
		"", "<p>one <b>two</b>three</p>\n<p>four</p>", "a<b<c>d", "a>b", "  lead and trail  ",
		"tabs\tand\u00a0nbsp\u2003em", "bad \xff utf-8", "<pre><code>x = 1\n\ny</code></pre>", "<<>>", "<a title=\"x > y\">z</a>",
	} {
		if got, want := Text(h), textBefore(h); got != want {
			t.Errorf("Text(%q) = %q, want %q", h, got, want)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("<p>one <b>two</b>three</p>")
	f.Fuzz(func(t *testing.T, h string) {
		if got, want := Text(h), textBefore(h); got != want {
			t.Fatalf("Text(%q) = %q, want %q", h, got, want)
		}
	})
}
