package scaffold

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/locale"
	"github.com/callboard/callboard/sync/remote"
)

// source finds the files a fetch URL names, a folder or a file: relative
// to the template's folder, in the template's own repository by URL, or
// through the host (another repository or a web server). It returns the
// files and the folder (or file) in them.
func (c *Context) source(ctx context.Context, url string, folder bool) (catalog.Files, string, error) {
	if url == "" {
		return nil, "", inputErr("url", "missing")
	}
	if strings.Contains(url, "://") {
		return c.sourceByURL(ctx, url, folder)
	}
	if strings.HasPrefix(url, "/") {
		return nil, "", inputErr("url", "%s: an absolute path; give a path relative to the template", url)
	}
	p := path.Clean(path.Join(c.Template.Dir, url))
	if p == ".." || strings.HasPrefix(p, "../") {
		return nil, "", inputErr("url", "%s leaves the template's repository", url)
	}
	if p == "." {
		p = ""
	}
	return c.Template.Files, p, nil
}

// sourceByURL finds what an absolute fetch URL names. A URL into the
// template's own repository at the branch or commit being run is read
// from its files, with no network; the log says where anything else came
// from, and how old a kept copy is.
func (c *Context) sourceByURL(ctx context.Context, url string, folder bool) (catalog.Files, string, error) {
	t, err := remote.Parse(url)
	if err != nil {
		return nil, "", inputErr("url", "%w", err)
	}
	if p, ok := t.Within(c.Template.Home); ok {
		c.Logf("Reading %s from the template's own repository, without the network", url)
		return c.Template.Files, p, nil
	}
	if c.host == nil {
		return nil, "", inputErr("url", "%s: only URLs relative to the template, or into its own repository, can be fetched here", url)
	}
	fetch := c.host.File
	if folder {
		fetch = c.host.Folder
	}
	f, err := fetch(ctx, url)
	if err != nil {
		return nil, "", inputErr("url", "%s: %w", url, err)
	}
	switch {
	case f.Location != "":
		c.Logf("Reading %s from location %s, as last synced, without the network", url, f.Location)
	case f.Stale != nil:
		c.Logf("Using the copy of %s kept from %s (%s ago): it could not be fetched now: %v", url, f.ReadAt.UTC().Format("2006-01-02 15:04 UTC"), locale.Age(time.Since(f.ReadAt)), f.Stale)
	case f.Commit != "":
		c.Logf("Fetched %s at commit %s", url, short(f.Commit))
	default:
		c.Logf("Fetched %s", url)
	}
	return f.Files, f.Path, nil
}

// URLFetch is a fetch:* step whose url is an absolute URL as written.
type URLFetch struct {
	Step   string
	URL    string
	Folder bool
	// InRepo says the URL points into the template's own repository, read
	// with no network.
	InRepo bool
}

// fetchFolder says, for each fetch:* action, whether it fetches a folder
// (rather than a file).
var fetchFolder = map[string]bool{
	"fetch:template": true, "fetch:cookiecutter": true, "fetch:plain": true,
	"fetch:template:file": false, "fetch:plain:file": false,
}

// URLFetches lists the steps that fetch by an absolute URL written as it
// is (a URL an expression computes is known only when the step runs):
// what a run may need the network for.
func (t Template) URLFetches() []URLFetch {
	var out []URLFetch
	for _, s := range t.Steps {
		folder, ok := fetchFolder[s.Action]
		if !ok {
			continue
		}
		url, _ := str(s.Input, "url")
		if !strings.Contains(url, "://") || strings.Contains(url, "${{") {
			continue
		}
		f := URLFetch{Step: s.Name, URL: url, Folder: folder}
		if target, err := remote.Parse(url); err == nil {
			_, f.InRepo = target.Within(t.Home)
		}
		out = append(out, f)
	}
	return out
}

// short is a commit id as git abbreviates it.
func short(commit string) string { return commit[:min(len(commit), 7)] }
