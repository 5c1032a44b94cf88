package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/remote"
)

// Discovered organisations (store.Org): a location whose repositories
// are listed through its forge's API by the syncer.

// orgStore is what the locations area reads and writes of organisations.
type orgStore interface {
	OrgListing(ctx context.Context, id string) (store.OrgListing, bool, error)
	SetOrgSource(ctx context.Context, id string, source json.RawMessage, teams bool) error
}

// orgSource reads an organisation's URL and filters, errors wrapping
// ErrInvalid with what is wrong.
func orgSource(url string, d Discovery) (discover.Source, error) {
	src, err := discover.ParseSource(url, remote.Forge(strings.ToLower(strings.TrimSpace(d.Forge))))
	if err != nil {
		return discover.Source{}, fmt.Errorf("%w: %w", err, ErrInvalid)
	}
	src.Filters = discover.Filters{CatalogPath: strings.TrimSpace(d.CatalogPath), Branch: strings.TrimSpace(d.Branch),
		Repository: d.Repository, TopicsInclude: d.TopicsInclude, TopicsExclude: d.TopicsExclude, Visibility: d.Visibility,
		ExcludeForks: d.ExcludeForks, IncludeArchived: d.IncludeArchived}
	// New checks the filters (the pattern compiles, the glob is one
	// Callboard reads) without asking anything of the forge.
	if _, err := discover.New(src, discover.Options{}); err != nil {
		return discover.Source{}, fmt.Errorf("%w: %w", err, ErrInvalid)
	}
	return src, nil
}

// addOrg registers an organisation: AddLocation with Discover.
func (s *locations) addOrg(ctx context.Context, in NewLocation) (Location, error) {
	src, err := orgSource(in.URL, *in.Discover)
	if err != nil {
		return Location{}, err
	}
	raw, err := json.Marshal(src)
	if err != nil {
		return Location{}, fmt.Errorf("encode organisation %s: %w", src.URL(), err)
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return Location{}, err
	}
	// The demo's id stays its own, so restoring it never meets another.
	taken := map[string]bool{DemoLocationID: true}
	for _, l := range locs {
		if l.Org != nil && strings.EqualFold(l.URL, src.URL()) {
			return Location{}, fmt.Errorf("%s is already discovered as location %q: %w", src.URL(), l.ID, ErrConflict)
		}
		taken[l.ID] = true
	}
	loc := store.Location{URL: src.URL(), Org: &store.Org{Source: raw, Teams: in.Discover.Teams}}
	loc.ID = locationID(src.URL(), taken)
	if err := s.db.PutLocation(ctx, loc); err != nil {
		return Location{}, err
	}
	s.log.Info("organisation added", "location", loc.ID, "url", loc.URL)
	return locationDTO(loc), nil
}

// UpdateOrg answers API.UpdateOrg.
func (s *locations) UpdateOrg(ctx context.Context, id string, d Discovery) (Location, error) {
	loc, err := s.org(ctx, id)
	if err != nil {
		return Location{}, err
	}
	var old discover.Source
	if err := json.Unmarshal(loc.Org.Source, &old); err != nil {
		return Location{}, fmt.Errorf("read organisation %s: %w", id, err)
	}
	d.Forge = string(old.Forge)
	src, err := orgSource(loc.URL, d)
	if err != nil {
		return Location{}, err
	}
	raw, err := json.Marshal(src)
	if err != nil {
		return Location{}, fmt.Errorf("encode organisation %s: %w", src.URL(), err)
	}
	if err := s.db.SetOrgSource(ctx, id, raw, d.Teams); err != nil {
		return Location{}, err
	}
	loc.Org.Source, loc.Org.Teams = raw, d.Teams
	s.log.Info("organisation filters changed", "location", id)
	return locationDTO(loc), nil
}

// OrgRepos answers API.OrgRepos.
func (s *locations) OrgRepos(ctx context.Context, id string) ([]OrgRepo, error) {
	if _, err := s.org(ctx, id); err != nil {
		return nil, err
	}
	listing, _, err := s.db.OrgListing(ctx, id)
	if err != nil {
		return nil, err
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return nil, err
	}
	held := map[string]store.Location{}
	for _, l := range locs {
		if l.RepoID != "" && l.Derived {
			held[l.RepoID] = l
		}
	}
	out := make([]OrgRepo, 0, len(listing.Repos))
	for _, r := range listing.Repos {
		o := OrgRepo{ID: r.ID, FullName: r.FullName, URL: r.URL, WebURL: r.WebURL, Branch: r.Branch, Files: r.Files,
			Skipped: r.Skipped, Archived: r.Archived, Fork: r.Fork, Visibility: r.Visibility, LastSeen: r.LastSeen.UTC().Format(time.RFC3339)}
		if o.Files == nil {
			o.Files = []string{}
		}
		if l, ok := held[r.ID]; ok && len(r.Files) > 0 {
			o.LocationID, o.Status = l.ID, locationDTO(l).Status
		}
		out = append(out, o)
	}
	return out, nil
}

// org reads location id, which must be an organisation.
func (s *locations) org(ctx context.Context, id string) (store.Location, error) {
	loc, ok, err := s.db.Location(ctx, id)
	switch {
	case err != nil:
		return store.Location{}, err
	case !ok:
		return store.Location{}, fmt.Errorf("location %q: %w", id, ErrNotFound)
	case loc.Org == nil:
		return store.Location{}, fmt.Errorf("location %q is a repository, not a discovered organisation: %w", id, ErrInvalid)
	}
	return loc, nil
}

// orgSummary is the DTO of an organisation's record; nil for another
// location.
func orgSummary(o *store.Org) *OrgSummary {
	if o == nil {
		return nil
	}
	var src discover.Source
	out := &OrgSummary{Repos: o.Repos, Catalogued: o.Catalogued, Requests: o.Requests, RateLimit: o.RateLimit, RateRemaining: o.RateRemaining}
	if err := json.Unmarshal(o.Source, &src); err == nil {
		f := src.Filters
		out.Forge, out.Host, out.Owner = string(src.Forge), src.Host, src.Owner
		out.Discovery = Discovery{Forge: string(src.Forge), CatalogPath: f.CatalogPath, Branch: f.Branch, Repository: f.Repository,
			TopicsInclude: f.TopicsInclude, TopicsExclude: f.TopicsExclude, Visibility: f.Visibility,
			ExcludeForks: f.ExcludeForks, IncludeArchived: f.IncludeArchived}
	}
	out.Discovery.Teams = o.Teams
	if !o.ListedAt.IsZero() {
		out.ListedAt = o.ListedAt.UTC().Format(time.RFC3339)
	}
	if !o.RateResetAt.IsZero() {
		out.RateResetAt = o.RateResetAt.UTC().Format(time.RFC3339)
	}
	return out
}
