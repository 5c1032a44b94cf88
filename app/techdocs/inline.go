package techdocs

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
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
	node := parser.ScanDelimiter(line, before, least, markDelimiter{p.char})
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
}

// inlineMarks is the goldmark extension for the marks above; it replaces
// GFM strikethrough, whose ~ it reads the pymdownx.tilde way.
type inlineMarks struct{}

func (inlineMarks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(markParser{'='}, 500), util.Prioritized(markParser{'^'}, 500), util.Prioritized(markParser{'~'}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(markRenderer{}, 500)))
}
