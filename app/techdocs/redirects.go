package techdocs

import (
	"path"
	"strings"
)

// Redirect is where mkdocs-redirects' redirect_maps send a page: a page
// of the site (and an anchor in it), or an address elsewhere.
type Redirect struct {
	Page   string `json:"page,omitempty"`
	Anchor string `json:"anchor,omitempty"`
	URL    string `json:"url,omitempty"`
}

// maxRedirectHops bounds a chain of redirects (old.md to mid.md, itself
// redirected): a browser would follow each, and stop at a loop.
const maxRedirectHops = 10

// readRedirects keeps the redirects mkdocs-redirects writes: an external
// http(s) target always, a page only when the docs folder has it (the
// plugin warns and skips the others); an old page that is not Markdown is
// written all the same, with a warning.
func (s *Site) readRedirects(file string, entries []redirectEntry) {
	for _, e := range entries {
		if !strings.HasSuffix(strings.ToLower(e.from), ".md") && !strings.HasSuffix(strings.ToLower(e.from), ".markdown") {
			s.Problems = append(s.Problems, Problem{File: file, Line: e.line, Target: e.from, Why: "redirect_maps: the old page is not a Markdown file"})
		}
		target, _, _ := strings.Cut(e.to, "#")
		lower := strings.ToLower(e.to)
		if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") && !s.pageSet()[target] {
			s.Problems = append(s.Problems, Problem{File: file, Line: e.line, Target: e.to, Why: "redirect_maps: the new page is not in the docs folder"})
			continue
		}
		if s.redirects == nil {
			s.redirects = map[string]string{}
		}
		s.redirects[e.from] = e.to
	}
}

// pageSet is Pages as a set.
func (s Site) pageSet() map[string]bool {
	if s.pages != nil {
		return s.pages
	}
	m := make(map[string]bool, len(s.Pages))
	for _, p := range s.Pages {
		m[p] = true
	}
	return m
}

// Redirected is where redirect_maps send p (a page or a docs URL, as
// Page reads it), following chains; ok is false when none names it. The
// redirect wins over a page still there, as the plugin's file replaces
// the page's.
func (s Site) Redirected(p string) (Redirect, bool) {
	if len(s.redirects) == 0 {
		return Redirect{}, false
	}
	var r Redirect
	found := false
	for range maxRedirectHops {
		to, ok := s.redirectOf(p)
		if !ok {
			break
		}
		found = true
		lower := strings.ToLower(to)
		if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
			return Redirect{URL: to}, true
		}
		page, anchor, _ := strings.Cut(to, "#")
		r = Redirect{Page: page, Anchor: cmpOr(anchor, r.Anchor)}
		p = page
	}
	return r, found
}

// redirectOf is the target of the redirect whose old page p names.
func (s Site) redirectOf(p string) (string, bool) {
	p = strings.Trim(path.Clean("/"+p), "/")
	candidates := []string{p, p + ".md", path.Join(p, "index.md"), strings.TrimSuffix(p, ".html") + ".md", strings.TrimSuffix(p, "/index.html") + ".md", strings.TrimSuffix(p, "/index.md") + ".md"}
	if p == "" {
		candidates = []string{"index.md", "README.md"}
	}
	for _, c := range candidates {
		if to, ok := s.redirects[c]; ok {
			return to, true
		}
	}
	return "", false
}
