package portal

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
)

// backstageDocsRoot is where the TechDocs of e, an entity a Backstage
// lists, are: its techdocs-ref resolved against its own file in the
// repository its managed-by-location names (read as template fetches
// are: a location's clone, else a shallow fetch kept for offline). A
// url: ref is resolved as for any entity.
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
