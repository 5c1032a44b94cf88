package techdocs

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/yuin/goldmark/ast"
)

// lineMap turns a line of the Markdown goldmark parses — the page after
// snippets, critic marks and md_in_html have been applied — into the line
// of the page's file, so "Edit this line" opens the line the author wrote.
type lineMap struct {
	// starts are the offsets where the parsed source's lines start.
	starts []int
	// orig is, per parsed line, its line in the file (1-based); nil when
	// the two are the same text.
	orig []int
}

// maxLookahead bounds how far a parsed line is looked for in the file:
// snippets and md_in_html add lines, they do not reorder them.
const maxLookahead = 200

func newLineMap(file, parsed []byte) *lineMap {
	m := &lineMap{starts: []int{0}}
	for i, c := range parsed {
		if c == '\n' {
			m.starts = append(m.starts, i+1)
		}
	}
	if bytes.Equal(file, parsed) {
		return m
	}
	// A parsed line found a little further on in the file is that line;
	// one not found (an inserted line, a snippet's) is the line after the
	// last one found. Blank lines match only the next line of the file:
	// md_in_html adds them, and looking ahead would skip text.
	fileLines := bytes.Split(file, []byte("\n"))
	m.orig = make([]int, len(m.starts))
	next := 0
	for i, l := range bytes.Split(parsed, []byte("\n")) {
		cur := min(next+1, len(fileLines))
		if len(bytes.TrimSpace(l)) == 0 {
			if next < len(fileLines) && len(bytes.TrimSpace(fileLines[next])) == 0 {
				next++
			}
		} else {
			for j := next; j < len(fileLines) && j < next+maxLookahead; j++ {
				if bytes.Equal(fileLines[j], l) {
					cur, next = j+1, j+1
					break
				}
			}
		}
		m.orig[i] = cur
	}
	return m
}

// line is the file's line (1-based) of offset off in the parsed source.
func (m *lineMap) line(off int) int {
	i, found := slices.BinarySearch(m.starts, off)
	if !found {
		i--
	}
	if m.orig != nil {
		return m.orig[i]
	}
	return i + 1
}

// lineOf is the file's line where n starts, 0 when n has no text of its own.
func (m *lineMap) lineOf(n ast.Node) int {
	for c := n; c != nil; c = c.Parent() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			if t := firstText(n); t != nil {
				return m.line(t.Segment.Start)
			}
			return m.line(c.Lines().At(0).Start)
		}
	}
	return 0
}

func firstText(n ast.Node) *ast.Text {
	var found *ast.Text
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			found = t
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// markSourceLines puts data-source-line on every block with lines of its
// own (paragraphs, headings, code, table rows), and on lists and quotes
// from their first child, so a selection in the page finds where its text
// is in the file.
func markSourceLines(doc *ast.Document, m *lineMap) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock || n == doc {
			return ast.WalkContinue, nil
		}
		line := 0
		switch {
		case n.Lines().Len() > 0:
			line = m.line(n.Lines().At(0).Start)
			if _, fenced := n.(*ast.FencedCodeBlock); fenced {
				line-- // the fence's opening line
			}
		case n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeBlock && n.FirstChild().Lines().Len() > 0:
			line = m.line(n.FirstChild().Lines().At(0).Start)
		}
		if line > 0 {
			n.SetAttributeString("data-source-line", []byte(strconv.Itoa(line)))
		}
		return ast.WalkContinue, nil
	})
}
