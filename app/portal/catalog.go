package portal

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
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
	present := map[string]bool{}
	for _, l := range locs {
		present[l.ID] = true
		if v, ok := s.rows.loaded[l.ID]; ok && v == l.Version {
			continue
		}
		before := s.rows.loaded[l.ID]
		rs, ok := s.cachedRows(l)
		version := l.Version
		if !ok {
			var loc store.Location
			var err error
			if rs, loc, err = loadRows(ctx, s.cfg.DB, l.ID); err != nil {
				return err
			}
			version = loc.Version
			s.cacheRows(loc, rs)
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

// rowsCache is the file that keeps location id's rows between starts: with
// 100,000 entities, reading them back is several times quicker than
// decoding every entity from the store. It is derived data, checked
// against the location's Version and rebuilt whenever it does not match.
func (s *Service) rowsCache(id string) string {
	if s.cfg.DataDir == "" {
		return ""
	}
	return filepath.Join(s.cfg.DataDir, "cache", "listing-"+id+".bin")
}

func (s *Service) cachedRows(l store.Location) ([]listing.Row, bool) {
	path := s.rowsCache(l.ID)
	if path == "" {
		return nil, false
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 8 || binary.BigEndian.Uint64(b) != l.Version {
		return nil, false
	}
	rows, err := listing.Decode(b[8:])
	if err != nil {
		s.log.Warn("the catalog table cache does not read; rebuilding it", "location", l.ID, "err", err)
		return nil, false
	}
	return rows, true
}

func (s *Service) cacheRows(l store.Location, rows []listing.Row) {
	path := s.rowsCache(l.ID)
	if path == "" {
		return
	}
	b := binary.BigEndian.AppendUint64(nil, l.Version)
	b = append(b, listing.Encode(rows)...)
	tmp := path + ".tmp"
	err := os.MkdirAll(filepath.Dir(path), 0o700)
	if err == nil {
		err = os.WriteFile(tmp, b, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		s.log.Warn("save the catalog table cache", "location", l.ID, "err", err)
	}
}

// rowRecord is the part of a stored entity the catalog table shows; the
// decoder skips the rest (definitions, links, annotations) without
// building it.
type rowRecord struct {
	Entity struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name        string         `json:"name"`
			Namespace   string         `json:"namespace"`
			Title       string         `json:"title"`
			Description string         `json:"description"`
			Tags        []string       `json:"tags"`
			Annotations map[string]any `json:"annotations"`
		} `json:"metadata"`
		Spec struct {
			Type      any `json:"type"`
			Lifecycle any `json:"lifecycle"`
			Owner     any `json:"owner"`
			System    any `json:"system"`
			Profile   any `json:"profile"`
		} `json:"spec"`
	} `json:"entity"`
	Source struct {
		File string `json:"file"`
	} `json:"source"`
	Errors []json.RawMessage `json:"errors"`
}

// loadRows reads the rows of location id, decoding on every CPU while the
// store is read, so the records are never all in memory at once.
func loadRows(ctx context.Context, db *store.DB, id string) ([]listing.Row, store.Location, error) {
	type job struct {
		i      int
		record []byte
	}
	jobs := make(chan job, 256)
	var mu sync.Mutex
	var out []listing.Row
	var firstErr error
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				row, err := toRow(j.record)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				for len(out) <= j.i {
					out = append(out, listing.Row{})
				}
				out[j.i] = row
				mu.Unlock()
			}
		})
	}
	n := 0
	loc, _, err := db.EntitiesOf(ctx, id, func(_ string, record []byte) error {
		jobs <- job{n, record}
		n++
		return nil
	})
	close(jobs)
	wg.Wait()
	if err == nil {
		err = firstErr
	}
	if err != nil {
		return nil, loc, fmt.Errorf("read the entities of location %s: %w", id, err)
	}
	return out, loc, nil
}

func toRow(record []byte) (listing.Row, error) {
	var r rowRecord
	if err := json.Unmarshal(record, &r); err != nil {
		return listing.Row{}, err
	}
	e, md := r.Entity, r.Entity.Metadata
	ref := catalog.Ref{Kind: e.Kind, Namespace: md.Namespace, Name: md.Name}
	row := listing.Row{Ref: ref.String(), Kind: e.Kind, Namespace: md.Namespace, Name: md.Name, Title: md.Title,
		Description: md.Description, Tags: md.Tags, File: r.Source.File, Errors: len(r.Errors) > 0}
	text := func(v any) string { s, _ := v.(string); return s }
	row.Type, row.Lifecycle = text(e.Spec.Type), text(e.Spec.Lifecycle)
	row.Owner = refOf(text(e.Spec.Owner), "group", md.Namespace)
	row.System = refOf(text(e.Spec.System), "system", md.Namespace)
	if profile, ok := e.Spec.Profile.(map[string]any); ok {
		row.Email, _ = profile["email"].(string)
	}
	var extra []string
	for _, k := range searchedAnnotations {
		if v, ok := md.Annotations[k].(string); ok && v != "" {
			extra = append(extra, v)
		}
	}
	row.Extra = strings.Join(extra, " ")
	row.Docs, _ = md.Annotations["backstage.io/techdocs-ref"].(string)
	return row, nil
}

// searchedAnnotations are the annotations whose values search finds.
var searchedAnnotations = []string{"github.com/project-slug", "gitlab.com/project-slug", "backstage.io/source-location", "jira/project-key"}

// refOf is the full ref of a reference written in a spec, or "".
func refOf(s, kind, namespace string) string {
	if s == "" {
		return ""
	}
	r, err := catalog.ParseRef(s, kind, namespace)
	if err != nil {
		return ""
	}
	return r.String()
}

func rowSummary(r listing.Row) EntitySummary {
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
	var row listing.Row
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
