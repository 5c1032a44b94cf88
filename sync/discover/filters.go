package discover

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Bounds on filters, which arrive from the UI and from stored sources.
const (
	maxPattern   = 1024
	maxTopics    = 100
	maxGlobDepth = 3 // segments of a glob after its literal folder
)

// filter is Filters checked and compiled.
type filter struct {
	Filters
	repo *regexp.Regexp
	// dir is the literal folder a glob starts from ("" for the root);
	// glob its segments after dir; a plain path has none.
	dir  string
	glob []string
}

// compile checks f, fills in its defaults and compiles it. Errors wrap
// ErrBadSource.
func (f Filters) compile() (*filter, error) {
	c := &filter{Filters: f}
	p := strings.TrimPrefix(f.CatalogPath, "/")
	if p == "" {
		p = DefaultCatalogPath
	}
	c.CatalogPath = p
	if len(p) > maxPattern || !cleanRel(p) || strings.ContainsAny(p, ":\x00") {
		return nil, fmt.Errorf("%w: catalog path %q is not a relative path inside a repository", ErrBadSource, f.CatalogPath)
	}
	segs := strings.Split(p, "/")
	lit := 0
	for lit < len(segs) && !hasMeta(segs[lit]) {
		lit++
	}
	if lit < len(segs) {
		c.dir, c.glob = strings.Join(segs[:lit], "/"), segs[lit:]
		if len(c.glob) > maxGlobDepth {
			return nil, fmt.Errorf("%w: catalog glob %q reaches %d folders below %q; at most %d are listed", ErrBadSource, p, len(c.glob), c.dir, maxGlobDepth)
		}
		for _, g := range c.glob {
			if g == "**" || strings.Contains(g, "**") {
				return nil, fmt.Errorf("%w: catalog glob %q: ** is not supported, write each level (*/*.yaml)", ErrBadSource, p)
			}
			if _, err := path.Match(g, ""); err != nil {
				return nil, fmt.Errorf("%w: catalog glob %q: %v", ErrBadSource, p, err)
			}
		}
	}
	if b := f.Branch; b != "" && (len(b) > 255 || strings.HasPrefix(b, "-") || strings.Contains(b, "..") ||
		strings.ContainsAny(b, ": ~^?*[\\\x00\t\n") || !cleanRel(b)) {
		return nil, fmt.Errorf("%w: %q is not a branch name", ErrBadSource, b)
	}
	if len(f.Repository) > maxPattern {
		return nil, fmt.Errorf("%w: the repository pattern is %d characters long", ErrBadSource, len(f.Repository))
	}
	if f.Repository != "" {
		re, err := regexp.Compile(`^(?:` + f.Repository + `)$`)
		if err != nil {
			return nil, fmt.Errorf("%w: repository pattern: %v", ErrBadSource, err)
		}
		c.repo = re
	}
	if len(f.TopicsInclude)+len(f.TopicsExclude) > maxTopics {
		return nil, fmt.Errorf("%w: more than %d topics", ErrBadSource, maxTopics)
	}
	for _, v := range f.Visibility {
		if v != "public" && v != "private" && v != "internal" {
			return nil, fmt.Errorf("%w: visibility %q is none of public, private, internal", ErrBadSource, v)
		}
	}
	return c, nil
}

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

// cleanRel accepts a relative slash-separated path without empty, "."
// or ".." segments or backslashes.
func cleanRel(p string) bool {
	if p == "" || strings.Contains(p, "\\") {
		return false
	}
	for s := range strings.SplitSeq(p, "/") {
		if s == "" || s == "." || s == ".." {
			return false
		}
	}
	return true
}

// excludes says why r is filtered out, or "" when it counts.
func (c *filter) excludes(r *Repo) Reason {
	switch {
	case r.Archived && !c.IncludeArchived:
		return Archived
	case r.Fork && c.ExcludeForks,
		c.repo != nil && !c.repo.MatchString(r.Name),
		len(c.Visibility) > 0 && !slices.Contains(c.Visibility, r.Visibility),
		len(c.TopicsInclude) > 0 && !anyIn(r.Topics, c.TopicsInclude),
		anyIn(r.Topics, c.TopicsExclude):
		return Filtered
	}
	return ""
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

// matches says whether a file found under dir (its path from the
// repository root) is a catalog file of the glob.
func (c *filter) matches(file string) bool {
	rel := file
	if c.dir != "" {
		var ok bool
		rel, ok = strings.CutPrefix(file, c.dir+"/")
		if !ok {
			return false
		}
	}
	segs := strings.Split(rel, "/")
	if len(segs) != len(c.glob) {
		return false
	}
	for i, g := range c.glob {
		if ok, _ := path.Match(g, segs[i]); !ok {
			return false
		}
	}
	return true
}

// branch is the branch catalog files are looked for on in r.
func (c *filter) branch(r *Repo) string {
	if c.Branch != "" {
		return c.Branch
	}
	return r.DefaultBranch
}
