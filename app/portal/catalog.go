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
	"github.com/callboard/callboard/app/catalogquery"
	"github.com/callboard/callboard/app/listing"
	"github.com/callboard/callboard/app/scorecard"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/syncer"
)

// catalogView answers the catalog's reads: the table, an entity's page,
// the graph around it, its history, and the user's stars and recent
// entities.
type catalogView struct {
	db   catalogStore
	rows *rows
	// fields indexes every entity's field values, for Filters.
	fields  *catalogquery.Index
	history historyReader
	// tree syncs a location after its history is deepened.
	tree treeSyncer
	// historyGate and graphGate hold back floods of the two expensive reads.
	historyGate, graphGate *gate
	// levels gives the scorecard results for the Level column and facet.
	levels levelBook
	// sources clones a Backstage's entity's repository for its history.
	sources *sourceClones
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

// ListEntities answers API.ListEntities. Filters are matched from the
// field index, with Backstage's semantics; the rest of the query, the
// page and the facets come from the listing.
func (c *catalogView) ListEntities(ctx context.Context, q EntityQuery) (EntityList, error) {
	if err := checkPage(q.Offset, q.Limit); err != nil {
		return EntityList{}, err
	}
	var matched map[string]bool
	if len(q.Filters) > 0 {
		var err error
		if matched, err = c.fieldMatches(ctx, q.Filters); err != nil {
			return EntityList{}, fmt.Errorf("list entities: %w", err)
		}
	}
	return c.listFast(ctx, q, matched)
}

// fieldMatches is the refs of the entities holding every filter's value
// at its dotted path (keys and values in any case, arrays matching any
// item), as Backstage's catalog filters match.
func (c *catalogView) fieldMatches(ctx context.Context, filters map[string]string) (map[string]bool, error) {
	conds := make([]catalogquery.Condition, 0, len(filters))
	byRelation := false
	for path, want := range filters {
		key := strings.ToLower(path)
		byRelation = byRelation || strings.HasPrefix(key, "relations.")
		conds = append(conds, catalogquery.Condition{Key: key, Values: []string{strings.ToLower(want)}})
	}
	refresh := c.fields.RefreshFields
	if byRelation {
		refresh = c.fields.Refresh
	}
	v, err := refresh(ctx)
	if err != nil {
		return nil, err
	}
	m := v.Match(catalogquery.Query{Filter: &catalogquery.Filter{AnyOf: [][]catalogquery.Condition{conds}}})
	out := map[string]bool{}
	for _, h := range m.Entities(nil, 0, m.Count()) {
		out[h.Ref] = true
	}
	return out, nil
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
	loc, _, err := c.db.Location(ctx, e.LocationID)
	if err != nil {
		return EntityDetail{}, err
	}
	if d.Source.Commit == "" {
		d.Source.Commit = loc.HeadCommit
	}
	d.Backstage = entityBackstage(loc, e)
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
	if d.Backstage != nil && !d.Pending {
		if d.Pending, err = c.sourcePending(ctx, e, unpushed); err != nil {
			return EntityDetail{}, err
		}
	}
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

// listFast answers a query from the listing; matched, when not nil,
// keeps only those refs (the entities Filters matched).
func (c *catalogView) listFast(ctx context.Context, q EntityQuery, matched map[string]bool) (EntityList, error) {
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
	switch {
	case q.Starred && matched != nil:
		lq.Refs = map[string]bool{}
		for ref := range matched {
			if starred[ref] {
				lq.Refs[ref] = true
			}
		}
	case q.Starred:
		lq.Refs = starred
	case matched != nil:
		lq.Refs = matched
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
	var book *scorecard.Book
	byLevel := len(lq.Facets[FacetLevel]) > 0
	if c.levels != nil && (!q.WithoutLevels || byLevel) && hasScorecards(c.rows.listing) {
		if book, err = c.levels.levelBook(ctx); err != nil {
			return EntityList{}, err
		}
	}
	// The book may be there to filter alone; the rows and facets show
	// levels only when asked.
	showLevels := book != nil && !q.WithoutLevels
	lq, base := levelQuery(book, lq)
	page := c.rows.listing.Query(lq)
	unpushed, err := unpushed(ctx, c.db)
	if err != nil {
		return EntityList{}, err
	}
	out := EntityList{Items: make([]EntitySummary, 0, len(page.Rows)), Total: page.Total, Facets: map[string][]FacetCount{}}
	for _, r := range page.Rows {
		sum := rowSummary(r)
		sum.Starred, sum.Pending = starred[r.Ref], unpushed[r.LocationID][r.File]
		if showLevels {
			sum.Levels = book.Tags(r.Ref)
		}
		out.Items = append(out.Items, sum)
	}
	if showLevels {
		out.Facets[FacetLevel] = levelCounts(c.rows.listing, book, lq, base)
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
