package portal

import (
	"context"
	"fmt"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/outbox"
)

// backstageEdits finds where a file of a Backstage location is edited:
// the entity's own file in its source repository, through the location
// the user has on that repository or a source clone made for it, so the
// edit goes through that location's outbox as a commit or pull request
// by its rule. Nothing is ever written to the Backstage API.
type backstageEdits struct {
	db      *store.DB
	sources *sourceClones
}

// route returns the location and file a read or write of path in
// location id goes to: the same for any location but a Backstage; for a
// Backstage's generated entity file, the entity's source file, its
// repository cloned when the user has no location on it. An entity whose
// source is not a file of a repository is refused (ErrConflict).
func (b backstageEdits) route(ctx context.Context, id, path string) (string, string, error) {
	loc, ok, err := b.db.Location(ctx, id)
	if err != nil || !ok || loc.Backstage == nil {
		return id, path, err
	}
	ref, ok := backstageFileRef(path)
	if !ok {
		return "", "", fmt.Errorf("%s is not an entity of the Backstage at %s: %w", path, loc.Backstage.BaseURL, ErrNotFound)
	}
	e, ok, err := b.db.Entity(ctx, ref)
	if err != nil {
		return "", "", err
	}
	if !ok || e.LocationID != id {
		return "", "", fmt.Errorf("%s is not an entity of the Backstage at %s: %w", ref, loc.Backstage.BaseURL, ErrNotFound)
	}
	if b.sources == nil {
		return "", "", fmt.Errorf("%s is in its source repository, which this Callboard does not clone: %w", ref, ErrConflict)
	}
	src, file, err := b.sources.entitySource(ctx, loc, e)
	if err != nil {
		return "", "", err
	}
	return src.ID, file, nil
}

// backstageFileRef is the ref of the entity a Backstage location's
// generated file (kind/namespace/name.json) holds.
func backstageFileRef(path string) (string, bool) {
	parts := strings.Split(path, "/")
	if len(parts) != 3 || !strings.HasSuffix(parts[2], ".json") {
		return "", false
	}
	return parts[0] + ":" + parts[1] + "/" + strings.TrimSuffix(parts[2], ".json"), true
}

// check refuses a change to a source clone's file that the catalog would
// refuse: a source clone has no roots, so the syncer does not read it
// when committed. Any other location's files are checked by the syncer.
func (b backstageEdits) check(ctx context.Context, id string, c outbox.Change) error {
	loc, ok, err := b.db.Location(ctx, id)
	if err != nil || !ok || loc.SourceOf == "" || c.Delete {
		return err
	}
	if len(c.Content) > maxImportYAML {
		return fmt.Errorf("a catalog file of %d bytes: at most %d: %w", len(c.Content), maxImportYAML, ErrInvalid)
	}
	res := catalog.Process(ctx, catalog.MapFiles{c.Path: string(c.Content)}, catalog.Options{}, c.Path)
	if len(res.Errors) > 0 {
		return fmt.Errorf("%s: %w: %w", c.Path, ErrInvalid, res.Errors[0])
	}
	if len(res.Entities) == 0 {
		return fmt.Errorf("%s holds no entity: %w", c.Path, ErrInvalid)
	}
	return nil
}
