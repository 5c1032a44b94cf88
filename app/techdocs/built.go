package techdocs

import (
	gohtml "html"
	"regexp"
	"strings"
)

// A built page is one TechDocs already rendered (mkdocs' output, as a
// Backstage's TechDocs storage serves it): its article is kept, sanitised
// and scoped as a page rendered here is, and everything around it (the
// theme's header, navigation, scripts) dropped.

var (
	articleRE = regexp.MustCompile(`(?is)<article\b[^>]*>(.*)</article>`)
	bodyRE    = regexp.MustCompile(`(?is)<body\b[^>]*>(.*)</body>`)
	h1RE      = regexp.MustCompile(`(?is)<h1\b[^>]*>(.*?)</h1>`)
	titleRE   = regexp.MustCompile(`(?is)<title\b[^>]*>(.*?)</title>`)
)

// BuiltPage is the page at path of a built site, from its HTML: the
// article (mkdocs-material's content), else the body, sanitised; its
// title is its first heading's text, else the document's title.
func BuiltPage(path string, doc []byte) Page {
	src := string(doc)
	content := src
	if m := articleRE.FindStringSubmatch(src); m != nil {
		content = m[1]
	} else if m := bodyRE.FindStringSubmatch(src); m != nil {
		content = m[1]
	}
	sc := scope(sanitizer().Sanitize(content), false, nil)
	out := Page{Path: path, HTML: sc.html, TOC: []Heading{}, Links: []string{}, RemoteImages: sc.remote, RemoteHosts: sc.remoteHosts}
	for _, re := range []*regexp.Regexp{h1RE, titleRE} {
		if m := re.FindStringSubmatch(src); m != nil {
			if t := strings.TrimSpace(gohtml.UnescapeString(Text(m[1]))); t != "" {
				out.Title = t
				break
			}
		}
	}
	return out
}
