package portal

import (
	"context"
	"fmt"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/remote"
)

// backstageEdits finds where a file of a Backstage location is edited:
// the entity's own file in its source repository, through the location
// the user has on that repository, so the edit goes through that
// location's outbox as a commit or pull request by its rule. Nothing is
// ever written to the Backstage API.
type backstageEdits struct {
	db *store.DB
	// synced finds the location whose repository and branch t points
	// into, and the file there (templateRuns.syncedLocation).
	synced func(ctx context.Context, t remote.Target) (store.Location, string, bool, error)
}

// route returns the location and file a read or write of path in
// location id goes to: the same for any location but a Backstage; for a
// Backstage's generated entity file, the entity's source file. An entity
// whose source is not a file of a repository the user has as a location
// is refused (ErrConflict), saying which repository to add.
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
	raw, folder := sourceURL(e.Entity)
	if raw == "" || folder {
		return "", "", fmt.Errorf("%s is read from the Backstage at %s, which names no file it came from (%s is %q): "+
			"edit it where that Backstage reads it; edits never go to the Backstage API: %w",
			ref, loc.Backstage.BaseURL, catalog.AnnotationLocation, e.Entity.Metadata.Annotations[catalog.AnnotationLocation], ErrConflict)
	}
	t, err := remote.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("%s comes from %s, which names no repository Callboard can write to: %v: %w", ref, raw, err, ErrConflict)
	}
	src, file, ok, err := b.synced(ctx, t)
	if err != nil {
		return "", "", err
	}
	if !ok {
		repo := raw
		if clone, err := t.CloneURL(); err == nil {
			repo = clone
		}
		return "", "", fmt.Errorf("%s is read from %s, a repository that is not one of your locations: add it (callboard location add %s) "+
			"to edit the entity there; edits never go to the Backstage API: %w", ref, raw, repo, ErrConflict)
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
