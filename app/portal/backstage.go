package portal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/backstage"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// addBackstage registers an organisation's Backstage: a location without
// a repository whose entities the syncer reads from the backend's
// catalog API.
func (s *locations) addBackstage(ctx context.Context, in NewLocation) (Location, error) {
	if in.Discover != nil {
		return Location{}, fmt.Errorf("a location is an organisation to discover or a Backstage, not both: %w", ErrInvalid)
	}
	base, err := backstage.ParseBaseURL(in.URL)
	if errors.Is(err, backstage.ErrBadURL) {
		return Location{}, fmt.Errorf("%w: %w", err, ErrInvalid)
	}
	if err != nil {
		return Location{}, err
	}
	url := base.String()
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return Location{}, err
	}
	// The demo's id stays its own, so restoring it never meets another.
	taken := map[string]bool{DemoLocationID: true}
	for _, l := range locs {
		if l.Backstage != nil && l.Backstage.BaseURL == url {
			return Location{}, fmt.Errorf("the Backstage at %s is already location %q: %w", url, l.ID, ErrConflict)
		}
		taken[l.ID] = true
	}
	loc := store.Location{URL: url, Backstage: &store.Backstage{BaseURL: url}}
	loc.ID = locationID(url, taken)
	if err := s.db.PutLocation(ctx, loc); err != nil {
		return Location{}, err
	}
	s.log.Info("Backstage added", "location", loc.ID, "url", url)
	return locationDTO(loc), nil
}

// backstageSummary is the DTO of a Backstage location's record; nil for
// any other location.
func backstageSummary(b *store.Backstage) *BackstageSummary {
	if b == nil {
		return nil
	}
	out := &BackstageSummary{BaseURL: b.BaseURL, Requests: b.Requests, Changed: b.Changed, Removed: b.Removed}
	if !b.ReadAt.IsZero() {
		out.ReadAt = b.ReadAt.UTC().Format(time.RFC3339)
	}
	return out
}

// entityBackstage is the DTO of where e, an entity of location loc,
// comes from when loc is a Backstage; nil for any other.
func entityBackstage(loc store.Location, e store.Entity) *EntityBackstage {
	if loc.Backstage == nil {
		return nil
	}
	out := &EntityBackstage{BaseURL: loc.Backstage.BaseURL}
	if !loc.Backstage.ReadAt.IsZero() {
		out.StoredAt = loc.Backstage.ReadAt.UTC().Format(time.RFC3339)
	}
	if raw, folder := sourceURL(e.Entity); raw != "" && !folder {
		if t, err := remote.Parse(raw); err == nil {
			if clone, err := t.CloneURL(); err == nil {
				out.Repo, out.File = gitfetch.Redact(clone), t.Path
			}
		}
	}
	return out
}
