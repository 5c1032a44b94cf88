package techdocs

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"

	"github.com/callboard/callboard/app/highlight"
)

// TestWritePlain checks writePlain against chroma's own formatter.
func TestWritePlain(t *testing.T) {
	t.Parallel()
	style := chroma.MustNewStyle("plain", chroma.StyleEntries{})
	tests := []struct{ lang, code string }{
		{"js", "const a = `x ${b}` // <c> & 'd' \"e\"\n\n/re+/g.test(a);\n"},
		{"typescript", "export function f<T>(x: T): T { return x }\n"},
		{"python", "def f():\n    return 'ü' # ä\n"},
		{"go", "package main\n\nfunc main() {}"},
		{"bash", "npm install --save x \\\n  && echo done\n"},
		{"html", "<div class=\"a\">&amp;</div>\n"},
		{"json", "{\"a\": [1, 2.5, null]}\n"},
		{"js", ""},
		{"js", "\n\n\n"},
		{"js", "a\r\nb\r\n"},
		{"js", "@@@ \x00 \xff\n"},
	}
	for _, tt := range tests {
		lexer := highlight.Lexer(tt.lang)
		if lexer == nil {
			t.Fatalf("no lexer for %s", tt.lang)
		}
		tokens := func() chroma.Iterator {
			it, err := chroma.Coalesce(lexer).Tokenise(nil, tt.code)
			if err != nil {
				t.Fatalf("tokenise %s %q: %v", tt.lang, tt.code, err)
			}
			return it
		}
		var want strings.Builder
		if err := chromahtml.New(chromahtml.WithClasses(true)).Format(&want, style, tokens()); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		writePlain(&got, tokens().Tokens())
		if got.String() != want.String() {
			t.Errorf("%s %q:\n got %s\nwant %s", tt.lang, tt.code, got.String(), want.String())
		}
	}
}
