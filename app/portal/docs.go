package portal

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"mime"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/techdocs"
)

// pageCache keeps rendered pages by what they were rendered from: the
// page's blob (and the site's commit-independent identity), so a page is
// rendered again only when its source changed in a sync.
type pageCache struct {
	mu    sync.Mutex
	pages map[string]techdocs.Page
	order []string
}

const pageCacheSize = 500

func (c *pageCache) get(key string) (techdocs.Page, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[key]
	return p, ok
}

func (c *pageCache) put(key string, p techdocs.Page) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil {
		c.pages = map[string]techdocs.Page{}
	}
	if _, ok := c.pages[key]; !ok {
		c.order = append(c.order, key)
		if len(c.order) > pageCacheSize {
			delete(c.pages, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.pages[key] = p
}

// docsView answers the TechDocs reads: which entities have docs, a
// site's navigation and its pages, rendered.
type docsView struct {
	sites *docsSites
	rows  *rows
	db    locationReader
	pages pageCache
	gate  *gate
}

// locationReader reads one location.
type locationReader interface {
	Location(ctx context.Context, id string) (store.Location, bool, error)
}

// docsSites finds an entity's TechDocs site in the repositories synced;
// the indexer and template actions read through it too.
type docsSites struct {
	db    sitesStore
	files filesReader
	// fetch reads the source repositories of entities a Backstage lists;
	// storage and kept read and keep their built docs when those are out
	// of reach (nil: never).
	fetch   fetchFunc
	storage docsStorage
	kept    docsKeeper
	// sources clones a Backstage's entity's repository for its docs.
	sources *sourceClones
}

// sitesStore reads the entity whose docs are asked for and the locations
// a url: techdocs-ref may point into.
type sitesStore interface {
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	locationLister
	locationReader
}

// filesReader reads a location's repository at the commit the catalog shows.
type filesReader interface {
	Files(ctx context.Context, locationID string) (catalog.Files, string, error)
}

// ListDocs answers API.ListDocs: every entity with TechDocs.
func (v *docsView) ListDocs(ctx context.Context) ([]DocsEntry, error) {
	if err := v.rows.refresh(ctx); err != nil {
		return nil, err
	}
	out := []DocsEntry{}
	for _, r := range v.rows.listing.WithDocs() {
		out = append(out, DocsEntry{Ref: r.Ref, Kind: r.Kind, Name: r.Name, Title: r.Title, Description: r.Description, Owner: r.Owner})
	}
	return out, nil
}

// site finds and reads the TechDocs site of entity ref.
func (s *docsSites) site(ctx context.Context, ref string) (techdocs.Site, catalog.Files, string, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return techdocs.Site{}, nil, "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.db.Entity(ctx, r.String())
	if err != nil {
		return techdocs.Site{}, nil, "", err
	}
	if !ok {
		return techdocs.Site{}, nil, "", fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	docsRef := e.Entity.Metadata.Annotations["backstage.io/techdocs-ref"]
	if docsRef == "" {
		return techdocs.Site{}, nil, "", fmt.Errorf("entity %s has no backstage.io/techdocs-ref annotation: %w", r, ErrNotFound)
	}
	var files catalog.Files
	var locationID, root string
	loc, _, err := s.db.Location(ctx, e.LocationID)
	if err != nil {
		return techdocs.Site{}, nil, "", err
	}
	if loc.Backstage != nil {
		files, root, locationID, err = s.backstageDocsRoot(ctx, e, docsRef)
		if err != nil && s.storage != nil && !errors.Is(err, ErrInvalid) {
			return techdocs.Site{}, nil, "", &fromStorage{cause: err, loc: loc, e: e}
		}
	} else if locationID, root, err = s.docsRoot(ctx, e.LocationID, e.Source.File, docsRef); err == nil {
		files, _, err = s.files.Files(ctx, locationID)
	}
	if err != nil {
		return techdocs.Site{}, nil, "", err
	}
	site, err := techdocs.Load(files, root)
	if errors.Is(err, fs.ErrNotExist) {
		return techdocs.Site{}, nil, "", fmt.Errorf("the docs of %s (%s): %w: %w", r, docsRef, err, ErrNotFound)
	}
	if err != nil {
		return techdocs.Site{}, nil, "", fmt.Errorf("the docs of %s: %w", r, err)
	}
	return site, files, locationID, nil
}

// docsRoot resolves a techdocs-ref against the entity's file: dir:. and
// dir:path are relative to it; url: must name a repository Callboard syncs.
func (s *docsSites) docsRoot(ctx context.Context, locationID, file, ref string) (string, string, error) {
	kind, target, _ := strings.Cut(ref, ":")
	switch kind {
	case "dir":
		root := path.Clean(path.Join(path.Dir(file), target))
		if strings.HasPrefix(root, "..") || path.IsAbs(target) {
			return "", "", fmt.Errorf("techdocs-ref %q leaves the repository: %w", ref, ErrInvalid)
		}
		return locationID, root, nil
	case "url":
		locationID, root, err := s.repoPath(ctx, target)
		if errors.Is(err, ErrNotFound) {
			return "", "", fmt.Errorf("techdocs-ref %q points at a repository Callboard does not sync: add it as a location: %w", ref, ErrNotFound)
		}
		return locationID, root, err
	}
	return "", "", fmt.Errorf("techdocs-ref %q: want dir:PATH or url:URL: %w", ref, ErrInvalid)
}

// repoPath finds the synced location a repository URL points into and the
// folder it names (…/tree/<branch>/<path>); ErrNotFound when Callboard
// syncs no such repository.
func (s *docsSites) repoPath(ctx context.Context, target string) (string, string, error) {
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return "", "", err
	}
	for _, l := range locs {
		if l.Org != nil {
			continue // an organisation's URL is a prefix of its repositories'; it has none of its own
		}
		base := strings.TrimSuffix(strings.TrimSuffix(l.URL, "/"), ".git")
		rest, ok := strings.CutPrefix(target, base)
		if !ok {
			continue
		}
		// …/tree/<branch>/<path> or …/blob/<branch>/<path>
		parts := strings.SplitN(strings.Trim(rest, "/"), "/", 3)
		root := ""
		if len(parts) == 3 && (parts[0] == "tree" || parts[0] == "blob") {
			root = parts[2]
		}
		return l.ID, root, nil
	}
	return "", "", fmt.Errorf("no location of Callboard holds this repository: %w", ErrNotFound)
}

// docsRoute is the app route of a page (and anchor) of r's docs.
func docsRoute(r catalog.Ref, page, anchor string) string {
	q := url.Values{"tab": {"docs"}}
	if page != "" {
		q.Set("page", page)
	}
	if anchor != "" {
		q.Set("anchor", anchor)
	}
	return "#/catalog/" + url.PathEscape(r.Kind) + "/" + url.PathEscape(r.Namespace) + "/" + url.PathEscape(r.Name) + "?" + q.Encode()
}

// Docs answers API.Docs.
func (v *docsView) Docs(ctx context.Context, ref string) (DocsSite, error) {
	leave, err := v.gate.enter(ctx)
	if err != nil {
		return DocsSite{}, err
	}
	defer leave()
	site, _, locationID, err := v.sites.site(ctx, ref)
	if st := (*fromStorage)(nil); errors.As(err, &st) {
		return v.sites.storageSite(ctx, st)
	}
	if err != nil {
		return DocsSite{}, err
	}
	// site has parsed it: the ref is well formed.
	r, _ := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	out := siteOf(site)
	out.Ref = r.String()
	if loc, ok, err := v.db.Location(ctx, locationID); err == nil && ok {
		if dir := localDir(loc); dir != "" {
			out.LocalDir = filepath.Join(dir, filepath.FromSlash(site.Root))
		} else if strings.HasPrefix(loc.URL, "https://") {
			out.RepoURL = strings.TrimSuffix(loc.URL, ".git")
		}
	}
	return out, nil
}

// siteOf is what the API says of a site; the caller names it.
func siteOf(site techdocs.Site) DocsSite {
	return DocsSite{Name: site.Name, Nav: site.Nav, Pages: site.Pages, Warnings: site.Warnings, Problems: site.Problems, RepoURL: site.RepoURL}
}

// maxAsset bounds an image inlined into a page.
const maxAsset = 2 << 20

// DocsPage answers API.DocsPage. Pages link to each other as app routes; images
// are inlined as data URIs, so the page needs nothing else from the clone.
func (v *docsView) DocsPage(ctx context.Context, ref, page string) (DocsPage, error) {
	leave, err := v.gate.enter(ctx)
	if err != nil {
		return DocsPage{}, err
	}
	defer leave()
	site, files, locationID, err := v.sites.site(ctx, ref)
	if st := (*fromStorage)(nil); errors.As(err, &st) {
		return v.sites.storagePage(ctx, st, page)
	}
	if err != nil {
		return DocsPage{}, err
	}
	r, _ := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	links := techdocs.Links{
		Page:   func(p, anchor string) string { return docsRoute(r, p, anchor) },
		Entity: entityDocsRoute,
		Asset:  inlineAsset(files, site.File),
	}
	// A page's problems depend on which pages the site has too.
	pages := fnv.New64a()
	for _, p := range site.Pages {
		pages.Write([]byte(p + "\x00"))
	}
	key := func(page string) string {
		if h, ok := files.(interface{ Hash(string) string }); ok {
			if blob := h.Hash(site.File(page)); blob != "" {
				return r.String() + "\x00" + page + "\x00" + blob + "\x00" + strconv.FormatUint(pages.Sum64(), 16)
			}
		}
		return ""
	}
	out, err := v.renderPage(site, files, page, links, key)
	out.Ref = r.String()
	if err != nil || out.Redirect != nil && out.Redirect.URL != "" {
		return out, err
	}
	page = out.Path
	if loc, ok, err := v.db.Location(ctx, locationID); err == nil && ok {
		out.LocalFile = localFile(loc, site.File(page))
	}
	if site.RepoURL != "" && site.EditURI != "" {
		out.EditURL = editURL(site, page)
	}
	return out, nil
}

// editURL is where the forge edits a page: mkdocs' repo_url and edit_uri.
func editURL(site techdocs.Site, page string) string {
	return strings.TrimSuffix(site.RepoURL, "/") + "/" + strings.Trim(site.EditURI, "/") + "/" + page
}

// entityDocsRoute is the app route of a page of another entity's docs.
func entityDocsRoute(other, p, anchor string) string {
	o, err := catalog.ParseRef(other, "", catalog.DefaultNamespace)
	if err != nil {
		return ""
	}
	return docsRoute(o, p, anchor)
}

// inlineAsset reads an image of the docs folder into a data URI, so the
// page needs nothing else from the repository; "" drops the image.
func inlineAsset(files catalog.Files, docsFile func(string) string) func(string) string {
	return func(p string) string {
		data, err := files.ReadFile(docsFile(p))
		if err != nil || len(data) > maxAsset {
			return ""
		}
		typ := mime.TypeByExtension(path.Ext(p))
		if !strings.HasPrefix(typ, "image/") {
			return ""
		}
		return "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data)
	}
}

// renderPage renders the page asked for (a file, guides/setup.md, or as
// mkdocs URLs name them in links, guides/setup/; "" the home page) after
// redirect_maps; key names its cache entry ("" for none). A redirect
// elsewhere returns the page asked for with Redirect.URL and no HTML.
func (v *docsView) renderPage(site techdocs.Site, files catalog.Files, asked string, links techdocs.Links, key func(page string) string) (DocsPage, error) {
	var redirect *techdocs.Redirect
	page := asked
	if rd, ok := site.Redirected(asked); ok {
		if rd.URL != "" {
			return DocsPage{Path: asked, Redirect: &rd}, nil
		}
		redirect, page = &rd, rd.Page
	}
	if p, ok := site.Page(page); ok {
		page = p
	} else if page == "" && len(site.Pages) > 0 {
		page = site.Pages[0]
	}
	links.SourceLines = true
	k := key(page)
	p, cached := v.pages.get(k)
	if !cached || k == "" {
		var err error
		if p, err = site.Render(files, page, links); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return DocsPage{}, fmt.Errorf("%w: %w", ErrNotFound, err)
			}
			return DocsPage{}, err
		}
		if k != "" {
			v.pages.put(k, p)
		}
	}
	out := DocsPage{Path: p.Path, Title: p.Title, HTML: p.HTML, TOC: p.TOC, RemoteImages: p.RemoteImages, RemoteHosts: p.RemoteHosts,
		Problems: p.Problems, Redirect: redirect, SourceFile: site.File(page)}
	if i := slices.Index(site.Pages, page); i >= 0 {
		if i > 0 {
			out.Prev = site.Pages[i-1]
		}
		if i+1 < len(site.Pages) {
			out.Next = site.Pages[i+1]
		}
	}
	for _, l := range p.Links {
		if !slices.Contains(site.Pages, l) {
			out.Broken = append(out.Broken, l)
		}
	}
	return out, nil
}

// maxImageHosts bounds the hosts whose docs images show without asking.
const maxImageHosts = 500

// imageHost is a host as URLs name it: a name or [IPv6] address, perhaps
// with a port.
var imageHost = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$`)
})

// docsImageHosts checks the hosts the user allows docs images from and
// returns them lower-cased, sorted, each once.
func docsImageHosts(in []string) ([]string, error) {
	if len(in) > maxImageHosts {
		return nil, fmt.Errorf("%d hosts to show docs images from: at most %d: %w", len(in), maxImageHosts, ErrInvalid)
	}
	var out []string
	for _, h := range in {
		h = strings.ToLower(strings.TrimSpace(h))
		if len(h) > 260 || !imageHost().MatchString(h) {
			return nil, fmt.Errorf("host %q to show docs images from: not a host name: %w", h, ErrInvalid)
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
