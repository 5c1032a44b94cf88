package portal

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/config"
	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/listing"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/syncer"
)

// catalogView answers the catalog's reads: the table, an entity's page,
// the graph around it, its history, and the user's stars and recent
// entities.
type catalogView struct {
	db      catalogStore
	rows    *rows
	history historyReader
	// tree syncs a location after its history is deepened.
	tree treeSyncer
	// historyGate and graphGate hold back floods of the two expensive reads.
	historyGate, graphGate *gate
}

// catalogStore is what the catalog view reads from the store, and the
// stars and visits it writes.
type catalogStore interface {
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	Entities(ctx context.Context, fn func(store.Entity) bool) error
	Relations(ctx context.Context, ref string) ([]store.Relation, error)
	Existing(ctx context.Context, refs []string) (map[string]bool, error)
	locationReader
	RemoteReadAt(ctx context.Context, urls []string) (time.Time, bool, error)
	Settings(ctx context.Context) (store.Settings, error)
	outboxLister
	userLists
}

// userLists are the user's stars and recently visited entities.
type userLists interface {
	Stars(ctx context.Context) ([]string, error)
	Recent(ctx context.Context) ([]string, error)
	SetStar(ctx context.Context, ref string, on bool) error
	Visit(ctx context.Context, ref string) error
}

// historyReader reads an entity's versions from its location's clone,
// and deepens a shallow clone. Errors are the syncer's (no such
// location, a path refused).
type historyReader interface {
	History(ctx context.Context, locationID, file, ref string, limit int) (syncer.History, error)
	Deepen(ctx context.Context, locationID string) error
}

// ListEntities answers API.ListEntities.
func (c *catalogView) ListEntities(ctx context.Context, q EntityQuery) (EntityList, error) {
	if err := checkPage(q.Offset, q.Limit); err != nil {
		return EntityList{}, err
	}
	if len(q.Filters) == 0 {
		return c.listFast(ctx, q)
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	// Kind is one more kind among the kind facet's, as in listFast: a
	// transport sends both as the same parameter.
	kinds := q.Facets[listing.FacetKind]
	if q.Kind != "" {
		kinds = append(slices.Clone(kinds), q.Kind)
	}
	unpushed, err := unpushed(ctx, c.db)
	if err != nil {
		return EntityList{}, fmt.Errorf("list entities: %w", err)
	}
	// The store yields entities by ref, not in the list's order, so the
	// page is cut only after every match is sorted.
	var all []EntitySummary
	err = c.db.Entities(ctx, func(e store.Entity) bool {
		if matches(&e.Entity, kinds, text, q.Filters) {
			sum := summarize(&e.Entity)
			sum.Pending = unpushed[e.LocationID][e.Source.File]
			sum.LocationID = e.LocationID
			all = append(all, sum)
		}
		return true
	})
	if err != nil {
		return EntityList{}, fmt.Errorf("list entities: %w", err)
	}
	slices.SortFunc(all, func(a, b EntitySummary) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Namespace, b.Namespace))
	})
	page := all[min(q.Offset, len(all)):]
	if q.Limit > 0 {
		page = page[:min(q.Limit, len(page))]
	}
	return EntityList{Items: append([]EntitySummary{}, page...), Total: len(all)}, nil
}

func matches(e *catalog.Entity, kinds []string, text string, filters map[string]string) bool {
	if len(kinds) > 0 && !slices.ContainsFunc(kinds, func(k string) bool { return strings.EqualFold(e.Kind, k) }) {
		return false
	}
	if text != "" && !strings.Contains(strings.ToLower(e.Metadata.Name+"\x00"+e.Metadata.Title+"\x00"+e.Metadata.Description), text) {
		return false
	}
	for path, want := range filters {
		if got, ok := e.Lookup(path); !ok || !strings.EqualFold(got, want) {
			return false
		}
	}
	return true
}

// GetEntity answers API.GetEntity.
func (c *catalogView) GetEntity(ctx context.Context, ref string) (EntityDetail, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return EntityDetail{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := c.db.Entity(ctx, r.String())
	if err != nil {
		return EntityDetail{}, fmt.Errorf("get entity %s: %w", r, err)
	}
	if !ok {
		return EntityDetail{}, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	rels, err := c.db.Relations(ctx, r.String())
	if err != nil {
		return EntityDetail{}, err
	}
	d := EntityDetail{
		EntitySummary: summarize(&e.Entity),
		Entity:        e.Entity.Raw,
		Relations:     make([]Relation, 0, len(rels)),
		Source:        Source{LocationID: e.LocationID, File: e.Source.File, Line: e.Source.Line, Commit: e.Commit},
	}
	d.LocationID = e.LocationID
	if d.Source.Commit == "" {
		loc, _, err := c.db.Location(ctx, e.LocationID)
		if err != nil {
			return EntityDetail{}, err
		}
		d.Source.Commit = loc.HeadCommit
	}
	targets := make([]string, len(rels))
	for i, rel := range rels {
		targets[i] = rel.Target
	}
	exists, err := c.db.Existing(ctx, targets)
	if err != nil {
		return EntityDetail{}, err
	}
	for _, rel := range rels {
		d.Relations = append(d.Relations, Relation{Type: rel.Type, TargetRef: rel.Target, Missing: !exists[rel.Target]})
	}
	unpushed, err := unpushed(ctx, c.db)
	if err != nil {
		return EntityDetail{}, err
	}
	d.Pending = unpushed[e.LocationID][e.Source.File]
	inReview, err := reviews(ctx, c.db, e.LocationID)
	if err != nil {
		return EntityDetail{}, err
	}
	d.Review = inReview[e.LocationID][e.Source.File]
	d.HasErrors = len(e.Errors) > 0
	if r := e.Remote; r != nil {
		readAt := r.ReadAt
		if r.Stale == "" {
			// Files found unchanged leave the entity as stored; the kept
			// files say when their servers last confirmed them.
			at, ok, err := c.db.RemoteReadAt(ctx, r.URLs)
			if err != nil {
				return EntityDetail{}, err
			}
			if ok && at.After(readAt) {
				readAt = at
			}
		}
		d.Remote = &RemoteParts{URLs: r.URLs, ReadAt: readAt.UTC().Format(time.RFC3339), Stale: r.Stale}
	}
	stars, err := c.db.Stars(ctx)
	if err != nil {
		return EntityDetail{}, err
	}
	d.Starred = slices.Contains(stars, d.Ref)
	for _, pe := range e.Errors {
		d.Errors = append(d.Errors, ProcessingError{File: pe.File, Line: pe.Line, Column: pe.Column, Field: pe.Field, Message: pe.Message})
	}
	y, err := yaml.Marshal(e.Entity.Raw)
	if err != nil {
		return EntityDetail{}, fmt.Errorf("render YAML of %s: %w", r, err)
	}
	d.YAML = string(y)
	return d, nil
}

func summarize(e *catalog.Entity) EntitySummary {
	s := EntitySummary{
		Ref: e.Ref().String(), Kind: e.Kind, Namespace: e.Metadata.Namespace, Name: e.Metadata.Name,
		Title: e.Metadata.Title, Description: e.Metadata.Description,
		Type: e.SpecString("type"), Lifecycle: e.SpecString("lifecycle"), Tags: e.Metadata.Tags,
	}
	if s.Tags == nil {
		s.Tags = []string{}
	}
	if o := e.SpecString("owner"); o != "" {
		if r, err := catalog.ParseRef(o, "group", e.Metadata.Namespace); err == nil {
			s.Owner = r.String()
		}
	}
	if sys := e.SpecString("system"); sys != "" {
		if r, err := catalog.ParseRef(sys, "system", e.Metadata.Namespace); err == nil {
			s.System = r.String()
		}
	}
	return s
}

func rowSummary(r store.Row) EntitySummary {
	tags := r.Tags
	if tags == nil {
		tags = []string{}
	}
	return EntitySummary{Ref: r.Ref, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name, Title: r.Title, Description: r.Description,
		Owner: r.Owner, Type: r.Type, Lifecycle: r.Lifecycle, System: r.System, Tags: tags, HasErrors: r.Errors, LocationID: r.LocationID}
}

// listFast answers a query without Filters from the listing.
func (c *catalogView) listFast(ctx context.Context, q EntityQuery) (EntityList, error) {
	if err := c.rows.refresh(ctx); err != nil {
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
	stars, err := c.db.Stars(ctx)
	if err != nil {
		return EntityList{}, err
	}
	starred := setOf(stars)
	if q.Starred {
		lq.Refs = starred
	}
	if q.Mine {
		id, err := c.identity(ctx)
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
	page := c.rows.listing.Query(lq)
	unpushed, err := unpushed(ctx, c.db)
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
func (c *catalogView) identity(ctx context.Context) (Identity, error) {
	st, err := c.db.Settings(ctx)
	if err != nil {
		return Identity{}, err
	}
	if err := c.rows.refresh(ctx); err != nil {
		return Identity{}, err
	}
	id := Identity{Groups: []string{}}
	var row store.Row
	var ok bool
	switch {
	case st.UserRef != "":
		row, ok = c.rows.listing.Get(st.UserRef)
		id.UserRef, id.Source = st.UserRef, "settings"
	default:
		cfg, err := config.LoadConfig(config.GlobalScope)
		if err != nil || cfg.User.Email == "" {
			return id, nil
		}
		id.Email = cfg.User.Email
		if row, ok = c.rows.listing.User(cfg.User.Email); ok {
			id.UserRef, id.Source = row.Ref, "git"
		}
	}
	if !ok {
		return id, nil
	}
	id.Name, id.Email = cmp.Or(row.Title, row.Name), cmp.Or(row.Email, id.Email)
	if e, found, err := c.db.Entity(ctx, id.UserRef); err == nil && found {
		if profile, ok := e.Entity.Spec["profile"].(map[string]any); ok {
			if name, ok := profile["displayName"].(string); ok && name != "" {
				id.Name = name
			}
		}
	}
	rels, err := c.db.Relations(ctx, id.UserRef)
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

// UserState answers API.UserState.
func (c *catalogView) UserState(ctx context.Context) (UserState, error) {
	id, err := c.identity(ctx)
	if err != nil {
		return UserState{}, err
	}
	out := UserState{Identity: id, Starred: []EntitySummary{}, Recent: []EntitySummary{}}
	for _, list := range []struct {
		read func(context.Context) ([]string, error)
		into *[]EntitySummary
	}{{c.db.Stars, &out.Starred}, {c.db.Recent, &out.Recent}} {
		refs, err := list.read(ctx)
		if err != nil {
			return UserState{}, err
		}
		for _, ref := range refs {
			if r, ok := c.rows.listing.Get(ref); ok {
				*list.into = append(*list.into, rowSummary(r))
			}
		}
	}
	for i := range out.Starred {
		out.Starred[i].Starred = true
	}
	return out, nil
}

// SetStar answers API.SetStar.
func (c *catalogView) SetStar(ctx context.Context, ref string, on bool) error {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return c.db.SetStar(ctx, r.String(), on)
}

// Visit answers API.Visit.
func (c *catalogView) Visit(ctx context.Context, ref string) error {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return c.db.Visit(ctx, strings.ToLower(r.String()))
}
