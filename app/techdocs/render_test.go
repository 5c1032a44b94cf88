package techdocs

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/callboard/callboard/app/catalog"
)

func TestRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		md     string
		want   []string
		absent []string
	}{
		{"headings get python-markdown ids and permalinks", "# Getting Started!\n\n## Install\n\n## Install\n",
			[]string{`<h1 id="doc-getting-started">Getting Started!<a href="#doc-getting-started" title="Permanent link" class="headerlink">¶</a></h1>`, `id="doc-install"`, `id="doc-install_1"`}, nil},
		{"ids as toc's unique() gives them: empty slugs are _1, _2; an id ending in _N counts on", "# 标题\n\n## 安装\n\n## a_1\n\n## a\n\n## a\n",
			[]string{`<h1 id="doc-_1">`, `<h2 id="doc-_2">`, `<h2 id="doc-a_1">`, `<h2 id="doc-a">`, `<h2 id="doc-a_2">`}, []string{`doc-section`}},
		{"a heading keeps an id written as {#id}, and a slug equal to it gets _1", "## Área de Trabalho {#area}\n\n## Area\n\n## Setup {#setup-guide}\n",
			[]string{`<h2 id="doc-area">Área de Trabalho<a href="#doc-area"`, `<h2 id="doc-area_1">Area<a href="#doc-area_1"`, `<h2 id="doc-setup-guide">Setup<a`}, []string{`{#`}},
		{"admonition with a title", "!!! warning \"Mind the gap\"\n    Between the train and the platform.\n",
			[]string{`<div class="admonition warning">`, `<p class="admonition-title">Mind the gap</p>`, `<p>Between the train and the platform.</p>`}, nil},
		{"admonition without a title given", "!!! note\n    Body.\n", []string{`<p class="admonition-title">Note</p>`}, nil},
		{"YAML front matter is taken out, as mkdocs does", "---\nid: faqs\ntitle: FAQs\n---\n\n# FAQ\n", []string{`<h1 id="doc-faq">FAQ`}, []string{"<hr", "sidebar", "id: faqs", "<h2"}},
		{"front matter that is no mapping stays", "---\njust text\n---\n\nBody.\n", []string{"<hr", "just text"}, nil},
		{"MultiMarkdown metadata is taken out up to the first blank line", "Title: Guide\nAuthors: a\n    b\n\nBody.\n", []string{"<p>Body.</p>"}, []string{"Guide", "Authors"}},
		{"a page not starting with metadata is whole", "# Top\n\nNote: kept.\n", []string{`<h1 id="doc-top">`, "Note: kept."}, nil},
		{"admonition without a space after the marker", "!!!info\n    Body.\n", []string{`<div class="admonition info">`, `<p class="admonition-title">Info</p>`, `<p>Body.</p>`}, nil},
		{"admonition and details with more class words", "!!! tip inline end \"Side\"\n    One.\n\n???+ note inline\n    Two.\n",
			[]string{`<div class="admonition tip doc-inline doc-end">`, `<p class="admonition-title">Side</p>`, `<details class="note doc-inline" open="">`, `<summary>Note</summary>`}, nil},
		{"details, open", "???+ tip \"More\"\n    Hidden text.\n", []string{`<details class="tip" open="">`, `<summary>More</summary>`, `<p>Hidden text.</p>`}, nil},
		{"tabs", "=== \"Go\"\n\n    ```go\n    fmt.Println()\n    ```\n\n=== \"Python\"\n\n    print()\n",
			[]string{`<div class="tabbed-set tabbed-alternate" data-tabs="1:2">`, `<label for="doc-__tabbed_1_1">Go</label>`, `<label for="doc-__tabbed_1_2">Python</label>`, `<div class="tabbed-block">`, `language-go highlight`}, nil},
		{"code is highlighted with classes", "```python\nprint(1)\n```\n", []string{`<div class="language-python highlight">`, `class="chroma"`}, nil},
		{"fence options: title, highlighted and numbered lines", "```python title=\"app.py\" hl_lines=\"2\" linenums=\"10\"\na = 1\nb = 2\n```\n", []string{`<span class="filename">app.py</span>`, `class="line hl"`, `<span class="ln">10</span>`}, nil},
		{"critic marks in a highlighted block", "```python\nx = {++1++}\n```\n", []string{`<ins class="critic">`}, []string{"\uE100"}},
		{"carriage returns in a highlighted block", "```python\r\nx = 1\r\ny = 2\r\n```\r\n", []string{`<span class="mi">2</span>`}, []string{"\r"}},
		{"mermaid is left for the UI", "```mermaid\ngraph TD; A-->B\n```\n", []string{`<pre class="mermaid"><code>graph TD; A--&gt;B`}, nil},
		{"plantuml is shown as source with a note", "```plantuml\n@startuml\n@enduml\n```\n", []string{`PlantUML diagram`, `@startuml`}, nil},
		{"github alert", "> [!WARNING]\n> Do not do this.\n", []string{`<div class="admonition warning">`, `<p class="admonition-title">Warning</p>`, `Do not do this.`}, []string{"[!WARNING]", "<blockquote>"}},
		{"tables, footnotes, task lists", "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: Note.\n\n- [x] done\n",
			[]string{"<table>", `class="footnote-ref"`, `type="checkbox"`}, nil},
		{"task lists with custom checkboxes", "- [x] done\n- [ ] open\n", []string{`<ul class="task-list">`, `<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled="" checked=""/><span class="task-list-indicator"></span></label> done</li>`}, nil},
		{"critic marks, in code too", "{++add++} {--cut--} {~~a~>b~~} {==see==} {>>note<<} `x {++y++}`\n", []string{`<ins class="critic">add</ins>`, `<del class="critic">cut</del>`, `<del class="critic">a</del><ins class="critic">b</ins>`, `<mark class="critic">see</mark>`, `<span class="critic comment">note</span>`, `<code>x <ins class="critic">y</ins></code>`}, nil},
		{"critic placeholders the author wrote open nothing", "a \uE100 b \uE10A\n", []string{"a \uFFFD b \uFFFD"}, []string{"<ins", "</span>"}},
		{"markdown in html", "<div class=\"grid\" markdown>\n**bold**\n<div>inner</div>\n</div>\n\n<div>\n**raw**\n</div>\n", []string{"<div class=\"doc-grid\">\n<p><strong>bold</strong></p>", "**raw**"}, []string{"markdown"}},
		{"markdown in html leaves code alone", "```\n<div markdown>\n```\n", []string{"&lt;div markdown&gt;"}, nil},
		{"mark, caret and tilde", "==marked== ^^inserted^^ H^2^O ~~deleted~~ H~2~O a = b", []string{"<mark>marked</mark>", "<ins>inserted</ins>", "H<sup>2</sup>O", "<del>deleted</del>", "H<sub>2</sub>O", "a = b"}, nil},
		{"abbreviations", "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n", []string{`<abbr title="Hyper Text Markup Language">HTML</abbr> spec`}, []string{"*[HTML]"}},
		{"inline code highlighted", "Call `#!python print(1)` or `plain`.", []string{`<code class="highlight"><span class="nb">print</span>`, "<code>plain</code>"}, []string{"#!python"}},
		{"smart symbols outside code", "Acme(tm) (c) 2026, +/- 1/2 --> done `(c) in code`", []string{"Acme™ © 2026, ± ½ → done", "<code>(c) in code</code>"}, nil},
		{"scripts and handlers are removed", "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n",
			nil, []string{"<script", "onerror", "javascript:"}},
		{"iframes are refused, with a note", "<iframe src=\"https://example.com\"></iframe>\n", []string{"Embedded content not shown"}, []string{"<iframe"}},
		{"relative links become pages, anchors kept", "[next](../guide/setup.md#install) [ext](https://example.com)", []string{`href="../guide/setup.html#doc-install"`, `href="https://example.com"`}, nil},
		{"links out of the docs folder are dropped", "[x](../../secret.md)", nil, []string{"secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := render("examples/page.md", []byte(tt.md), Links{Permalink: "¶"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.HTML, w) {
					t.Errorf("HTML lacks %s:\n%s", w, p.HTML)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(p.HTML, a) {
					t.Errorf("HTML holds %s:\n%s", a, p.HTML)
				}
			}
		})
	}
}

func TestOutlineAndTitle(t *testing.T) {
	t.Parallel()
	p, err := render("ops/runbook.md", []byte("# Runbook\n\n## Deploy\n\n### Roll back\n"), Links{Permalink: "¶"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Runbook" || len(p.TOC) != 3 || p.TOC[2] != (Heading{Level: 3, ID: "doc-roll-back", Text: "Roll back"}) {
		t.Errorf("title %q, toc %+v", p.Title, p.TOC)
	}
	if q, _ := render("ops/no-heading.md", []byte("text"), Links{Permalink: "¶"}, nil); q.Title != "No heading" {
		t.Errorf("title without a heading = %q", q.Title)
	}
	if _, err := render("big.md", make([]byte, maxPage+1), Links{}, nil); err == nil {
		t.Error("an oversized page rendered")
	}
}

func TestLoadSite(t *testing.T) {
	t.Parallel()
	files := catalog.MapFiles{
		"svc/mkdocs.yml":             "site_name: Payments\nnav:\n  - Home: index.md\n  - Guides:\n      - guides/setup.md\n      - Upgrading: guides/upgrade.md\n  - Status: https://status.example\n  - Missing: gone.md\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
		"svc/docs/index.md":          "# Payments\n",
		"svc/docs/guides/setup.md":   "# Setup\n",
		"svc/docs/guides/upgrade.md": "# Upgrade\n",
		"svc/docs/extra.md":          "# Extra\n",
	}
	s, err := Load(files, "svc")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Payments" || len(s.Nav) != 4 || s.Nav[1].Children[1].Title != "Upgrading" || s.Nav[2].URL != "https://status.example" {
		t.Errorf("site = %+v", s)
	}
	if got := strings.Join(s.Pages, " "); got != "index.md guides/setup.md guides/upgrade.md extra.md" {
		t.Errorf("pages = %s (nav order, then the rest)", got)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "gone.md") {
		t.Errorf("warnings = %v", s.Warnings)
	}
	noConfig := catalog.MapFiles{"docs/index.md": "# Hi\n", "docs/b/two.md": "x", "docs/a.md": "x"}
	d, err := Load(noConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Pages, " "); got != "index.md a.md b/two.md" {
		t.Errorf("pages without a nav = %s", got)
	}
	if _, err := d.Render(noConfig, "../secrets.md", Links{}); err == nil {
		t.Error("rendered a page outside the site")
	}
}

// mkdocs.yml is read through the catalog's YAML budget: a bomb in it is
// refused at its line and field instead of expanding into memory.
func TestLoadSiteRefusesBombs(t *testing.T) {
	t.Parallel()
	var bomb strings.Builder
	bomb.WriteString("site_name: &big \"" + strings.Repeat("x", 1<<20) + "\"\nextra:\n")
	for range 20 {
		bomb.WriteString("  - *big\n")
	}
	files := catalog.MapFiles{"mkdocs.yml": bomb.String(), "docs/index.md": "# Hi\n"}
	_, err := Load(files, "")
	if want := "mkdocs.yml:9:5: extra.6: aliases expand the document past 8 MB here"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load error = %.200v, want %s", err, want)
	}
}

func TestSnippets(t *testing.T) {
	t.Parallel()
	files := catalog.MapFiles{
		"mkdocs.yml":        "site_name: S\n",
		"docs/index.md":     "# Home\n\n--8<-- \"snippets/intro.md\"\n\n--8<--\nsnippets/a.md\n; a comment\nsnippets/b.md\n--8<--\n",
		"docs/escape.md":    "--8<-- \"../../etc/passwd\"\n",
		"docs/missing.md":   "--8<-- \"snippets/nope.md\"\n",
		"docs/loop.md":      "--8<-- \"snippets/loop.md\"\n",
		"snippets/intro.md": "Included **intro**.\n",
		"snippets/a.md":     "Part A.\n",
		"snippets/b.md":     "Part B.\n",
		"snippets/loop.md":  "--8<-- \"snippets/loop.md\"\n",
	}
	s, err := Load(files, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Render(files, "index.md", Links{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Included <strong>intro</strong>.", "Part A.", "Part B."} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML lacks %s:\n%s", want, p.HTML)
		}
	}
	for page, want := range map[string]string{"escape.md": "leaves the repository", "missing.md": "snippets/nope.md", "loop.md": "nest deeper"} {
		if _, err := s.Render(files, page, Links{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want one saying %q", page, err, want)
		}
	}
}

func TestExtensionOptions(t *testing.T) {
	t.Parallel()
	for cfg, want := range map[string]string{
		"site_name: A\n": `title="Permanent link" class="headerlink">¶</a>`,
		"site_name: A\nmarkdown_extensions:\n  - toc:\n      permalink: false\n": "",
		"site_name: A\nmarkdown_extensions:\n  - toc:\n      permalink: \"#\"\n": `title="Permanent link" class="headerlink">#</a>`,
	} {
		files := catalog.MapFiles{"mkdocs.yml": cfg, "docs/index.md": "# Title\n"}
		s, err := Load(files, "")
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Render(files, "index.md", Links{})
		if err != nil {
			t.Fatal(err)
		}
		if want == "" && strings.Contains(p.HTML, "headerlink") || want != "" && !strings.Contains(p.HTML, want) {
			t.Errorf("%q: %s", cfg, p.HTML)
		}
	}
}

// FuzzRender: any page renders or fails cleanly, and never lets a script,
// an event handler or a javascript: URL through, nor an id or class that
// could be the app's, nor an image fetched on opening.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"# T\n\n!!! note \"x\"\n    y\n", "=== \"a\"\n\n    b\n=== \"c\"\n    d\n", "???+ tip\n    x\n", "> [!NOTE]\n> x\n",
		"<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "--8<-- \"x.md\"\n", "*[A]: b\nA\n", "==a== ^b^ ~c~", "/// note | T\n    open: true\nx\n///\n",
		"<div class=\"modal-backdrop\" id=\"root\"><a href=\"#root\">x</a></div>", "![](https://t.example/p.gif)", "## H { .modal #main }\n",
		"```js\n</code></pre><script>alert(1)</script>\n```\n", "<div title='\n\n```js\nx\n```\n\n' onclick=alert(1)>\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := render("page.md", src, Links{Permalink: "¶", Blocks: true}, func(string) ([]byte, error) { return []byte("included\n"), nil })
		if err != nil {
			return
		}
		if bad := unsafeHTML(p.HTML); bad != "" {
			t.Fatalf("%q let %s through: %s", src, bad, p.HTML)
		}
		if bad := unscoped(p.HTML); bad != "" {
			t.Fatalf("%q left %s unscoped: %s", src, bad, p.HTML)
		}
	})
}

// unsafeHTML names the first script, frame, event handler or javascript:
// URL in doc, or returns "".
func unsafeHTML(doc string) string {
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return ""
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, more := z.TagName()
		switch string(name) {
		case "script", "iframe", "object", "embed", "style":
			return "<" + string(name) + ">"
		}
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			key, val := strings.ToLower(string(k)), strings.ToLower(strings.TrimSpace(string(v)))
			if strings.HasPrefix(key, "on") || (key == "href" || key == "src") && strings.HasPrefix(val, "javascript:") {
				return key + "=" + val
			}
		}
	}
}

func TestPymdownxBlocks(t *testing.T) {
	t.Parallel()
	md := "/// warning | Careful\nNot indented.\n///\n\n/// admonition | Custom\n    type: tip\n\nA tip.\n///\n\n/// details | More\n    open: true\n\nHidden.\n///\n\n/// tab | One\nFirst.\n///\n\n/// tab | Two\nSecond.\n///\n\nAfter.\n"
	p, err := render("p.md", []byte(md), Links{Blocks: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<div class="admonition warning">`, `<p class="admonition-title">Careful</p>`, "<p>Not indented.</p>",
		`<div class="admonition tip">`, `<p class="admonition-title">Custom</p>`, "<p>A tip.</p>",
		`<details class="note" open="">`, `<summary>More</summary>`,
		`<div class="tabbed-set tabbed-alternate" data-tabs="1:2">`, `<label for="doc-__tabbed_1_2">Two</label>`, "<p>After.</p>",
	} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML lacks %s:\n%s", want, p.HTML)
		}
	}
	if strings.Contains(p.HTML, "type: tip") || strings.Contains(p.HTML, "///") {
		t.Errorf("options or fences leaked into the page:\n%s", p.HTML)
	}
	off, _ := render("p.md", []byte(md), Links{}, nil)
	if strings.Contains(off.HTML, `class="admonition`) {
		t.Error("/// blocks rendered without use_pymdownx_blocks")
	}
	files := catalog.MapFiles{"mkdocs.yml": "site_name: B\nplugins:\n  - techdocs-core:\n      use_pymdownx_blocks: true\n", "docs/index.md": md}
	s, err := Load(files, "")
	if err != nil || !s.Blocks {
		t.Fatalf("use_pymdownx_blocks not read: %v %v", s.Blocks, err)
	}
}

// Links to other entities' docs, as Backstage addresses them, go where
// Links.Entity says; pages named as mkdocs URLs are found.
func TestLinksToOtherDocs(t *testing.T) {
	t.Parallel()
	var asked []string
	links := Links{Entity: func(ref, page, anchor string) string {
		asked = append(asked, ref+" "+page+" "+anchor)
		return "#/to/" + ref
	}}
	p, err := render("index.md", []byte("[a](/docs/default/component/billing/guides/setup/#install) [b](/docs/ops/system/pay) [c](/docs/x)\n"), links, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"component:default/billing guides/setup/ doc-install", "system:ops/pay  "}
	if strings.Join(asked, "|") != strings.Join(want, "|") || !strings.Contains(p.HTML, `href="#/to/component:default/billing"`) {
		t.Errorf("asked %q, HTML %s", asked, p.HTML)
	}
	s := Site{Pages: []string{"index.md", "guides/setup.md", "guides/index.md", "a/b/index.md"}}
	for in, want := range map[string]string{"": "index.md", "guides/setup/": "guides/setup.md", "guides/setup": "guides/setup.md", "guides/setup.md": "guides/setup.md", "guides/": "guides/index.md", "a/b": "a/b/index.md", "/../index.md": "index.md"} {
		if got, ok := s.Page(in); !ok || got != want {
			t.Errorf("Page(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got, ok := s.Page("nope/"); ok {
		t.Errorf("Page(nope/) = %q", got)
	}
}

func TestMonorepoInclude(t *testing.T) {
	t.Parallel()
	files := catalog.MapFiles{
		"mkdocs.yml": "site_name: Platform\nnav:\n  - Home: index.md\n  - Billing: '!include ./services/billing/mkdocs.yml'\n  - Auth: !include services/auth/mkdocs.yml\n" +
			"  - Self: '!include ./mkdocs.yml'\n  - Outside: '!include ../other/mkdocs.yml'\n  - Gone: '!include ./nope/mkdocs.yml'\n",
		"docs/index.md":                        "# Platform\n\nSee [billing](billing-svc/index.md).\n",
		"services/billing/mkdocs.yml":          "site_name: billing-svc\nnav:\n  - Overview: index.md\n  - Runbook: ops/runbook.md\nmarkdown_extensions:\n  - toc:\n      permalink: false\n",
		"services/billing/docs/index.md":       "# Billing\n\n![chart](img/chart.png) [runbook](ops/runbook.md)\n\n--8<-- \"shared.md\"\n",
		"services/billing/docs/ops/runbook.md": "# Runbook\n",
		"services/billing/shared.md":           "Shared by billing.\n",
		"services/auth/mkdocs.yml":             "site_name: auth\nnav:\n  - Back: '!include ../../mkdocs.yml'\n",
		"services/auth/docs/index.md":          "# Auth\n",
	}
	s, err := Load(files, "")
	if err != nil {
		t.Fatal(err)
	}
	wantPages := []string{"index.md", "billing-svc/index.md", "billing-svc/ops/runbook.md", "auth/index.md"}
	if strings.Join(s.Pages, ",") != strings.Join(wantPages, ",") {
		t.Errorf("pages = %v, want %v", s.Pages, wantPages)
	}
	if got := s.Nav[1]; got.Title != "Billing" || len(got.Children) != 2 || got.Children[1].Path != "billing-svc/ops/runbook.md" {
		t.Errorf("billing nav = %+v", got)
	}
	for _, want := range []string{`nav entry "Self" includes ./mkdocs.yml, which includes this site again`, `nav entry "Outside" includes ../other/mkdocs.yml, which leaves the repository`, `nav entry "Gone" includes ./nope/mkdocs.yml, which does not exist`, `auth: nav entry "Back" includes ../../mkdocs.yml, which includes this site again`} {
		if !slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
			t.Errorf("no warning %q in %q", want, s.Warnings)
		}
	}
	if got := s.File("billing-svc/img/chart.png"); got != "services/billing/docs/img/chart.png" {
		t.Errorf("File = %s", got)
	}
	var assets []string
	p, err := s.Render(files, "billing-svc/index.md", Links{Asset: func(f string) string { assets = append(assets, f); return f }})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Shared by billing.", `href="ops/runbook.html"`} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML lacks %s:\n%s", want, p.HTML)
		}
	}
	if strings.Contains(p.HTML, "headerlink") {
		t.Errorf("the included site turned permalinks off, yet: %s", p.HTML)
	}
	if strings.Join(p.Links, ",") != "billing-svc/ops/runbook.md" || strings.Join(assets, ",") != "billing-svc/img/chart.png" {
		t.Errorf("links %v, assets %v", p.Links, assets)
	}
}
