package techdocs

import (
	"bytes"
	gohtml "html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/callboard/callboard/app/highlight"
)

// The inline marks of pymdownx.mark (==mark==), pymdownx.caret (^^insert^^,
// ^superscript^) and pymdownx.tilde (~~delete~~, ~subscript~): one
// delimiter parser per character; the tag depends on the character and on
// whether it is doubled.

// KindMark is an inline mark.
var KindMark = ast.NewNodeKind("Mark")

// Mark is text between marks, rendered as Tag.
type Mark struct {
	ast.BaseInline
	Tag string
}

// Kind implements ast.Node.
func (m *Mark) Kind() ast.NodeKind { return KindMark }

// Dump implements ast.Node.
func (m *Mark) Dump(src []byte, level int) {
	ast.DumpHelper(m, src, level, map[string]string{"Tag": m.Tag}, nil)
}

var markTags = map[byte][3]string{'=': {"", "", "mark"}, '^': {"", "sup", "ins"}, '~': {"", "sub", "del"}}

type markDelimiter struct{ char byte }

func (d markDelimiter) IsDelimiter(b byte) bool { return b == d.char }

func (d markDelimiter) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char && opener.Length == closer.Length
}

func (d markDelimiter) OnMatch(consumes int) ast.Node {
	return &Mark{Tag: markTags[d.char][min(consumes, 2)]}
}

type markParser struct{ char byte }

func (p markParser) Trigger() []byte { return []byte{p.char} }

func (p markParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	least := 1
	if p.char == '=' {
		least = 2 // a single = is just an equals sign
	}
	node := parser.ScanDelimiter(line, before, least, markDelimiter(p))
	if node == nil || node.OriginalLength > 2 || before == rune(p.char) {
		return nil
	}
	node.Segment = segment.WithStop(segment.Start + node.OriginalLength)
	block.Advance(node.OriginalLength)
	pc.PushDelimiter(node)
	return node
}

func (markParser) CloseBlock(parent ast.Node, pc parser.Context) {}

type markRenderer struct{}

func (markRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindMark, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		tag := n.(*Mark).Tag
		if entering {
			w.WriteString("<" + tag + ">")
		} else {
			w.WriteString("</" + tag + ">")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(KindAbbr, renderAbbr)
	reg.Register(KindInlineCode, renderInlineCode)
}

// inlineMarks is the goldmark extension for the marks above; it replaces
// GFM strikethrough, whose ~ it reads the pymdownx.tilde way.
type inlineMarks struct{}

func (inlineMarks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(markParser{'='}, 500), util.Prioritized(markParser{'^'}, 500), util.Prioritized(markParser{'~'}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(markRenderer{}, 500)))
}

// abbrDef is python-markdown's abbreviation definition: *[HTML]: Hyper Text.
var abbrDef = regexp.MustCompile(`(?m)^\*\[([^\]]+)\]:[ \t]*(.*?)[ \t]*$`)

// abbreviations takes the definitions out of src (the lines stay, empty,
// so line numbers hold) and returns them, by abbreviation.
func abbreviations(src []byte) ([]byte, map[string]string) {
	if !bytes.Contains(src, []byte("*[")) {
		// Most pages define none; the pattern's scan of every line was 3%
		// of a build.
		return src, nil
	}
	defs := map[string]string{}
	out := abbrDef.ReplaceAllFunc(src, func(line []byte) []byte {
		m := abbrDef.FindSubmatch(line)
		if utf8.Valid(m[1]) && utf8.Valid(m[2]) {
			defs[string(m[1])] = string(m[2])
		}
		return nil
	})
	if len(defs) == 0 {
		return src, nil
	}
	return out, defs
}

// KindAbbr is an abbreviation in text.
var KindAbbr = ast.NewNodeKind("Abbr")

// Abbr is an abbreviation with its expansion.
type Abbr struct {
	ast.BaseInline
	Title string
}

// Kind implements ast.Node.
func (a *Abbr) Kind() ast.NodeKind { return KindAbbr }

// Dump implements ast.Node.
func (a *Abbr) Dump(src []byte, level int) {
	ast.DumpHelper(a, src, level, map[string]string{"Title": a.Title}, nil)
}

// markAbbreviations wraps every whole-word use of a defined abbreviation
// in text (not in code or links) in an Abbr node.
func markAbbreviations(doc ast.Node, src []byte, defs map[string]string) {
	if len(defs) == 0 {
		return
	}
	words := make([]string, 0, len(defs))
	for w := range defs {
		words = append(words, regexp.QuoteMeta(w))
	}
	re, err := regexp.Compile(`\b(` + strings.Join(words, "|") + `)\b`)
	if err != nil {
		return // definitions no pattern can hold: the text stays as written
	}
	var texts []*ast.Text
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.CodeSpan, *ast.Link, *ast.AutoLink, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering {
				texts = append(texts, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, t := range texts {
		seg := t.Segment
		matches := re.FindAllIndex(seg.Value(src), -1)
		if matches == nil {
			continue
		}
		parent := t.Parent()
		at := seg.Start
		for _, m := range matches {
			start, stop := seg.Start+m[0], seg.Start+m[1]
			if start > at {
				parent.InsertBefore(parent, t, ast.NewTextSegment(text.NewSegment(at, start)))
			}
			a := &Abbr{Title: defs[string(src[start:stop])]}
			a.AppendChild(a, ast.NewTextSegment(text.NewSegment(start, stop)))
			parent.InsertBefore(parent, t, a)
			at = stop
		}
		t.Segment = text.NewSegment(at, seg.Stop)
	}
}

func renderAbbr(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(`<abbr title="` + gohtml.EscapeString(n.(*Abbr).Title) + `">`)
	} else {
		w.WriteString("</abbr>")
	}
	return ast.WalkContinue, nil
}

// smartSymbols are pymdownx.smartsymbols' replacements (ordinals aside).
var smartSymbols = strings.NewReplacer(
	"(tm)", "™", "(TM)", "™", "(c)", "©", "(C)", "©", "(r)", "®", "(R)", "®", "c/o", "℅", "+/-", "±",
	"<-->", "↔", "-->", "→", "<--", "←", "=/=", "≠", "1/4", "¼", "1/2", "½", "3/4", "¾",
)

// replaceSymbols applies smartSymbols to the text outside code and links.
func replaceSymbols(doc ast.Node, src []byte) {
	var texts []*ast.Text
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.CodeSpan, *ast.AutoLink, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering {
				texts = append(texts, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, t := range texts {
		v := string(t.Segment.Value(src))
		r := smartSymbols.Replace(v)
		if r == v {
			continue
		}
		if t.SoftLineBreak() {
			r += "\n"
		}
		t.Parent().ReplaceChild(t.Parent(), t, ast.NewString([]byte(r)))
	}
}

// KindInlineCode is inline code highlighted by pymdownx.inlinehilite.
var KindInlineCode = ast.NewNodeKind("InlineCode")

// InlineCode is `#!lang code`: code highlighted as lang.
type InlineCode struct {
	ast.BaseInline
	Lang string
	Code string
}

// Kind implements ast.Node.
func (c *InlineCode) Kind() ast.NodeKind { return KindInlineCode }

// Dump implements ast.Node.
func (c *InlineCode) Dump(src []byte, level int) {
	ast.DumpHelper(c, src, level, map[string]string{"Lang": c.Lang}, nil)
}

var inlineLang = regexp.MustCompile(`^#!([\w+#.-]+)\s+`)

// highlightInline turns `#!lang code` spans into InlineCode nodes.
func highlightInline(doc ast.Node, src []byte) {
	var spans []*ast.CodeSpan
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*ast.CodeSpan); ok && entering {
			spans = append(spans, c)
		}
		return ast.WalkContinue, nil
	})
	for _, c := range spans {
		var b strings.Builder
		for t := c.FirstChild(); t != nil; t = t.NextSibling() {
			if txt, ok := t.(*ast.Text); ok {
				b.Write(txt.Segment.Value(src))
			}
		}
		m := inlineLang.FindStringSubmatch(b.String())
		if m == nil {
			continue
		}
		c.Parent().ReplaceChild(c.Parent(), c, &InlineCode{Lang: m[1], Code: b.String()[len(m[0]):]})
	}
}

func renderInlineCode(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	c := n.(*InlineCode)
	lexer := highlight.Lexer(c.Lang)
	if lexer == nil {
		w.WriteString(`<code>` + gohtml.EscapeString(c.Code) + `</code>`)
		return ast.WalkSkipChildren, nil
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, c.Code)
	if err != nil {
		w.WriteString(`<code>` + gohtml.EscapeString(c.Code) + `</code>`)
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<code class="highlight">`)
	for _, tok := range it.Tokens() {
		cls := chroma.StandardTypes[tok.Type]
		if cls == "" {
			w.WriteString(gohtml.EscapeString(tok.Value))
			continue
		}
		w.WriteString(`<span class="` + cls + `">` + gohtml.EscapeString(tok.Value) + `</span>`)
	}
	w.WriteString(`</code>`)
	return ast.WalkSkipChildren, nil
}
