package techdocs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/callboard/callboard/app/catalog"
)

// BuildResult says what Build wrote and what is worth fixing.
type BuildResult struct {
	Pages    int
	Assets   int
	Warnings []string
}

// Build renders every page of the site to static HTML in out: one file per
// page (index.md → index.html), the images and files pages link to, a
// search index (search_index.json) and a search page.
func (s Site) Build(ctx context.Context, files catalog.Files, out string) (BuildResult, error) {
	res := BuildResult{Warnings: append([]string(nil), s.Warnings...)}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return res, fmt.Errorf("create %s: %w", out, err)
	}
	var mu sync.Mutex // guards res, copied and index
	copied := map[string]bool{}
	type entry struct {
		Title    string `json:"title"`
		Location string `json:"location"`
		Text     string `json:"text"`
	}
	index := make([]entry, len(s.Pages))
	// The nav differs per page only in its links' folder and the current
	// page: it is built once per folder and marked per page.
	navs := map[string]string{}
	navOf := func(page string, rel func(string) string) template.HTML {
		mu.Lock()
		nav, ok := navs[path.Dir(page)]
		if !ok {
			nav = string(navHTML(s.Nav, rel))
			navs[path.Dir(page)] = nav
		}
		mu.Unlock()
		link := `href="` + template.HTMLEscapeString(rel(htmlName(page))) + `"`
		return template.HTML(strings.Replace(nav, link, `class="active" `+link, 1)) // nav's own escaped HTML
	}
	code := newCodeCache()
	warn := func(w string) {
		mu.Lock()
		res.Warnings = append(res.Warnings, w)
		mu.Unlock()
	}
	build := func(i int, page string) error {
		from := path.Dir(page)
		rel := func(target string) string {
			r, err := filepath.Rel(from, target)
			if err != nil {
				return target
			}
			return filepath.ToSlash(r)
		}
		links := Links{
			KeepRemoteImages: true,
			code:             code,
			Page:             func(p, anchor string) string { return rel(htmlName(p)) + anchorSuffix(anchor) },
			Asset: func(p string) string {
				mu.Lock()
				defer mu.Unlock()
				if !copied[p] {
					data, err := files.ReadFile(s.File(p))
					if err != nil {
						res.Warnings = append(res.Warnings, fmt.Sprintf("%s: links to %s, which is not in the docs folder", page, p))
						return ""
					}
					dst := filepath.Join(out, filepath.FromSlash(p))
					if err := os.MkdirAll(filepath.Dir(dst), 0o755); err == nil {
						if err := os.WriteFile(dst, data, 0o644); err == nil {
							copied[p] = true
							res.Assets++
						}
					}
				}
				return rel(p)
			},
		}
		p, err := s.Render(files, page, links)
		if err != nil {
			warn(err.Error())
			return nil
		}
		for _, l := range p.Links {
			if !contains(s.Pages, l) {
				warn(fmt.Sprintf("%s: links to %s, which does not exist", page, l))
			}
		}
		var buf bytes.Buffer
		if err := pageTemplate().Execute(&buf, map[string]any{"Site": s, "Page": p, "Root": rel("."), "Nav": navOf(page, rel)}); err != nil {
			return fmt.Errorf("write %s: %w", page, err)
		}
		dst := filepath.Join(out, filepath.FromSlash(htmlName(page)))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", dst, err)
		}
		mu.Lock()
		res.Pages++
		index[i] = entry{Title: p.Title, Location: htmlName(page), Text: Text(p.HTML)}
		mu.Unlock()
		return nil
	}
	// Pages render on every CPU: each is independent of the others.
	jobs := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range jobs {
				if err := build(i, s.Pages[i]); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range s.Pages {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	select {
	case err := <-errs:
		return res, err
	default:
	}
	if err := s.writeRedirects(out); err != nil {
		return res, err
	}
	kept := index[:0]
	for _, e := range index {
		if e.Location != "" {
			kept = append(kept, e)
		}
	}
	index = kept
	data, err := json.Marshal(map[string]any{"docs": index})
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(out, "search_index.json"), data, 0o644); err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(out, "search.html"), []byte(searchPage(s.Name)), 0o644); err != nil {
		return res, err
	}
	return res, nil
}

// writeRedirects writes a page for each of redirect_maps' old pages that
// sends the reader on, as mkdocs-redirects does after the build (so it
// replaces a page still there), keeping the anchor the reader came with.
func (s Site) writeRedirects(out string) error {
	olds := make([]string, 0, len(s.redirects))
	for old := range s.redirects {
		olds = append(olds, old)
	}
	slices.Sort(olds)
	for _, old := range olds {
		r, ok := s.Redirected(old)
		clean := strings.TrimPrefix(path.Clean("/"+old), "/")
		if !ok || clean == "" {
			continue
		}
		name := htmlName(clean)
		target := r.URL
		if target == "" {
			rel, err := filepath.Rel(path.Dir(name), htmlName(r.Page))
			if err != nil {
				continue
			}
			target = filepath.ToSlash(rel) + anchorSuffix(scopeID(r.Anchor))
		}
		u := template.JSEscapeString(target)
		h := template.HTMLEscapeString(target)
		page := `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Redirecting...</title>
<link rel="canonical" href="` + h + `">
<script>var anchor=window.location.hash.substr(1);location.href="` + u + `"+(anchor?"#"+anchor:"")</script>
<meta http-equiv="refresh" content="0; url=` + h + `">
</head>
<body>
You're being redirected to a <a href="` + h + `">new destination</a>.
</body>
</html>
`
		dst := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, []byte(page), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", dst, err)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func htmlName(page string) string { return strings.TrimSuffix(page, ".md") + ".html" }

// Text is the words of some HTML, for search indexes: what is outside
// tags, with a tag parting words, and runs of space made one.
func Text(h string) string {
	var b strings.Builder
	b.Grow(len(h) / 2)
	in, space := false, false
	for _, r := range h {
		switch {
		case r == '<':
			in, space = true, true
		case r == '>':
			in, space = false, true
		case in:
		case unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

func navHTML(items []NavItem, rel func(string) string) template.HTML {
	var b strings.Builder
	b.WriteString("<ul>")
	for _, it := range items {
		b.WriteString("<li>")
		switch {
		case it.Path != "":
			fmt.Fprintf(&b, `<a href="%s">%s</a>`, template.HTMLEscapeString(rel(htmlName(it.Path))), template.HTMLEscapeString(it.Title))
		case it.URL != "":
			fmt.Fprintf(&b, `<a href="%s">%s</a>`, template.HTMLEscapeString(it.URL), template.HTMLEscapeString(it.Title))
		default:
			fmt.Fprintf(&b, `<span>%s</span>%s`, template.HTMLEscapeString(it.Title), navHTML(it.Children, rel))
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul>")
	return template.HTML(b.String()) // built from escaped parts above
}

const style = `body{margin:0;font:15px/1.6 system-ui,sans-serif;color:#1f2328;display:grid;grid-template-columns:240px minmax(0,1fr) 220px;gap:28px}
nav,aside{position:sticky;top:0;max-height:100vh;overflow:auto;padding:18px;font-size:13px}nav ul,aside ul{list-style:none;padding-left:10px;margin:0}
nav a.active{font-weight:700}main{padding:18px 0;max-width:820px}pre{background:#f6f8fa;padding:12px;border-radius:6px;overflow:auto}
.admonition,details{border-left:4px solid #5b5bd6;background:#f6f8fa;padding:4px 14px;margin:14px 0;border-radius:6px}.admonition-title{font-weight:700}
.headerlink{opacity:.3;margin-left:6px;text-decoration:none}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 10px}
.tabbed-set>input{display:none}.tabbed-block{display:none}.tabbed-set>input:first-of-type:checked~.tabbed-content>.tabbed-block:first-child{display:block}
@media (prefers-color-scheme:dark){body{background:#131316;color:#e6e6e6}pre,.admonition,details{background:#1d1d22}a{color:#9d9df5}}`

// The page HTML was sanitised when rendered: the template must not escape it again.
var pageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Funcs(template.FuncMap{"safe": func(s string) template.HTML { return template.HTML(s) }}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Page.Title}} — {{.Site.Name}}</title><style>` + style + `</style></head>
<body><nav><p><a href="{{.Root}}/index.html"><strong>{{.Site.Name}}</strong></a></p><p><a href="{{.Root}}/search.html">Search</a></p>{{.Nav}}</nav>
<main>{{.Page.HTML | safe}}</main>
<aside>{{if .Page.TOC}}<p><strong>On this page</strong></p><ul>{{range .Page.TOC}}{{if gt .Level 1}}<li style="padding-left:{{.Level}}px"><a href="#{{.ID}}">{{.Text}}</a></li>{{end}}{{end}}</ul>{{end}}</aside>
</body></html>
`))
})

func searchPage(site string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search — ` + template.HTMLEscapeString(site) + `</title><style>` + style + `</style></head>
<body><nav><p><a href="index.html"><strong>` + template.HTMLEscapeString(site) + `</strong></a></p></nav><main><h1>Search</h1>
<input id="q" type="search" placeholder="Search the docs" autofocus style="width:100%;font-size:16px;padding:6px"><ol id="r"></ol></main><aside></aside>
<script>
fetch('search_index.json').then(r=>r.json()).then(({docs})=>{const q=document.getElementById('q'),r=document.getElementById('r');
q.oninput=()=>{const w=q.value.toLowerCase().split(/\s+/).filter(Boolean);r.replaceChildren(...docs.filter(d=>w.length&&w.every(x=>(d.title+' '+d.text).toLowerCase().includes(x))).slice(0,50).map(d=>{const li=document.createElement('li'),a=document.createElement('a');a.href=d.location;a.textContent=d.title;li.append(a);return li}))}})
</script></body></html>
`
}
