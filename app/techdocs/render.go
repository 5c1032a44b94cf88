package techdocs

import (
	"bytes"
	"fmt"
	gohtml "html"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	emoji "github.com/yuin/goldmark-emoji"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// Heading is one entry of a page's outline.
type Heading struct {
	Level int    `json:"level"`
	ID    string `json:"id"`
	Text  string `json:"text"`
}

// Page is a rendered docs page.
type Page struct {
	Path  string    `json:"path"`
	Title string    `json:"title"`
	HTML  string    `json:"html"`
	TOC   []Heading `json:"toc"`
	// Links are the targets of the page's relative links, resolved against
	// the docs folder, with their anchors (for broken-link warnings).
	Links []string `json:"links"`
	// RemoteImages counts the images whose address moved to RemoteSrc, so
	// nothing is fetched when the page opens; RemoteHosts are their hosts.
	RemoteImages int      `json:"remoteImages,omitempty"`
	RemoteHosts  []string `json:"remoteHosts,omitempty"`
	// Problems are the page's links that lead nowhere, with their lines,
	// when the page is rendered as part of a Site.
	Problems []Problem `json:"problems,omitempty"`
}

// Links says where rendered links and images point, and how the site
// configured the extensions that change a page's structure.
type Links struct {
	// Page turns a docs page path (and an anchor, or "") into an href.
	Page func(page, anchor string) string
	// Asset turns a file path inside the docs folder into an image source,
	// or "" to drop the image.
	Asset func(file string) string
	// Permalink is the mark after each heading linking to it ("" for none).
	Permalink string
	// Blocks turns on pymdownx.blocks' /// syntax (use_pymdownx_blocks).
	Blocks bool
	// Entity turns a link to another entity's docs, written the way
	// Backstage addresses them (/docs/NAMESPACE/KIND/NAME/PAGE), into an
	// href; nil leaves such links as they are.
	Entity func(ref, page, anchor string) string
	// KeepRemoteImages leaves remote images' src in place: for static
	// builds, read in a browser of the reader's choosing. In the app they
	// wait until the user allows their host (RemoteSrc).
	KeepRemoteImages bool
	// SourceLines marks each block with the line of the page's file it
	// comes from (data-source-line), for "Edit this line".
	SourceLines bool
	// site is the site the page belongs to (set by Site.Render): which
	// pages exist, and redirect_maps.
	site *Site
	// code holds the code blocks already highlighted in this build (set by
	// Site.Build; nil highlights every block).
	code *codeCache
}

// maxPage bounds what is rendered: larger pages get a clear error rather
// than unbounded time and memory.
const maxPage = 2 << 20

// render turns a page's Markdown into sanitised HTML with its outline.
// include reads the files pymdownx.snippets lines name; nil leaves them.
func render(page string, src []byte, links Links, include func(string) ([]byte, error)) (Page, error) {
	if len(src) > maxPage {
		return Page{}, fmt.Errorf("%s is %d bytes: pages over %d bytes are not rendered", page, len(src), maxPage)
	}
	src = blankMeta(trimBOM(src))
	file := src
	if include != nil {
		var err error
		if src, err = snippets(src, include, 0); err != nil {
			return Page{}, fmt.Errorf("%s: %w", page, err)
		}
	}
	src = markdownInHTML(criticMarkup(src))
	src, abbrs := abbreviations(src)
	out := Page{Path: page, TOC: []Heading{}, Links: []string{}}
	lines := newLineMap(file, src)
	splice := newCodeSplice()
	exts := []goldmark.Extender{}
	if links.Blocks {
		exts = append(exts, pymdownxBlocks{})
	}
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithExtensions(
			extension.Table, extension.TaskList, extension.Footnote, extension.DefinitionList,
			extension.Linkify, emoji.Emoji, mkdocsBlocks{}, inlineMarks{},
			codeBlocks{cache: links.code, splice: splice},
		),
		// No automatic ids: a heading's id is one written as {#id}
		// (attr_list), else the transformer's slug of its text.
		goldmark.WithParserOptions(parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(&pageTransformer{page: page, links: links, out: &out, abbrs: abbrs, lines: lines}, 200))),
		goldmark.WithRendererOptions(gmhtml.WithUnsafe(), renderer.WithNodeRenderers(util.Prioritized(diagramRenderer{}, 50))),
	)
	var buf bytes.Buffer
	if err := md.Convert(src, &buf); err != nil {
		return Page{}, fmt.Errorf("render %s: %w", page, err)
	}
	sc := scope(sanitizer().Sanitize(withCriticTags(buf.String())), links.KeepRemoteImages, splice)
	out.HTML, out.RemoteImages, out.RemoteHosts = sc.html, sc.remote, sc.remoteHosts
	for i := range out.TOC {
		out.TOC[i].ID = scopeID(out.TOC[i].ID)
	}
	if out.Title == "" {
		// As mkdocs-material does, a page without a first-level heading
		// gets one with its title.
		out.Title = titleFromPath(page)
		out.HTML = "<h1>" + gohtml.EscapeString(out.Title) + "</h1>\n" + out.HTML
	}
	return out, nil
}

// sanitizer keeps what docs legitimately use — the classes, ids and
// radio-button tabs of mkdocs' extensions, images as data URIs — and drops
// scripts, event handlers, iframes, styles and javascript: URLs. scope then
// keeps the classes and ids from being the app's. Built on first use, not
// at init: every CLI command links this package, few render docs.
var sanitizer = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("class").Globally()
	p.AllowAttrs("id").Globally()
	p.AllowAttrs("title").Globally()
	p.AllowElements("details", "summary", "mark", "abbr", "kbd", "sup", "sub", "label", "span")
	p.AllowAttrs("open").OnElements("details")
	p.AllowAttrs("for").OnElements("label")
	p.AllowAttrs("data-tabs").OnElements("div")
	p.AllowAttrs("data-source-line").Matching(regexp.MustCompile(`^[0-9]{1,7}$`)).Globally()
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^(radio|checkbox)$`)).OnElements("input")
	p.AllowAttrs("checked", "name", "disabled").OnElements("input")
	p.AllowDataURIImages()
	p.AllowRelativeURLs(true)
	p.RequireNoFollowOnLinks(false)
	return p
})

// headingIDs gives headings the ids python-markdown's toc extension gives:
// its slugify, and _1, _2… for repeats; seen holds every id given.
type headingIDs struct{ seen map[string]bool }

var (
	nonWord  = regexp.MustCompile(`[^\w\s-]`)
	dashRuns = regexp.MustCompile(`[-\s]+`)
)

func slugify(s string) string {
	s = norm.NFKD.String(s)
	s = strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII {
			return -1
		}
		return r
	}, s)
	s = strings.ToLower(strings.TrimSpace(nonWord.ReplaceAllString(s, "")))
	return dashRuns.ReplaceAllString(s, "-")
}

// reserve takes the ids written as {#id} anywhere in doc before any
// heading is given one, as toc collects every id before it slugifies:
// a slug equal to one of them gets _1.
func (h *headingIDs) reserve(doc ast.Node) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if id, ok := explicitID(n); ok && entering {
			h.take(id)
		}
		return ast.WalkContinue, nil
	})
}

// explicitID is the id an attribute list gave n ({#id}), if any.
func explicitID(n ast.Node) (string, bool) {
	v, ok := n.AttributeString("id")
	if !ok {
		return "", false
	}
	id, ok := v.([]byte)
	return string(id), ok && len(id) > 0
}

// idCount is toc's IDCOUNT_RE: an id ending in _N.
var idCount = regexp.MustCompile(`^(.*)_([0-9]+)$`)

// unique is toc's unique(): id while free, else id_1, or the next N of
// an id ending in _N, until one is free; an empty id (a heading of
// Chinese or only punctuation) becomes _1, _2…
func (h *headingIDs) unique(id string) string {
	for id == "" || h.seen[id] {
		if m := idCount.FindStringSubmatch(id); m != nil {
			if n, err := strconv.Atoi(m[2]); err == nil {
				id = m[1] + "_" + strconv.Itoa(n+1)
				continue
			}
		}
		id += "_1"
	}
	h.take(id)
	return id
}

func (h *headingIDs) take(id string) {
	if h.seen == nil {
		h.seen = map[string]bool{}
	}
	h.seen[id] = true
}

// pageTransformer does what mkdocs' link handling, toc permalinks and the
// GitHub-alert plugin do: relative links become app routes, images data
// URIs, headings get permalinks and fill the outline, `> [!NOTE]` quotes
// become admonitions, and diagrams become Diagram nodes.
type pageTransformer struct {
	page  string
	links Links
	out   *Page
	ids   headingIDs
	abbrs map[string]string
	lines *lineMap
	// node is the link being rewritten, for the line of a problem.
	node ast.Node
}

var alertTypes = map[string]string{"NOTE": "note", "TIP": "tip", "IMPORTANT": "important", "WARNING": "warning", "CAUTION": "danger"}

func (t *pageTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var replace []func()
	t.ids.reserve(doc)
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			txt := plainText(n, src)
			// The id python-markdown gives: one written as {#id} stays, as
			// toc keeps what attr_list set; else from the heading's text,
			// so a link in a heading adds its words, not its URL.
			idText, ok := explicitID(n)
			if !ok {
				idText = t.ids.unique(slugify(txt))
			}
			n.SetAttributeString("id", []byte(idText))
			if n.Level == 1 && t.out.Title == "" {
				t.out.Title = txt
			}
			t.out.TOC = append(t.out.TOC, Heading{Level: n.Level, ID: idText, Text: txt})
			if t.links.Permalink == "" {
				return ast.WalkSkipChildren, nil
			}
			link := ast.NewLink()
			link.Destination = []byte("#" + idText)
			link.SetAttributeString("class", []byte("headerlink"))
			link.Title = []byte("Permanent link")
			link.AppendChild(link, ast.NewString([]byte(t.links.Permalink)))
			n.AppendChild(n, link)
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			t.node = n
			n.Destination = []byte(t.href(string(n.Destination)))
		case *ast.Image:
			n.Destination = []byte(t.image(string(n.Destination)))
		case *ast.FencedCodeBlock:
			lang := string(n.Language(src))
			if lang == "mermaid" || lang == "plantuml" || lang == "dot" || lang == "graphviz" {
				d := &Diagram{Lang: lang, Code: string(n.Lines().Value(src))}
				replace = append(replace, func() { n.Parent().ReplaceChild(n.Parent(), n, d) })
			}
		case *extast.TaskCheckBox:
			if item := n.Parent().Parent(); item != nil && item.Kind() == ast.KindListItem {
				item.SetAttributeString("class", []byte("task-list-item"))
				item.Parent().SetAttributeString("class", []byte("task-list"))
			}
		case *ast.Blockquote:
			if box := t.alert(n, src); box != nil {
				replace = append(replace, func() { n.Parent().ReplaceChild(n.Parent(), n, box) })
			}
		case *ast.HTMLBlock:
			if bytes.Contains(bytes.ToLower(n.Lines().Value(src)), []byte("<iframe")) {
				note := &Box{Variant: "warning", Title: "Embedded content not shown"}
				p := ast.NewParagraph()
				p.AppendChild(p, ast.NewString([]byte("This page embeds a frame from another site; Callboard shows docs without running embedded content.")))
				note.AppendChild(note, p)
				replace = append(replace, func() { n.Parent().InsertAfter(n.Parent(), n, note) })
			}
		}
		return ast.WalkContinue, nil
	})
	for _, r := range replace {
		r()
	}
	if t.links.SourceLines {
		markSourceLines(doc, t.lines)
	}
	markAbbreviations(doc, src, t.abbrs)
	replaceSymbols(doc, src)
	highlightInline(doc, src)
}

// alert turns a `> [!NOTE]` quote into an admonition, or returns nil.
func (t *pageTransformer) alert(q *ast.Blockquote, src []byte) *Box {
	p, ok := q.FirstChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return nil
	}
	first := p.Lines().At(0)
	m := regexp.MustCompile(`^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$`).FindSubmatch(bytes.TrimSpace(first.Value(src)))
	if m == nil {
		return nil
	}
	kind := string(m[1])
	box := &Box{Variant: alertTypes[kind], Title: kind[:1] + strings.ToLower(kind[1:])}
	// Drop the marker: the first line of the first paragraph.
	for c := p.FirstChild(); c != nil; {
		next := c.NextSibling()
		txt, isText := c.(*ast.Text)
		p.RemoveChild(p, c)
		if isText && txt.SoftLineBreak() || isText && txt.HardLineBreak() {
			break
		}
		c = next
	}
	for c := q.FirstChild(); c != nil; {
		next := c.NextSibling()
		if !(c == p && p.ChildCount() == 0) {
			box.AppendChild(box, c)
		}
		c = next
	}
	return box
}

var external = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:|^//`)

// href makes a link of the page point where the reader should go: other
// pages become app routes, external URLs stay, anchors stay.
func (t *pageTransformer) href(dest string) string {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return dest
	}
	if external.MatchString(dest) {
		if strings.HasPrefix(strings.ToLower(dest), "javascript:") {
			return ""
		}
		return dest
	}
	target, anchor, _ := strings.Cut(dest, "#")
	if rest, ok := strings.CutPrefix(target, "/docs/"); ok && t.links.Entity != nil {
		parts := strings.SplitN(rest, "/", 4)
		if len(parts) >= 3 && parts[0] != "" && parts[1] != "" && parts[2] != "" {
			page := ""
			if len(parts) == 4 {
				page = parts[3]
			}
			return t.links.Entity(parts[1]+":"+parts[0]+"/"+parts[2], page, scopeID(anchor))
		}
	}
	resolved := path.Clean(path.Join(path.Dir(t.page), target))
	if strings.HasPrefix(resolved, "../") || resolved == ".." {
		t.problem(dest, "leaves the docs folder, so it is dropped")
		return ""
	}
	if strings.HasSuffix(resolved, "/") || !strings.Contains(path.Base(resolved), ".") {
		resolved = strings.TrimSuffix(resolved, "/") + "/index.md"
	}
	if strings.HasSuffix(resolved, ".md") {
		if s := t.links.site; s != nil {
			if r, ok := s.Redirected(resolved); ok {
				if r.URL != "" {
					return r.URL
				}
				resolved, anchor = r.Page, cmpOr(r.Anchor, anchor)
			} else if !s.pageSet()[resolved] {
				t.problem(dest, "there is no page "+resolved+" in the docs folder")
			}
		}
		t.out.Links = append(t.out.Links, resolved)
		// The anchor names an id of another page, scoped as this page's are.
		anchor = scopeID(anchor)
		if t.links.Page != nil {
			return t.links.Page(resolved, anchor)
		}
		return relTo(t.page, strings.TrimSuffix(resolved, ".md")+".html") + anchorSuffix(anchor)
	}
	if t.links.Asset != nil {
		return t.links.Asset(resolved)
	}
	return relTo(t.page, resolved)
}

// problem notes a link of the page that leads nowhere.
func (t *pageTransformer) problem(target, why string) {
	if t.links.site == nil {
		return
	}
	line := 0
	if t.node != nil {
		line = t.lines.lineOf(t.node)
	}
	t.out.Problems = append(t.out.Problems, Problem{File: t.links.site.File(t.page), Line: line, Target: target, Why: why})
}

// relTo is target (a path in the docs folder) as seen from page.
func relTo(page, target string) string {
	from := strings.Split(path.Dir(page), "/")
	if from[0] == "." {
		from = nil
	}
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	return strings.Repeat("../", len(from)-i) + strings.Join(to[i:], "/")
}

func anchorSuffix(a string) string {
	if a == "" {
		return ""
	}
	return "#" + a
}

func (t *pageTransformer) image(dest string) string {
	if external.MatchString(dest) && !strings.HasPrefix(dest, "data:") {
		return dest
	}
	resolved := path.Clean(path.Join(path.Dir(t.page), dest))
	if strings.HasPrefix(resolved, "../") || resolved == ".." {
		return ""
	}
	if t.links.Asset != nil {
		return t.links.Asset(resolved)
	}
	return relTo(t.page, resolved)
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return dropCritic(strings.TrimSpace(b.String()))
}

// KindDiagram is a diagram fence.
var KindDiagram = ast.NewNodeKind("Diagram")

// Diagram is a mermaid, PlantUML or Graphviz fence: mermaid is drawn by
// the UI; the others are shown as source with a note (no renderer runs
// offline).
type Diagram struct {
	ast.BaseBlock
	Lang string
	Code string
}

// Kind implements ast.Node.
func (d *Diagram) Kind() ast.NodeKind { return KindDiagram }

// Dump implements ast.Node.
func (d *Diagram) Dump(src []byte, level int) {
	ast.DumpHelper(d, src, level, map[string]string{"Lang": d.Lang}, nil)
}

type diagramRenderer struct{}

func (diagramRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	// Indented code: pymdownx.highlight wraps it like fenced code.
	reg.Register(ast.KindCodeBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(`<div class="highlight"><pre><code>`)
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				w.WriteString(gohtml.EscapeString(string(seg.Value(src))))
			}
			w.WriteString("</code></pre></div>\n")
		}
		return ast.WalkSkipChildren, nil
	})
	// pymdownx.tasklist with custom_checkbox, as techdocs-core sets it: the
	// box inside a label with an indicator the theme draws.
	reg.Register(extast.KindTaskCheckBox, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			checked := ""
			if n.(*extast.TaskCheckBox).IsChecked {
				checked = " checked"
			}
			w.WriteString(`<label class="task-list-control"><input type="checkbox" disabled` + checked + `/><span class="task-list-indicator"></span></label> `)
		}
		return ast.WalkContinue, nil
	})
	reg.Register(KindDiagram, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		d := n.(*Diagram)
		if d.Lang == "mermaid" {
			fmt.Fprintf(w, "<pre class=\"mermaid\"><code>%s</code></pre>\n", gohtml.EscapeString(d.Code))
			return ast.WalkSkipChildren, nil
		}
		name := map[string]string{"plantuml": "PlantUML", "dot": "Graphviz", "graphviz": "Graphviz"}[d.Lang]
		fmt.Fprintf(w, "<div class=\"admonition info diagram-source\"><p class=\"admonition-title\">%s diagram</p><p>%s diagrams need a renderer that does not run offline; here is the source.</p><div class=\"highlight\"><pre><code class=\"language-%s\">%s</code></pre></div></div>\n",
			name, name, d.Lang, gohtml.EscapeString(d.Code))
		return ast.WalkSkipChildren, nil
	})
}

// titleFromPath is mkdocs' title for a page without a heading: its file
// name, dashes and underscores as spaces, capitalised.
func titleFromPath(p string) string {
	base := strings.TrimSuffix(path.Base(p), path.Ext(p))
	if base == "index" {
		if dir := path.Dir(p); dir != "." {
			base = path.Base(dir)
		} else {
			return "Home"
		}
	}
	base = strings.NewReplacer("-", " ", "_", " ").Replace(base)
	if base == "" {
		return p
	}
	return strings.ToUpper(base[:1]) + base[1:]
}
