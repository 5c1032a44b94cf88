package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/techdocs"
	"github.com/callboard/callboard/sync/backstage"
)

// backstageDocsRoot is where the TechDocs of e, an entity a Backstage
// lists, are: its techdocs-ref resolved against its own file in the
// repository its managed-by-location names (a location's clone, a
// source clone made now when there is none, else, for a source-location
// folder, a shallow fetch kept for offline). A url: ref is resolved as
// for any entity.
func (s *docsSites) backstageDocsRoot(ctx context.Context, e store.Entity, docsRef string) (catalog.Files, string, string, error) {
	kind, target, _ := strings.Cut(docsRef, ":")
	if kind == "url" {
		locationID, root, err := s.docsRoot(ctx, e.LocationID, e.Source.File, docsRef)
		if err != nil {
			return nil, "", "", err
		}
		files, _, err := s.files.Files(ctx, locationID)
		return files, root, locationID, err
	}
	ref := e.Entity.Ref()
	raw, folder := sourceURL(e.Entity)
	if kind != "dir" || raw == "" {
		return nil, "", "", fmt.Errorf("the docs of %s (%s): the Backstage it is read from names no repository it came from: %w", ref, docsRef, ErrNotFound)
	}
	if s.fetch == nil {
		return nil, "", "", fmt.Errorf("the docs of %s are in %s, which this Callboard does not fetch: add it as a location: %w", ref, raw, ErrNotFound)
	}
	if err := s.cloneSource(ctx, e, raw); err != nil {
		return nil, "", "", fmt.Errorf("the docs of %s: %w", ref, err)
	}
	// The clone made, fetch reads from it.
	f, err := s.fetch(ctx, raw, true)
	if err != nil {
		return nil, "", "", fmt.Errorf("the docs of %s: read %s: %w", ref, raw, err)
	}
	dir := path.Dir(f.Path)
	if folder {
		dir = f.Path
	}
	root := path.Clean(path.Join(dir, target))
	if strings.HasPrefix(root, "..") || path.IsAbs(target) {
		return nil, "", "", fmt.Errorf("techdocs-ref %q leaves the repository: %w", docsRef, ErrInvalid)
	}
	return f.Files, root, "", nil
}

// fetchFunc reads what a URL names, a folder (the repository holding it)
// or a file (templateRuns.fetchByURL).
type fetchFunc func(ctx context.Context, url string, folder bool) (scaffold.Fetched, error)

// fromBackstage says whether location id is an organisation's Backstage.
// Its entities' docs are read from their source repositories when asked
// for, never to index them for search: that would fetch every
// repository the Backstage names.
func (s *docsSites) fromBackstage(ctx context.Context, id string) bool {
	loc, ok, err := s.db.Location(ctx, id)
	return err == nil && ok && loc.Backstage != nil
}

// docsStorage gives a client of a Backstage's backend (its TechDocs
// storage); *syncer.Syncer is the one in use.
type docsStorage interface {
	BackstageClient(ctx context.Context, base string) (*backstage.Client, error)
}

// docsKeeper keeps what was read of the TechDocs storages for offline.
type docsKeeper interface {
	PutBackstageDoc(ctx context.Context, id, ref, file string, data []byte, readAt time.Time) error
	BackstageDoc(ctx context.Context, id, ref, file string) ([]byte, time.Time, bool, error)
}

// fromStorage is site's answer for an entity a Backstage lists whose
// source repository could not be read: its docs are read from that
// Backstage's TechDocs storage instead (storageSite, storagePage).
type fromStorage struct {
	cause error
	loc   store.Location
	e     store.Entity
}

func (f *fromStorage) Error() string { return f.cause.Error() }
func (f *fromStorage) Unwrap() error { return f.cause }

// storageMeta is what a built site's techdocs_metadata.json says.
type storageMeta struct {
	SiteName string   `json:"site_name"`
	Files    []string `json:"files"`
}

// storageSite is the site of f's entity as its Backstage's TechDocs
// storage serves it built: its pages are the HTML files the metadata
// lists.
func (s *docsSites) storageSite(ctx context.Context, f *fromStorage) (DocsSite, error) {
	meta, readAt, stale, err := s.storageMeta(ctx, f)
	if err != nil {
		return DocsSite{}, err
	}
	out := DocsSite{Ref: f.e.Entity.Ref().String(), Name: meta.SiteName, Nav: []techdocs.NavItem{}, Pages: storagePages(meta), StoredAt: readAt.UTC().Format(time.RFC3339)}
	for _, p := range out.Pages {
		out.Nav = append(out.Nav, techdocs.NavItem{Title: storageTitle(p), Path: p})
	}
	out.Warnings = []string{fmt.Sprintf("Read from the TechDocs storage of the Backstage at %s, its source repository being out of reach: %v", f.loc.Backstage.BaseURL, f.cause)}
	if stale != nil {
		out.Warnings = append(out.Warnings, fmt.Sprintf("Offline: the copy read at %s (%v)", out.StoredAt, stale))
	}
	return out, nil
}

// storagePage is page of f's entity's built site ("" the first).
func (s *docsSites) storagePage(ctx context.Context, f *fromStorage, page string) (DocsPage, error) {
	meta, _, _, err := s.storageMeta(ctx, f)
	if err != nil {
		return DocsPage{}, err
	}
	pages := storagePages(meta)
	if page == "" {
		page = pages[0]
	} else if strings.HasSuffix(page, "/") {
		page += "index.html"
	}
	if !slices.Contains(pages, page) {
		return DocsPage{}, fmt.Errorf("page %s of the docs of %s: %w", page, f.e.Entity.Ref(), ErrNotFound)
	}
	data, readAt, _, err := s.storageFile(ctx, f, page)
	if err != nil {
		return DocsPage{}, err
	}
	p := techdocs.BuiltPage(page, data)
	out := DocsPage{Ref: f.e.Entity.Ref().String(), Path: page, Title: p.Title, HTML: p.HTML, TOC: p.TOC, RemoteImages: p.RemoteImages,
		RemoteHosts: p.RemoteHosts, StoredAt: readAt.UTC().Format(time.RFC3339)}
	if i := slices.Index(pages, page); i > 0 {
		out.Prev = pages[i-1]
	}
	if i := slices.Index(pages, page); i+1 < len(pages) {
		out.Next = pages[i+1]
	}
	return out, nil
}

func (s *docsSites) storageMeta(ctx context.Context, f *fromStorage) (storageMeta, time.Time, error, error) {
	data, readAt, stale, err := s.storageFile(ctx, f, "techdocs_metadata.json")
	if err != nil {
		return storageMeta{}, time.Time{}, nil, err
	}
	var m storageMeta
	if err := json.Unmarshal(data, &m); err != nil {
		return storageMeta{}, time.Time{}, nil, fmt.Errorf("the TechDocs metadata of %s from %s: %w", f.e.Entity.Ref(), f.loc.Backstage.BaseURL, err)
	}
	return m, readAt, stale, nil
}

// storageFile reads file of f's entity's built site from the storage,
// keeping it; when the storage cannot give it, the copy kept, with why
// (stale). Neither is an error naming both the repository's and the
// storage's failures.
func (s *docsSites) storageFile(ctx context.Context, f *fromStorage, file string) (data []byte, readAt time.Time, stale, err error) {
	r := f.e.Entity.Ref()
	ref := strings.ToLower(r.String())
	c, err := s.storage.BackstageClient(ctx, f.loc.Backstage.BaseURL)
	if err == nil {
		data, err = c.TechDocs(ctx, r.Namespace, r.Kind, r.Name, file)
	}
	if err == nil {
		readAt = time.Now()
		if err := s.kept.PutBackstageDoc(ctx, f.loc.ID, ref, file, data, readAt); err != nil {
			return nil, time.Time{}, nil, err
		}
		return data, readAt, nil, nil
	}
	kept, at, ok, kerr := s.kept.BackstageDoc(ctx, f.loc.ID, ref, file)
	if kerr != nil {
		return nil, time.Time{}, nil, kerr
	}
	if !ok {
		return nil, time.Time{}, nil, fmt.Errorf("the docs of %s: its source repository: %v; the TechDocs storage of the Backstage at %s: %v: %w",
			r, f.cause, f.loc.Backstage.BaseURL, err, ErrNotFound)
	}
	return kept, at, err, nil
}

// storagePages are the pages of a built site: the HTML files its
// metadata lists, index.html first; just that when it lists none.
func storagePages(m storageMeta) []string {
	var pages []string
	for _, f := range m.Files {
		if strings.HasSuffix(f, ".html") && f != "index.html" && f != "404.html" {
			pages = append(pages, f)
		}
	}
	slices.Sort(pages)
	return append([]string{"index.html"}, pages...)
}

// storageTitle names a built page by its path: guides/setup/index.html
// is "setup".
func storageTitle(page string) string {
	p := strings.TrimSuffix(strings.TrimSuffix(page, ".html"), "/index")
	if p == "index" {
		return "Home"
	}
	return path.Base(p)
}
