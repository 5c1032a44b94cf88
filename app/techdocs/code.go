package techdocs

import (
	"bytes"
	"fmt"
	gohtml "html"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/callboard/callboard/app/highlight"
)

// codeBlocks renders fenced code as pymdownx.highlight does: chroma's
// token classes, the fence's options (```python hl_lines="2 3-4"
// linenums="1" title="app.py"), inside <div class="language-LANG
// highlight">. Lexers come from app/highlight, which parses them on first
// use: chroma's own registry (and goldmark-highlighting, which imports it)
// parses every lexer and style at program start.
type codeBlocks struct {
	cache  *codeCache  // nil: every block is highlighted
	splice *codeSplice // the page's: where highlighted blocks wait for the sanitiser to be done
}

func (c codeBlocks) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(codeBlockRenderer(c), 200)))
}

type codeBlockRenderer struct {
	cache  *codeCache
	splice *codeSplice
}

func (r codeBlockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderFencedCode)
}

// fenceOption is a key="value" pair of a fence's info string.
var fenceOption = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(\w+)="([^"]*)"`) })

// plainStyle stands in for a colour scheme: the formatter writes classes,
// which the app's stylesheet colours, so the style's entries are never
// read.
var plainStyle = sync.OnceValue(func() *chroma.Style {
	return chroma.MustNewStyle("plain", chroma.StyleEntries{})
})

// fence is what a fence's info string asks for.
type fence struct {
	title    string
	hlLines  [][2]int // as written, counted from the first line shown
	lineNums bool
	start    int // the first line's number when lineNums
}

func parseFence(info []byte) fence {
	f := fence{start: 1}
	for _, m := range fenceOption().FindAllSubmatch(info, -1) {
		switch string(m[1]) {
		case "hl_lines":
			for _, field := range strings.Fields(string(m[2])) {
				lo, hi, ranged := strings.Cut(field, "-")
				l, err := strconv.Atoi(lo)
				if err != nil {
					continue
				}
				h := l
				if ranged {
					if h, err = strconv.Atoi(hi); err != nil {
						continue
					}
				}
				f.hlLines = append(f.hlLines, [2]int{l, h})
			}
		case "linenums":
			if start, err := strconv.Atoi(string(m[2])); err == nil {
				f.lineNums, f.start = true, start
			}
		case "title":
			f.title = string(m[2])
		}
	}
	return f
}

func (r codeBlockRenderer) renderFencedCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := n.Language(src)
	var f fence
	if n.Info != nil {
		f = parseFence(n.Info.Segment.Value(src))
	}
	if lang != nil {
		fmt.Fprintf(w, "<div class=\"language-%s highlight\">", gohtml.EscapeString(string(lang)))
	} else {
		w.WriteString(`<div class="highlight">`)
	}
	if f.title != "" {
		fmt.Fprintf(w, `<span class="filename">%s</span>`, gohtml.EscapeString(f.title))
	}
	var code bytes.Buffer
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		code.Write(line.Value(src))
	}
	var info []byte
	if n.Info != nil {
		info = n.Info.Segment.Value(src)
	}
	key := codeKey(info, code.Bytes())
	h, ok := r.cache.get(key)
	if !ok {
		var out strings.Builder
		if !highlightCode(&out, string(lang), code.String(), f) {
			// Plain text, escaped here, goes through the sanitiser as the
			// rest of the page does.
			w.Write(util.EscapeHTML(code.Bytes()))
			w.WriteString("</div>")
			return ast.WalkContinue, nil
		}
		h = out.String()
		r.cache.put(key, h)
	}
	w.WriteString(r.splice.hold(asSanitised(h)))
	w.WriteString("</div>")
	return ast.WalkContinue, nil
}

// asSanitised is highlighted HTML as the sanitiser would have written it:
// with critic marks made tags (criticTags, applied to the whole page
// before sanitising) and carriage returns made newlines (the sanitiser's
// HTML tokenizer does that to text).
func asSanitised(h string) string {
	if strings.ContainsFunc(h, isCritic) {
		h = criticTags.Replace(h)
	}
	if strings.Contains(h, "\r") {
		h = strings.ReplaceAll(strings.ReplaceAll(h, "\r\n", "\n"), "\r", "\n")
	}
	return h
}

// writePlain writes tokens as chroma's HTML formatter does with classes
// and without line numbers or marked lines, byte for byte
// (TestWritePlain), without its fmt calls per token: a tenth of the time
// highlighting took once tokenising was done.
func writePlain(w *strings.Builder, tokens []chroma.Token) {
	w.WriteString(`<pre class="chroma"><code>`)
	for _, line := range chroma.SplitTokensIntoLines(tokens) {
		w.WriteString(`<span class="line"><span class="cl">`)
		for _, t := range line {
			text := gohtml.EscapeString(t.Value)
			cls := tokenClass(t.Type)
			if cls == "" {
				w.WriteString(text)
				continue
			}
			w.WriteString(`<span class="`)
			w.WriteString(cls)
			w.WriteString(`">`)
			w.WriteString(text)
			w.WriteString(`</span>`)
		}
		w.WriteString(`</span></span>`)
	}
	w.WriteString(`</code></pre>`)
}

// tokenClass is the class chroma's formatter gives a token type: its
// own, or its nearest parent's that has one.
func tokenClass(t chroma.TokenType) string {
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
		t = t.Parent()
	}
	return chroma.StandardTypes[t]
}

// highlightCode writes code highlighted, reporting false, having written
// nothing, for a language without a lexer.
func highlightCode(w *strings.Builder, lang, code string, f fence) bool {
	lexer := highlight.Lexer(lang)
	if lexer == nil {
		return false
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return false
	}
	if !f.lineNums && len(f.hlLines) == 0 {
		writePlain(w, it.Tokens())
		return true
	}
	opts := []chromahtml.Option{chromahtml.WithClasses(true)}
	if f.lineNums {
		opts = append(opts, chromahtml.BaseLineNumber(f.start))
	}
	if len(f.hlLines) > 0 {
		// chroma counts highlighted lines from the first line's number.
		hl := make([][2]int, len(f.hlLines))
		for i, r := range f.hlLines {
			hl[i] = [2]int{r[0] + f.start - 1, r[1] + f.start - 1}
		}
		opts = append(opts, chromahtml.HighlightLines(hl))
	}
	if f.lineNums {
		opts = append(opts, chromahtml.WithLineNumbers(true), chromahtml.LineNumbersInTable(false))
	}
	return chromahtml.New(opts...).Format(w, plainStyle(), it) == nil
}
