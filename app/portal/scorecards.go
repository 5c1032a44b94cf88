package portal

import (
	"context"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scorecard"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// Scorecards: every Scorecard entity's checks evaluated over the stored
// entities, the files of their clones at the synced commit and the facts
// plugins reported. The results are kept in memory with what each read,
// and evaluated again when a location's Version moved, incrementally: only
// entities whose document, relations, files read or facts changed. New
// facts alone (plugins report them entity by entity), or other facts
// provided (as plugins start), read and evaluate only the entities they
// concern. The results are stored too, so after
// a restart the first evaluation reuses every entity whose inputs did not
// change.

// scorecardStore is what the area reads of the store; *store.DB is the one
// in use.
type scorecardStore interface {
	Locations(ctx context.Context) ([]store.Location, error)
	Entities(ctx context.Context, fn func(store.Entity) bool) error
	AllRelations(ctx context.Context, fn func(source string, rels []store.Relation) error) error
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	// EntitiesWith reads many entities with their relations at once.
	EntitiesWith(ctx context.Context, refs []string, fn func(store.Entity, []store.Relation) error) error
	ScorecardResults(ctx context.Context, fn func(ref string, data []byte) error) error
	UpdateScorecardResults(ctx context.Context, put map[string][]byte, gone []string) error
}

// scorecardFiles reads a location's repository at its synced commit;
// *syncer.Syncer is the one in use. A location without a clone (a
// plugin's) is an error, and its entities' file checks fail.
type scorecardFiles interface {
	Files(ctx context.Context, id string) (catalog.Files, string, error)
}

// scorecardClones says where a location's clone is, for the history of
// an entity's score; *syncer.Syncer is the one in use.
type scorecardClones interface {
	Clone(id string) string
}

// factSource gives the facts plugins reported for an entity, by
// plugin.fact name, with when each was reported; *facts is the one in use
// (facts.go).
type factSource interface {
	Facts(ctx context.Context, ref string) (map[string]scorecard.Fact, error)
	// Provided are the facts the enabled plugins announce, nil when not
	// known; Version moves whenever facts were kept.
	Provided(ctx context.Context) []string
	Version() uint64
	// ChangedSince lists the entities whose facts changed after a
	// Version, with the Version they are of; false when all may have.
	ChangedSince(since uint64) ([]string, uint64, bool)
}

// scorecards is the Scorecards area.
type scorecards struct {
	store  scorecardStore
	files  scorecardFiles  // nil: no clones, file checks fail
	clones scorecardClones // nil: no clones, no history
	points *scorecard.PointCache
	facts  factSource // nil: no plugin reports facts
	engine *scorecard.Engine
	log    *slog.Logger

	mu       sync.Mutex // one evaluation at a time; guards what follows
	restored bool       // the stored results were given to the engine
	version  string     // the location Versions the book is of
	factsV   uint64     // the facts Version it is of
	book     *scorecard.Book
	exists   scorecard.Exists
	stats    scorecard.Stats
	// cards and owners are the last full read's, which new facts alone
	// do not change; entities is how many it evaluated.
	cards    []*scorecard.Card
	owners   map[string]string
	entities int
}

func newScorecards(db scorecardStore, log *slog.Logger) *scorecards {
	return &scorecards{store: db, engine: scorecard.NewEngine(), points: scorecard.NewPointCache(), log: log.With("area", "scorecards")}
}

// current brings the results up to date with the store and returns them,
// with which refs the catalog has.
func (s *scorecards) current(ctx context.Context) (*scorecard.Book, scorecard.Exists, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	locs, err := s.store.Locations(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("scorecards: %w", err)
	}
	var b strings.Builder
	for _, l := range locs {
		fmt.Fprintf(&b, "%s:%d:%s;", l.ID, l.Version, l.HeadCommit)
	}
	// Facts change without a sync, and a "within" check with time.
	var factsV uint64
	if s.facts != nil {
		factsV = s.facts.Version()
		s.engine.SetProvided(s.facts.Provided(ctx))
	}
	if s.book != nil && b.String() == s.version && !s.engine.Expired() {
		stale := s.engine.Stale()
		if factsV == s.factsV && len(stale) == 0 {
			return s.book, s.exists, nil
		}
		if ok, err := s.update(ctx, locs, stale); ok || err != nil {
			return s.book, s.exists, err
		}
	}
	if !s.restored {
		s.restore(ctx)
	}
	cat, err := s.read(ctx, locs)
	if err != nil {
		return nil, nil, err
	}
	results, st, err := s.engine.Run(ctx, cat.Cards, cat.Subjects, cat.Exists)
	if err != nil {
		return nil, nil, err
	}
	s.save(ctx)
	s.cards, s.owners, s.entities = cat.Cards, scorecard.Owners(cat.Subjects), len(cat.Subjects)
	s.book, s.exists = scorecard.NewBook(s.cards, results, s.owners), cat.Exists
	s.version, s.factsV, s.stats = b.String(), factsV, st
	s.log.Debug("scorecards evaluated", "scorecards", len(cat.Cards), "evaluated", st.Evaluated, "reused", st.Reused)
	return s.book, s.exists, nil
}

// updateMin is how many entities an update may read one by one, however
// small the catalog.
const updateMin = 1000

// update evaluates again only the entities whose facts changed since the
// book was made, and those stale for the facts the plugins now provide,
// when nothing else changed; false when a full read is needed.
func (s *scorecards) update(ctx context.Context, locs []store.Location, stale []string) (bool, error) {
	refs, factsV, ok := []string(nil), s.factsV, true
	if s.facts != nil {
		refs, factsV, ok = s.facts.ChangedSince(s.factsV)
	}
	if !ok {
		return false, nil
	}
	refs = append(refs, stale...)
	slices.Sort(refs)
	refs = slices.Compact(refs)
	// Past an eighth of the catalog, one scan of it costs less than
	// reading each entity (as when plugins start before any reported).
	if len(refs) > max(updateMin, s.entities/8) {
		return false, nil
	}
	files := map[string]scorecard.Files{}
	var subjects []scorecard.Subject
	err := s.store.EntitiesWith(ctx, refs, func(e store.Entity, rels []store.Relation) error {
		if e.Entity.Kind == catalog.KindScorecard {
			return nil
		}
		if _, read := files[e.LocationID]; !read {
			var f scorecard.Files
			if i := slices.IndexFunc(locs, func(l store.Location) bool { return l.ID == e.LocationID }); i >= 0 {
				f = s.locationFiles(ctx, locs[i])
			}
			files[e.LocationID] = f
		}
		sub, err := s.subject(ctx, &e, rels, files[e.LocationID])
		if err != nil {
			return err
		}
		subjects = append(subjects, sub)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("scorecards: %w", err)
	}
	results, st, ok, err := s.engine.Update(ctx, s.cards, subjects, s.exists)
	if err != nil || !ok {
		return false, err
	}
	s.save(ctx)
	s.book, s.factsV, s.stats = scorecard.NewBook(s.cards, results, s.owners), factsV, st
	s.log.Debug("scorecards evaluated for new facts", "entities", len(refs), "evaluated", st.Evaluated)
	return true, nil
}

// restore gives the engine the results an earlier process stored. Results
// that do not read are evaluated again, so a failure is only logged.
func (s *scorecards) restore(ctx context.Context) {
	s.restored = true
	n := 0
	err := s.store.ScorecardResults(ctx, func(ref string, data []byte) error {
		n++
		return s.engine.Restore(ref, data)
	})
	if err != nil {
		s.log.Warn("stored scorecard results not read", "err", err)
		s.engine = scorecard.NewEngine()
		return
	}
	s.log.Debug("stored scorecard results read", "entities", n)
}

// save stores what the last run evaluated. The results are in memory
// whatever happens, and a store that cannot take them (read-only) only
// costs an evaluation after a restart, so a failure is only logged.
func (s *scorecards) save(ctx context.Context) {
	put, gone, err := s.engine.Unsaved()
	if err == nil && len(put)+len(gone) > 0 {
		err = s.store.UpdateScorecardResults(ctx, put, gone)
	}
	if err != nil {
		s.log.Warn("scorecard results not stored", "err", err)
	}
}

// locationFiles are the files of a location's clone at its synced
// commit, nil when it has none.
func (s *scorecards) locationFiles(ctx context.Context, l store.Location) scorecard.Files {
	if l.Gen == 0 || s.files == nil {
		return nil
	}
	f, _, err := s.files.Files(ctx, l.ID)
	if err != nil {
		s.log.Debug("scorecards read no files", "location", l.ID, "err", err)
		return nil
	}
	return f
}

// read loads every entity with its relations, files and facts.
func (s *scorecards) read(ctx context.Context, locs []store.Location) (scorecard.Catalog, error) {
	var cat scorecard.Catalog
	files := map[string]scorecard.Files{}
	for _, l := range locs {
		if f := s.locationFiles(ctx, l); f != nil {
			files[l.ID] = f
		}
	}
	refs := map[string]bool{}
	var entities []store.Entity
	err := s.store.Entities(ctx, func(e store.Entity) bool {
		refs[e.Entity.Ref().String()] = true
		entities = append(entities, e)
		return true
	})
	if err != nil {
		return cat, fmt.Errorf("scorecards: %w", err)
	}
	cat.Exists = func(ref string) bool { return refs[ref] }
	// Every relation in one pass, as Relations gives them: each source's
	// once, by type and target.
	rels := map[string][]store.Relation{}
	err = s.store.AllRelations(ctx, func(source string, out []store.Relation) error {
		rels[source] = append(rels[source], out...)
		return nil
	})
	if err != nil {
		return cat, fmt.Errorf("scorecards: relations: %w", err)
	}
	for src, list := range rels {
		slices.SortFunc(list, store.CompareRelations)
		rels[src] = slices.Compact(list)
	}
	for i := range entities {
		e := &entities[i]
		ref := e.Entity.Ref().String()
		if e.Entity.Kind == catalog.KindScorecard {
			c, err := scorecard.NewCard(&e.Entity)
			if err != nil {
				s.log.Warn("scorecard not read", "ref", ref, "err", err)
				continue
			}
			cat.Cards = append(cat.Cards, c)
			continue
		}
		sub, err := s.subject(ctx, e, rels[ref], files[e.LocationID])
		if err != nil {
			return cat, err
		}
		cat.Subjects = append(cat.Subjects, sub)
	}
	return cat, nil
}

// subject is an entity with its relations, files and facts.
func (s *scorecards) subject(ctx context.Context, e *store.Entity, rels []store.Relation, files scorecard.Files) (scorecard.Subject, error) {
	ref := e.Entity.Ref().String()
	sub := scorecard.Subject{Entity: &e.Entity, Files: files}
	for _, r := range rels {
		sub.Relations = append(sub.Relations, scorecard.Relation{Type: r.Type, Target: r.Target})
	}
	if dir := path.Dir(e.Source.File); dir != "." && !strings.Contains(e.Source.File, "://") {
		sub.Dir = dir
	}
	if s.facts != nil {
		var err error
		if sub.Facts, err = s.facts.Facts(ctx, ref); err != nil {
			return scorecard.Subject{}, fmt.Errorf("scorecards: facts of %s: %w", ref, err)
		}
	}
	return sub, nil
}

// Scorecards lists every scorecard with its counts.
func (s *scorecards) Scorecards(ctx context.Context) ([]scorecard.Summary, error) {
	b, _, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	return b.Scorecards(), nil
}

// Scorecard is one scorecard's page, of one owner's entities when set.
func (s *scorecards) Scorecard(ctx context.Context, ref, owner string) (scorecard.Detail, error) {
	r, err := parseRef(ref, catalog.KindScorecard)
	if err != nil {
		return scorecard.Detail{}, err
	}
	var keep func(entity, o string) bool
	if owner != "" {
		want, err := parseRef(owner, "Group")
		if err != nil {
			return scorecard.Detail{}, err
		}
		keep = func(_, o string) bool { return o == want }
	}
	b, _, err := s.current(ctx)
	if err != nil {
		return scorecard.Detail{}, err
	}
	c, ok := b.Card(r)
	if !ok {
		return scorecard.Detail{}, fmt.Errorf("scorecard %s: %w", r, ErrNotFound)
	}
	return b.Detail(c, keep), nil
}

// EntityScorecards is an entity's result on every scorecard applying to it.
func (s *scorecards) EntityScorecards(ctx context.Context, ref string) ([]scorecard.EntityScore, error) {
	r, err := parseRef(ref, "")
	if err != nil {
		return nil, err
	}
	b, exists, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	if !exists(r) {
		return nil, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	scores := b.Entity(r)
	if err := s.locate(ctx, r, scores); err != nil {
		return nil, err
	}
	return scores, nil
}

// locate says where each failed check is fixed, from the entity's file and
// its repository at the synced commit. An entity without a clone (a
// plugin's, one read by URL) gets no places.
func (s *scorecards) locate(ctx context.Context, ref string, scores []scorecard.EntityScore) error {
	e, ok, err := s.store.Entity(ctx, ref)
	if err != nil {
		return fmt.Errorf("scorecards of %s: %w", ref, err)
	}
	if !ok || s.files == nil || strings.Contains(e.Source.File, "://") || e.Commit != "" {
		return nil
	}
	files, _, err := s.files.Files(ctx, e.LocationID)
	if err != nil {
		s.log.Debug("scorecard checks not located", "ref", ref, "err", err)
		return nil
	}
	want, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	data, err := files.ReadFile(e.Source.File)
	if err != nil {
		data = nil
	}
	scorecard.Locate(scores, want, e.Source.File, data, files)
	return nil
}

// EntityScorecardHistory is an entity's level on each scorecard applying
// to it today, at each commit of its location's clone that changed its
// catalog file or a file its checks read. An entity without a clone (a
// plugin's, one read by URL) has no history: each scorecard comes with
// no points.
func (s *scorecards) EntityScorecardHistory(ctx context.Context, ref string) ([]scorecard.ScoreHistory, error) {
	r, err := parseRef(ref, "")
	if err != nil {
		return nil, err
	}
	e, ok, err := s.store.Entity(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("scorecard history of %s: %w", r, err)
	}
	if !ok {
		return nil, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	b, _, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	var cards []*scorecard.Card
	for _, sc := range b.Entity(r) {
		if c, ok := b.Card(sc.Scorecard); ok {
			cards = append(cards, c)
		}
	}
	none := make([]scorecard.ScoreHistory, 0, len(cards))
	for _, c := range cards {
		none = append(none, scorecard.ScoreHistory{Scorecard: c.Ref, Title: c.Title, Levels: c.Spec.Levels, LeftOut: []string{}, Points: []scorecard.ScorePoint{}})
	}
	loc, ok, err := s.location(ctx, e.LocationID)
	if err != nil {
		return nil, err
	}
	if !ok || s.clones == nil || loc.HeadCommit == "" || len(cards) == 0 || strings.Contains(e.Source.File, "://") || e.Commit != "" {
		return none, nil
	}
	head, err := gitfetch.Open(s.clones.Clone(loc.ID), loc.Branch)
	if err != nil {
		s.log.Debug("scorecard history without a clone", "location", loc.ID, "err", err)
		return none, nil
	}
	want, err := catalog.ParseRef(r, "", catalog.DefaultNamespace)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return scorecard.EntityHistory(ctx, scorecard.HistoryRequest{Repo: head.Repository(), Head: plumbing.NewHash(loc.HeadCommit),
		File: e.Source.File, Ref: want, Cards: cards}, s.points)
}

func (s *scorecards) location(ctx context.Context, id string) (store.Location, bool, error) {
	locs, err := s.store.Locations(ctx)
	if err != nil {
		return store.Location{}, false, fmt.Errorf("scorecards: %w", err)
	}
	for _, l := range locs {
		if l.ID == id {
			return l, true, nil
		}
	}
	return store.Location{}, false, nil
}

// GroupScorecards rolls up a group's entities on every scorecard.
func (s *scorecards) GroupScorecards(ctx context.Context, ref string) (scorecard.GroupRollup, error) {
	r, err := parseRef(ref, "Group")
	if err != nil {
		return scorecard.GroupRollup{}, err
	}
	b, exists, err := s.current(ctx)
	if err != nil {
		return scorecard.GroupRollup{}, err
	}
	if !exists(r) {
		return scorecard.GroupRollup{}, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	return b.Group(r), nil
}

// parseRef reads [kind:][namespace/]name as GetEntity does, with a default
// kind ("" for none); a ref that does not parse is ErrInvalid.
func parseRef(ref, defaultKind string) (string, error) {
	r, err := catalog.ParseRef(ref, defaultKind, catalog.DefaultNamespace)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return r.String(), nil
}
