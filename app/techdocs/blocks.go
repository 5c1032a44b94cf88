package techdocs

import (
	"bytes"
	"fmt"
	gohtml "html"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The blocks mkdocs' python-markdown extensions add, as goldmark nodes:
// admonitions (`!!! note "Title"`), pymdownx.details (`??? note`, `???+`
// open) and pymdownx.tabbed (`=== "Tab"`; consecutive tabs form one set).
// Their content is the following lines indented by four spaces.

// KindBox is an admonition or a details block.
var KindBox = ast.NewNodeKind("Box")

// Box is an admonition (Details false) or a collapsible details block.
type Box struct {
	ast.BaseBlock
	Variant string // note, warning, tip…, then any more class words ("tip inline end")
	Title   string // "" for none; the capitalised type when not given
	Details bool
	Open    bool
}

// Kind implements ast.Node.
func (b *Box) Kind() ast.NodeKind { return KindBox }

// Dump implements ast.Node.
func (b *Box) Dump(src []byte, level int) {
	ast.DumpHelper(b, src, level, map[string]string{"Variant": b.Variant, "Title": b.Title}, nil)
}

// KindTab is one tab of a tabbed set.
var KindTab = ast.NewNodeKind("Tab")

// Tab is one `=== "Label"` block.
type Tab struct {
	ast.BaseBlock
	Label string
}

// Kind implements ast.Node.
func (t *Tab) Kind() ast.NodeKind { return KindTab }

// Dump implements ast.Node.
func (t *Tab) Dump(src []byte, level int) {
	ast.DumpHelper(t, src, level, map[string]string{"Label": t.Label}, nil)
}

// KindTabSet groups consecutive tabs.
var KindTabSet = ast.NewNodeKind("TabSet")

// TabSet holds consecutive Tab nodes; ID numbers it in the page.
type TabSet struct {
	ast.BaseBlock
	ID int
}

// Kind implements ast.Node.
func (t *TabSet) Kind() ast.NodeKind { return KindTabSet }

// Dump implements ast.Node.
func (t *TabSet) Dump(src []byte, level int) { ast.DumpHelper(t, src, level, nil, nil) }

var (
	// As python-markdown's admonition and pymdownx.details read them: the
	// space after the marker may be left out (`!!!info`), and more class
	// words may follow the type (`!!! tip inline end`).
	boxLine = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(!!!|\?\?\?\+?)[ \t]?([\w-]+(?:[ \t]+[\w-]+)*)(?:[ \t]+"(.*)")?[ \t]*$`)
	})
	tabLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^===(!)?\s+"(.*)"\s*$`) })
)

type blockParser struct{}

func (blockParser) Trigger() []byte { return []byte{'!', '?', '='} }

func (blockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	trimmed := strings.TrimRight(string(line), "\r\n")
	if m := boxLine().FindStringSubmatch(trimmed); m != nil {
		b := &Box{Variant: strings.Join(strings.Fields(strings.ToLower(m[2])), " "), Details: m[1] != "!!!", Open: m[1] == "???+"}
		switch {
		case len(m) > 3 && strings.Contains(trimmed, `"`):
			b.Title = m[3] // an explicit "" means no title
		default:
			// The title is the type: the first class word.
			kind, _, _ := strings.Cut(b.Variant, " ")
			b.Title = strings.ToUpper(kind[:1]) + strings.ReplaceAll(kind[1:], "-", " ")
		}
		reader.Advance(seg.Len() - 1)
		return b, parser.HasChildren
	}
	if m := tabLine().FindStringSubmatch(trimmed); m != nil {
		reader.Advance(seg.Len() - 1)
		return &Tab{Label: m[2]}, parser.HasChildren
	}
	return nil, parser.NoChildren
}

func (blockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if util.IsBlank(line) {
		return parser.Continue | parser.HasChildren
	}
	if w, _ := util.IndentWidth(line, reader.LineOffset()); w < 4 {
		return parser.Close
	}
	// Consume four columns of indentation; the rest belongs to the content.
	pos, padding := util.IndentPosition(line, reader.LineOffset(), 4)
	reader.AdvanceAndSetPadding(pos, padding)
	return parser.Continue | parser.HasChildren
}

func (blockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (blockParser) CanInterruptParagraph() bool                                { return true }
func (blockParser) CanAcceptIndentedLine() bool                                { return false }

// tabGrouper wraps consecutive Tab siblings into TabSets.
type tabGrouper struct{}

func (tabGrouper) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	n := 0
	var walk func(parent ast.Node)
	walk = func(parent ast.Node) {
		for c := parent.FirstChild(); c != nil; {
			if _, ok := c.(*Tab); !ok {
				walk(c)
				c = c.NextSibling()
				continue
			}
			n++
			set := &TabSet{ID: n}
			parent.InsertBefore(parent, c, set)
			for c != nil {
				t, ok := c.(*Tab)
				if !ok {
					break
				}
				next := c.NextSibling()
				parent.RemoveChild(parent, t)
				set.AppendChild(set, t)
				walk(t)
				c = next
			}
		}
	}
	walk(doc)
}

type blockRenderer struct{}

func (blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindBox, renderBox)
	reg.Register(KindTabSet, renderTabSet)
	reg.Register(KindTab, renderTab)
}

func renderBox(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	b := n.(*Box)
	cls := gohtml.EscapeString("admonition " + b.Variant)
	if b.Details {
		cls = gohtml.EscapeString(b.Variant)
	}
	switch {
	case entering && b.Details:
		open := ""
		if b.Open {
			open = " open"
		}
		fmt.Fprintf(w, "<details class=\"%s\"%s>\n<summary>%s</summary>\n", cls, open, gohtml.EscapeString(b.Title))
	case entering:
		fmt.Fprintf(w, "<div class=\"%s\">\n", cls)
		if b.Title != "" {
			fmt.Fprintf(w, "<p class=\"admonition-title\">%s</p>\n", gohtml.EscapeString(b.Title))
		}
	case b.Details:
		w.WriteString("</details>\n")
	default:
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

// renderTabSet writes pymdownx.tabbed's alternate style: radio inputs, the
// labels, then one block per tab, so the theme's CSS switches tabs with no
// script.
func renderTabSet(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	set := n.(*TabSet)
	if !entering {
		w.WriteString("</div>\n</div>\n")
		return ast.WalkContinue, nil
	}
	var labels []string
	for c := set.FirstChild(); c != nil; c = c.NextSibling() {
		labels = append(labels, c.(*Tab).Label)
	}
	fmt.Fprintf(w, "<div class=\"tabbed-set tabbed-alternate\" data-tabs=\"%d:%d\">", set.ID, len(labels))
	for i := range labels {
		checked := ""
		if i == 0 {
			checked = ` checked="checked"`
		}
		fmt.Fprintf(w, `<input%s id="__tabbed_%d_%d" name="__tabbed_%d" type="radio" />`, checked, set.ID, i+1, set.ID)
	}
	w.WriteString(`<div class="tabbed-labels">`)
	for i, l := range labels {
		fmt.Fprintf(w, `<label for="__tabbed_%d_%d">%s</label>`, set.ID, i+1, gohtml.EscapeString(l))
	}
	w.WriteString("</div>\n<div class=\"tabbed-content\">\n")
	return ast.WalkContinue, nil
}

func renderTab(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString("<div class=\"tabbed-block\">\n")
	} else {
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

// mkdocsBlocks is the goldmark extension for the blocks above.
type mkdocsBlocks struct{}

func (mkdocsBlocks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(blockParser{}, 90)),
		parser.WithASTTransformers(util.Prioritized(tabGrouper{}, 100)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(blockRenderer{}, 100)))
}

// trimBOM drops a byte-order mark, which python-markdown ignores.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\ufeff")) }

// snippetLine is pymdownx.snippets' single-line form: --8<-- "file".
var snippetLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\s*)-{1,}8<-{1,}\s+"([^"]+)"\s*$`) })

// snippetFence opens and closes the block form, one file per line.
var snippetFence = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*-{1,}8<-{1,}\s*$`) })

// maxSnippetDepth bounds snippets including snippets.
const maxSnippetDepth = 4

// snippets replaces pymdownx.snippets lines with the files they name. A
// file that cannot be read is an error naming it (pymdownx.snippets'
// check_paths), so a broken include is not silently a blank.
func snippets(src []byte, include func(string) ([]byte, error), depth int) ([]byte, error) {
	if !bytes.Contains(src, []byte("8<")) {
		return src, nil
	}
	if depth >= maxSnippetDepth {
		return nil, fmt.Errorf("snippets nest deeper than %d", maxSnippetDepth)
	}
	var out bytes.Buffer
	lines := strings.SplitAfter(string(src), "\n")
	inBlock := false
	put := func(indent, name string) error {
		data, err := include(strings.TrimSpace(name))
		if err != nil {
			return fmt.Errorf("snippet %s: %w", strings.TrimSpace(name), err)
		}
		if data, err = snippets(data, include, depth+1); err != nil {
			return err
		}
		for _, l := range strings.SplitAfter(string(data), "\n") {
			if l != "" {
				out.WriteString(indent + l)
			}
		}
		if len(data) > 0 && data[len(data)-1] != '\n' {
			out.WriteString("\n")
		}
		return nil
	}
	for _, l := range lines {
		trimmed := strings.TrimRight(l, "\r\n")
		switch {
		case snippetFence().MatchString(trimmed):
			inBlock = !inBlock
		case inBlock:
			if strings.TrimSpace(trimmed) != "" && !strings.HasPrefix(strings.TrimSpace(trimmed), ";") {
				if err := put("", trimmed); err != nil {
					return nil, err
				}
			}
		default:
			if m := snippetLine().FindStringSubmatch(trimmed); m != nil {
				if err := put(m[1], m[2]); err != nil {
					return nil, err
				}
				continue
			}
			out.WriteString(l)
		}
		if out.Len() > maxPage {
			return nil, fmt.Errorf("snippets make the page larger than %d bytes", maxPage)
		}
	}
	return out.Bytes(), nil
}

// The pymdownx.blocks syntax of the same blocks, used when a site sets
// techdocs-core's use_pymdownx_blocks: `/// note | Title` … `///`, with
// options as indented `key: value` lines right after the opening line
// (`type:` for /// admonition, `open:` for /// details).

var (
	blocksOpen  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/{3,}\s*([\w-]+)(?:\s*\|\s*(.*?))?\s*$`) })
	blocksClose = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/{3,}\s*$`) })
	blocksOpt   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s{2,}(\w+):\s*(.*?)\s*$`) })
)

var admonitionTypes = map[string]bool{"note": true, "attention": true, "caution": true, "danger": true, "error": true,
	"tip": true, "hint": true, "warning": true, "important": true, "info": true, "example": true, "quote": true, "success": true,
	"failure": true, "bug": true, "question": true, "abstract": true, "admonition": true, "details": true}

type blocksParser struct{}

func (blocksParser) Trigger() []byte { return []byte{'/'} }

func (blocksParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	m := blocksOpen().FindStringSubmatch(strings.TrimRight(string(line), "\r\n"))
	if m == nil {
		return nil, parser.NoChildren
	}
	name, title := strings.ToLower(m[1]), m[2]
	var n ast.Node
	switch {
	case name == "tab":
		n = &Tab{Label: title}
	case admonitionTypes[name]:
		b := &Box{Variant: name, Title: title, Details: name == "details"}
		if name == "admonition" || name == "details" {
			b.Variant = "note"
		}
		if title == "" && name != "admonition" && name != "details" {
			b.Title = strings.ToUpper(name[:1]) + name[1:]
		}
		n = b
	default:
		return nil, parser.NoChildren
	}
	reader.Advance(seg.Len() - 1)
	pc.Set(blocksOptionsKey, true)
	return n, parser.HasChildren
}

var blocksOptionsKey = parser.NewContextKey()

func (blocksParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, seg := reader.PeekLine()
	trimmed := strings.TrimRight(string(line), "\r\n")
	if blocksClose().MatchString(trimmed) {
		reader.Advance(seg.Len() - 1)
		return parser.Close
	}
	// Options come first, before any content.
	if pc.Get(blocksOptionsKey) == true && node.ChildCount() == 0 {
		if m := blocksOpt().FindStringSubmatch(trimmed); m != nil {
			if b, ok := node.(*Box); ok {
				switch m[1] {
				case "type":
					b.Variant = strings.ToLower(m[2])
					if b.Title == "" {
						b.Title = strings.ToUpper(b.Variant[:1]) + b.Variant[1:]
					}
				case "open":
					b.Open = strings.EqualFold(m[2], "true")
				}
			}
			reader.Advance(seg.Len() - 1)
			return parser.Continue | parser.NoChildren
		}
	}
	pc.Set(blocksOptionsKey, false)
	return parser.Continue | parser.HasChildren
}

func (blocksParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (blocksParser) CanInterruptParagraph() bool                                { return true }
func (blocksParser) CanAcceptIndentedLine() bool                                { return false }

// pymdownxBlocks adds the /// syntax.
type pymdownxBlocks struct{}

func (pymdownxBlocks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(blocksParser{}, 89)))
}
