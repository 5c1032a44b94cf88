package portal

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/config"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/listing"
	"github.com/callboard/callboard/app/store"
)

// rows keeps the listing in step with the store, a location at a time.
type rows struct {
	mu      sync.Mutex // one refresh at a time
	listing *listing.Listing
	loaded  map[string]uint64 // location → Version the listing holds
}

// RefreshListing brings the in-memory catalog table up to date with the
// store: locations whose entities changed are read again, removed ones
// dropped. Queries call it; the instance also calls it after each sync, so
// the first query after a large sync does not wait.
func (s *Service) RefreshListing(ctx context.Context) error {
	s.rows.mu.Lock()
	defer s.rows.mu.Unlock()
	locs, err := s.cfg.DB.Locations(ctx)
	if err != nil {
		return err
	}
	cache := s.rowsCache()
	present := map[string]bool{}
	for _, l := range locs {
		present[l.ID] = true
		if v, ok := s.rows.loaded[l.ID]; ok && v == l.Version {
			continue
		}
		before := s.rows.loaded[l.ID]
		rs, ok, err := cache.Load(l.ID, l.Version)
		if err != nil {
			s.log.Warn("the catalog table cache does not read; rebuilding it", "location", l.ID, "err", err)
		}
		version := l.Version
		if !ok {
			var loc store.Location
			if rs, loc, _, err = s.cfg.DB.Rows(ctx, l.ID); err != nil {
				return err
			}
			version = loc.Version
			if err := cache.Save(l.ID, version, rs); err != nil {
				s.log.Warn("save the catalog table cache", "location", l.ID, "err", err)
			}
		}
		old := s.rows.listing.Replace(l.ID, rs)
		s.rows.loaded[l.ID] = version
		// The search index follows in the background: a first build of
		// 100,000 entities takes a while, and queries should not wait.
		s.updateIndex(func(ctx context.Context) { s.indexLocation(ctx, l.ID, before, version, old, rs) })
	}
	for id := range s.rows.loaded {
		if !present[id] {
			s.rows.listing.Remove(id)
			delete(s.rows.loaded, id)
			s.updateIndex(func(ctx context.Context) { s.dropFromSearch(ctx, id) })
		}
	}
	return nil
}

// rowsCache keeps the rows of each location between starts, in the data
// dir's cache folder (nowhere for a store in memory).
func (s *Service) rowsCache() listing.Cache {
	if s.cfg.DataDir == "" {
		return listing.Cache{}
	}
	return listing.Cache{Dir: filepath.Join(s.cfg.DataDir, "cache")}
}

func rowSummary(r store.Row) EntitySummary {
	tags := r.Tags
	if tags == nil {
		tags = []string{}
	}
	return EntitySummary{Ref: r.Ref, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name, Title: r.Title, Description: r.Description,
		Owner: r.Owner, Type: r.Type, Lifecycle: r.Lifecycle, System: r.System, Tags: tags, HasErrors: r.Errors}
}

// listFast answers a query without Filters from the listing.
func (s *Service) listFast(ctx context.Context, q EntityQuery) (EntityList, error) {
	if err := s.RefreshListing(ctx); err != nil {
		return EntityList{}, err
	}
	lq := listing.Query{Facets: q.Facets, Text: q.Text, Errors: q.HasErrors, Sort: q.Sort, Desc: q.Desc, Offset: q.Offset, Limit: q.Limit}
	if q.Kind != "" {
		lq.Facets = maps.Clone(q.Facets)
		if lq.Facets == nil {
			lq.Facets = map[string][]string{}
		}
		lq.Facets[listing.FacetKind] = append(slices.Clone(lq.Facets[listing.FacetKind]), q.Kind)
	}
	stars, err := s.cfg.DB.Stars(ctx)
	if err != nil {
		return EntityList{}, err
	}
	starred := setOf(stars)
	if q.Starred {
		lq.Refs = starred
	}
	if q.Mine {
		id, err := s.identity(ctx)
		if err != nil {
			return EntityList{}, err
		}
		lq.OwnedBy = map[string]bool{}
		for _, r := range append([]string{id.UserRef}, id.Groups...) {
			if r != "" {
				lq.OwnedBy[r] = true
			}
		}
	}
	if lq.Limit <= 0 {
		lq.Limit = 100
	}
	page := s.rows.listing.Query(lq)
	unpushed, err := s.unpushed(ctx)
	if err != nil {
		return EntityList{}, err
	}
	out := EntityList{Items: make([]EntitySummary, 0, len(page.Rows)), Total: page.Total, Facets: map[string][]FacetCount{}}
	for _, r := range page.Rows {
		sum := rowSummary(r)
		sum.Starred, sum.Pending = starred[r.Ref], unpushed[r.LocationID][r.File]
		out.Items = append(out.Items, sum)
	}
	for f, counts := range page.Facets {
		fc := make([]FacetCount, len(counts))
		for i, c := range counts {
			fc[i] = FacetCount{Value: c.Value, Count: c.Count}
		}
		out.Facets[f] = fc
	}
	return out, nil
}

func setOf(refs []string) map[string]bool {
	out := make(map[string]bool, len(refs))
	for _, r := range refs {
		out[r] = true
	}
	return out
}

// identity finds who the user is: the User chosen in Settings, else the
// User whose spec.profile.email is git's user.email.
func (s *Service) identity(ctx context.Context) (Identity, error) {
	st, err := s.cfg.DB.Settings(ctx)
	if err != nil {
		return Identity{}, err
	}
	if err := s.RefreshListing(ctx); err != nil {
		return Identity{}, err
	}
	id := Identity{Groups: []string{}}
	var row store.Row
	var ok bool
	switch {
	case st.UserRef != "":
		row, ok = s.rows.listing.Get(st.UserRef)
		id.UserRef, id.Source = st.UserRef, "settings"
	default:
		cfg, err := config.LoadConfig(config.GlobalScope)
		if err != nil || cfg.User.Email == "" {
			return id, nil
		}
		id.Email = cfg.User.Email
		if row, ok = s.rows.listing.User(cfg.User.Email); ok {
			id.UserRef, id.Source = row.Ref, "git"
		}
	}
	if !ok {
		return id, nil
	}
	id.Name, id.Email = cmp.Or(row.Title, row.Name), cmp.Or(row.Email, id.Email)
	if e, found, err := s.cfg.DB.Entity(ctx, id.UserRef); err == nil && found {
		if profile, ok := e.Entity.Spec["profile"].(map[string]any); ok {
			if name, ok := profile["displayName"].(string); ok && name != "" {
				id.Name = name
			}
		}
	}
	rels, err := s.cfg.DB.Relations(ctx, id.UserRef)
	if err != nil {
		return Identity{}, err
	}
	for _, r := range rels {
		if r.Type == "memberOf" {
			id.Groups = append(id.Groups, r.Target)
		}
	}
	return id, nil
}

// UserState implements API.
func (s *Service) UserState(ctx context.Context) (UserState, error) {
	id, err := s.identity(ctx)
	if err != nil {
		return UserState{}, err
	}
	out := UserState{Identity: id, Starred: []EntitySummary{}, Recent: []EntitySummary{}}
	for _, list := range []struct {
		read func(context.Context) ([]string, error)
		into *[]EntitySummary
	}{{s.cfg.DB.Stars, &out.Starred}, {s.cfg.DB.Recent, &out.Recent}} {
		refs, err := list.read(ctx)
		if err != nil {
			return UserState{}, err
		}
		for _, ref := range refs {
			if r, ok := s.rows.listing.Get(ref); ok {
				*list.into = append(*list.into, rowSummary(r))
			}
		}
	}
	for i := range out.Starred {
		out.Starred[i].Starred = true
	}
	return out, nil
}

// SetStar implements API.
func (s *Service) SetStar(ctx context.Context, ref string, on bool) error {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return s.cfg.DB.SetStar(ctx, r.String(), on)
}

// Visit implements API.
func (s *Service) Visit(ctx context.Context, ref string) error {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return s.cfg.DB.Visit(ctx, strings.ToLower(r.String()))
}
