package techdocs

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/callboard/callboard/app/catalog"
)

// The differential test: each site is built by Debian's mkdocs with the
// Material theme and the extensions Backstage's techdocs-core turns on,
// and rendered by Callboard; for every page the two must agree on the
// heading outline and anchor ids, the admonition, details, tab and code
// block structure and the pages links lead to. A difference either gets
// fixed or is listed, with its reason, in testdata/known-differences.txt.

// techdocsCore is the mkdocs configuration techdocs-core amounts to, for
// the extensions Debian's packages provide.
const techdocsCore = `
theme:
  name: material
markdown_extensions:
  - admonition
  - abbr
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.highlight
  - pymdownx.magiclink
  - pymdownx.mark
  - pymdownx.caret
  - pymdownx.tilde
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.critic
`

// sites are the folders compared: ours under testdata, and the real
// Backstage demo site of the shared corpus.
var sites = []string{
	"testdata/sites/extensions",
	"../../../shared/corpus/backstage-demo",
	"../../../shared/corpus/software-templates/scaffolder-templates/docs-template/skeleton",
	"../../../shared/corpus/software-templates/scaffolder-templates/react-ssr-template/skeleton",
	"../../../shared/corpus/software-templates/scaffolder-templates/springboot-grpc-template/skeleton",
	"../../../shared/corpus/software-templates/scaffolder-templates/create-react-app/skeleton",
}

func TestAgainstMkdocs(t *testing.T) {
	if _, err := exec.LookPath("mkdocs"); err != nil {
		t.Skip("mkdocs not installed (Debian's mkdocs, mkdocs-material, python3-pymdownx; make test installs them)")
	}
	known := knownDifferences(t)
	for _, dir := range sites {
		name := filepath.Base(dir)
		if name == "skeleton" {
			name = filepath.Base(filepath.Dir(dir))
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("no shared corpus beside the clone, so this site is not compared: %v", err)
			}
			files, err := catalog.OpenDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer files.Close()
			site, err := Load(files, ".")
			if err != nil {
				t.Fatal(err)
			}
			built := mkdocsBuild(t, dir, site)
			for _, page := range site.Pages {
				ours, err := site.Render(files, page, Links{})
				if err != nil {
					t.Errorf("%s: %v", page, err)
					continue
				}
				theirs, err := os.ReadFile(filepath.Join(built, mkdocsFile(page)))
				if err != nil {
					t.Errorf("%s: mkdocs wrote no page: %v", page, err)
					continue
				}
				a := features(t, ours.HTML, page, false)
				b := features(t, articleOf(string(theirs)), page, true)
				if slices.Equal(a, b) {
					continue
				}
				for _, d := range diffLines(b, a) {
					key := name + " " + page + " " + d
					if reason := known.match(key); reason == "" {
						t.Errorf("%s: %s", page, d)
					}
				}
			}
		})
	}
}

// mkdocsBuild builds the site with mkdocs into a temporary folder, with
// the site's own name and nav and techdocs-core's extensions.
func mkdocsBuild(t *testing.T, dir string, site Site) string {
	t.Helper()
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "docs"), os.DirFS(filepath.Join(dir, site.DocsDir))); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("site_name: %q\n", site.Name) + techdocsCore
	if data, err := os.ReadFile(filepath.Join(dir, "mkdocs.yml")); err == nil {
		if i := strings.Index(string(data), "\nnav:"); i >= 0 {
			nav := string(data[i+1:])
			if j := strings.Index(nav, "\n"+firstTopKey(nav[4:])); j > 0 {
				nav = nav[:j+1]
			}
			cfg += nav
		}
	}
	if err := os.WriteFile(filepath.Join(work, "mkdocs.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(work, "site")
	cmd := exec.Command("mkdocs", "build", "--quiet", "--site-dir", out)
	cmd.Dir = work
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mkdocs build: %v\n%s", err, b)
	}
	return out
}

// firstTopKey finds the next top-level key after nav, to cut nav out.
func firstTopKey(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l != "" && l[0] != ' ' && l[0] != '-' && l[0] != '#' {
			return l
		}
	}
	return "\x00never"
}

// mkdocsFile is where mkdocs writes a page with directory URLs.
func mkdocsFile(page string) string {
	p := strings.TrimSuffix(page, ".md")
	if path.Base(p) == "index" {
		return p + ".html"
	}
	return p + "/index.html"
}

func articleOf(page string) string {
	i := strings.Index(page, `<article class="md-content__inner`)
	j := strings.LastIndex(page, "</article>")
	if i < 0 || j < i {
		return ""
	}
	return page[i:j]
}

// features lists what both renderings must agree on, in document order.
func features(t *testing.T, doc, page string, mkdocs bool) []string {
	t.Helper()
	var out []string
	z := html.NewTokenizer(strings.NewReader(doc))
	tabLabels := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, _ := z.TagName()
		attrs := map[string]string{}
		for {
			k, v, more := z.TagAttr()
			attrs[string(k)] = string(v)
			if !more {
				break
			}
		}
		if !mkdocs {
			unscope(attrs)
		}
		cls := strings.Fields(attrs["class"])
		switch tag := string(name); {
		case len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6':
			out = append(out, fmt.Sprintf("heading %s#%s", tag, attrs["id"]))
		case tag == "div" && slices.Contains(cls, "admonition"):
			out = append(out, "admonition "+strings.Join(cls, " "))
		case tag == "details":
			_, open := attrs["open"]
			out = append(out, fmt.Sprintf("details %s open=%v", strings.Join(cls, " "), open))
		case tag == "div" && slices.Contains(cls, "tabbed-set"):
			out = append(out, "tabs "+attrs["data-tabs"])
		case tag == "label" && strings.HasPrefix(attrs["for"], "__tabbed_"):
			tabLabels++
		case tag == "div" && slices.Contains(cls, "highlight"):
			out = append(out, "code block")
		case tag == "abbr":
			out = append(out, "abbr "+attrs["title"])
		case tag == "mark" || tag == "ins" || tag == "del" || tag == "sup" && !strings.HasPrefix(attrs["id"], "fnref") || tag == "sub":
			out = append(out, "inline "+tag)
		case tag == "input" && attrs["type"] == "checkbox" && !strings.HasPrefix(attrs["id"], "__tabbed_"):
			_, checked := attrs["checked"]
			out = append(out, fmt.Sprintf("checkbox checked=%v", checked))
		case tag == "label" && slices.Contains(cls, "task-list-control"):
			out = append(out, "task control")
		case slices.Contains(cls, "critic"):
			out = append(out, "critic "+tag+" "+strings.Join(cls, " "))
		case tag == "pre" && slices.Contains(cls, "mermaid"):
			out = append(out, "mermaid")
		case tag == "a" && !slices.Contains(cls, "headerlink") && !slices.Contains(cls, "footnote-backref") && !slices.Contains(cls, "footnote-ref"):
			if target := linkTarget(attrs["href"], page, mkdocs); target != "" {
				out = append(out, "link "+target)
			}
		}
	}
	if tabLabels > 0 {
		out = append(out, fmt.Sprintf("tab labels %d", tabLabels))
	}
	return out
}

// unscope undoes scope's prefixes on our attributes, so they compare with
// mkdocs' own.
func unscope(attrs map[string]string) {
	for _, k := range []string{"id", "for"} {
		if v, ok := attrs[k]; ok {
			attrs[k] = strings.TrimPrefix(v, idPrefix)
		}
	}
	if cls, ok := attrs["class"]; ok {
		fields := strings.Fields(cls)
		for i, c := range fields {
			fields[i] = strings.TrimPrefix(c, idPrefix)
		}
		attrs["class"] = strings.Join(fields, " ")
	}
	if target, anchor, ok := strings.Cut(attrs["href"], "#"); ok {
		attrs["href"] = target + "#" + strings.TrimPrefix(anchor, idPrefix)
	}
}

// linkTarget resolves a link of a page to the page (and anchor) it leads
// to, whichever way the renderer wrote it; "" for anchors within the page.
func linkTarget(href, page string, mkdocs bool) string {
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	if external.MatchString(href) {
		return href
	}
	target, anchor, _ := strings.Cut(href, "#")
	var p string
	if mkdocs {
		base := path.Dir(strings.TrimSuffix(mkdocsFile(page), "/index.html") + "/index.html")
		if path.Base(mkdocsFile(page)) == "index.html" && !strings.HasSuffix(mkdocsFile(page), "/index.html") {
			base = path.Dir(mkdocsFile(page))
		}
		p = path.Clean(path.Join(base, target))
		p = strings.TrimSuffix(strings.TrimSuffix(p, "/index.html"), ".html")
		if p == "." || p == "index" {
			p = "index"
		}
		p += ".md"
		if !strings.HasSuffix(target, "/") && strings.HasSuffix(target, ".html") && path.Base(target) == "index.html" {
			p = strings.TrimSuffix(p, ".md") + "/index.md"
		}
	} else {
		p = path.Clean(path.Join(path.Dir(page), target))
		p = strings.TrimSuffix(p, ".html") + ".md"
	}
	if anchor != "" {
		p += "#" + anchor
	}
	return p
}

// diffLines says what one list has that the other lacks, in order.
func diffLines(want, got []string) []string {
	var out []string
	for _, w := range want {
		if i := slices.Index(got, w); i >= 0 {
			got = slices.Delete(got, i, i+1)
		} else {
			out = append(out, "mkdocs has: "+w)
		}
	}
	for _, g := range got {
		out = append(out, "only Callboard has: "+g)
	}
	return out
}

type known []struct{ prefix, reason string }

// match returns the reason a difference is accepted, or "".
func (k known) match(key string) string {
	for _, e := range k {
		if strings.HasPrefix(key, e.prefix) {
			return e.reason
		}
	}
	return ""
}

// knownDifferences reads testdata/known-differences.txt: one difference
// per line, "SITE PAGE DIFFERENCE-PREFIX # reason".
func knownDifferences(t *testing.T) known {
	t.Helper()
	f, err := os.Open("testdata/known-differences.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out known
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		prefix, reason, ok := strings.Cut(line, " # ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("known-differences.txt: %q gives no reason", line)
		}
		out = append(out, struct{ prefix, reason string }{strings.TrimSpace(prefix), reason})
	}
	return out
}
