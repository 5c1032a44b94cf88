package techdocs

import (
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

func TestSourceLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		md   string
		want []string
	}{
		{"blocks carry their lines", "# Title\n\nFirst paragraph\nspans two lines.\n\n- item one\n- item two\n\n```go\nx := 1\n```\n\n> quoted\n",
			[]string{`<h1 id="doc-title" data-source-line="1">`, `<p data-source-line="3">First paragraph`, `<li data-source-line="6">`, `<li data-source-line="7">`, `data-source-line="13"`}},
		{"md_in_html's added blank lines do not shift them", "<div markdown>\n**bold**\n</div>\n\nAfter.\n",
			[]string{`<p data-source-line="2"><strong>bold`, `<p data-source-line="5">After.`}},
		{"front matter taken out keeps the lines after it", "---\ntitle: T\n---\n\n# Head\n\nText.\n",
			[]string{`<h1 id="doc-head" data-source-line="5">`, `<p data-source-line="7">Text.`}},
		{"a snippet's lines count as the line that includes it", "Before.\n\n--8<-- \"part.md\"\n\nAfter.\n",
			[]string{`<p data-source-line="1">Before.`, `<p data-source-line="3">Included one.`, `<p data-source-line="5">After.`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := catalog.MapFiles{"mkdocs.yml": "site_name: x\n", "docs/index.md": tt.md, "part.md": "Included one.\n\nIncluded two.\n"}
			s, err := Load(files, ".")
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.Render(files, "index.md", Links{SourceLines: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.HTML, w) {
					t.Errorf("HTML lacks %s:\n%s", w, p.HTML)
				}
			}
		})
	}
}

func TestNavProblems(t *testing.T) {
	t.Parallel()
	files := catalog.MapFiles{
		"mkdocs.yml":    "site_name: x\nnav:\n  - Home: index.md\n  - Gone: gone.md\n",
		"docs/index.md": "# Home\n",
	}
	s, err := Load(files, ".")
	if err != nil {
		t.Fatal(err)
	}
	want := Problem{File: "mkdocs.yml", Line: 4, Target: "gone.md", Why: "the nav names a page that is not in the docs folder"}
	if len(s.Problems) != 1 || s.Problems[0] != want {
		t.Errorf("problems = %+v, want %+v", s.Problems, want)
	}
}

// FuzzLineMap checks what "Edit this line" relies on, whatever the
// preprocessing did: every offset of the parsed source maps to a line of
// the file, and lines never go back as offsets go on.
func FuzzLineMap(f *testing.F) {
	f.Add([]byte("# a\n\nb\n"), []byte("# a\n\nb\n"))
	f.Add([]byte("<div markdown>\n**b**\n</div>\n"), []byte("<div>\n\n**b**\n\n</div>\n"))
	f.Add([]byte("x\n\n--8<-- \"p.md\"\n\ny\n"), []byte("x\n\nsnip\n\nmore\ny\n"))
	f.Add([]byte(""), []byte("\n\n\n"))
	f.Fuzz(func(t *testing.T, file, parsed []byte) {
		if len(file) > 1<<16 || len(parsed) > 1<<16 {
			return
		}
		m := newLineMap(file, parsed)
		lines := strings.Count(string(file), "\n") + 1
		prev := 0
		for off := 0; off <= len(parsed); off++ {
			l := m.line(off)
			if l < 1 || l > max(lines, 1) {
				t.Fatalf("offset %d maps to line %d of a %d-line file", off, l, lines)
			}
			if l < prev {
				t.Fatalf("offset %d maps to line %d, before line %d of an earlier offset", off, l, prev)
			}
			prev = l
		}
	})
}
