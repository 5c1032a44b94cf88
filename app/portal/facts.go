package portal

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/scorecard"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// Facts: what plugins report about entities for scorecards' fact checks,
// kept in the store per entity and plugin with when it was read. Plugins
// are asked in the background, never while a scorecard is evaluated: when
// an entity's page is visited, and after a sync moved a location's head,
// for its entities that a scorecard reads facts of. Evaluation reads the
// last facts kept, so it works offline and says how old they are.

// Bounds on asking plugins for facts.
const (
	// factAskers is how many entities are asked about at once.
	factAskers = 4
	// factRevisit is how soon a visit asks about the same entity again.
	factRevisit = time.Minute
)

// FactsChange is the payload of facts:changed: the entities whose facts
// plugins reported again.
type FactsChange struct {
	Refs []string `json:"refs"`
}

// factHost is what the area asks of the plugins; *host.Host is the one
// in use. Facts never fails: a plugin's failure is in its report.
type factHost interface {
	Facts(ctx context.Context, e host.Entity) []host.FactsReport
	FactSpecs(ctx context.Context) (map[string][]*pluginv1.FactSpec, bool)
}

// factStore reads entities and keeps their facts; *store.DB is the one in
// use.
type factStore interface {
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	LocationEntities(ctx context.Context, id string, fn func(store.Entity) bool) error
	locationReader
	PutFacts(ctx context.Context, ref, plugin string, readAt time.Time, facts []store.StoredFact) error
	FactsOf(ctx context.Context, refs []string) (map[string][]store.PluginFacts, error)
	AllFacts(ctx context.Context) (map[string][]store.PluginFacts, error)
	// SweepOrphans forgets the facts and scorecard results of entities
	// no location provides, and the facts of plugins keepPlugin refuses.
	SweepOrphans(ctx context.Context, keepPlugin func(name string) bool) (store.Swept, error)
}

// factNeeds says whether a scorecard reads facts of an entity; the
// scorecards area answers it.
type factNeeds interface {
	needsFacts(ctx context.Context) (func(ref string) bool, error)
}

// facts is the Facts area.
type facts struct {
	host   factHost // nil: no plugins, no facts
	db     factStore
	clones interface {
		Clone(locationID string) string
	}
	needs   factNeeds
	workers Spawner
	events  publisher
	log     *slog.Logger
	now     func() time.Time

	// version moves on each write, so evaluation reads the facts again;
	// it moves under mu, with changed and wholeAt.
	version atomic.Uint64
	// pending counts the askings and sweeps under way, for tests to
	// wait on.
	pending sync.WaitGroup
	sweeps  orphanSweep

	mu    sync.Mutex
	asked map[string]time.Time // ref → when a visit last asked
	heads map[string]string    // location → the head whose entities were asked
	// changed is the version at which each entity's facts were last
	// kept, and wholeAt the last version at which facts went without a
	// list of whose (a sweep): readers catch up on only what changed.
	changed map[string]uint64
	wholeAt uint64
	snap    map[string]map[string]scorecard.Fact
	snapV   uint64
}

func newFacts(h factHost, db factStore, log *slog.Logger) *facts {
	return &facts{host: h, db: db, log: log.With("area", "facts"), now: time.Now,
		asked: map[string]time.Time{}, heads: map[string]string{}, changed: map[string]uint64{}}
}

// kept moves the version for new facts about ref; "" for facts gone of
// entities not listed.
func (f *facts) kept(ref string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.version.Add(1)
	if ref == "" {
		// Whoever read before v reads everything again: no list needed.
		f.wholeAt = v
		clear(f.changed)
		return
	}
	f.changed[ref] = v
}

// ChangedSince lists the entities whose facts were kept after version
// since, with the version they are of; false when facts went without a
// list of whose since then, and everything is to be read again.
func (f *facts) ChangedSince(since uint64) ([]string, uint64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.version.Load()
	if f.wholeAt > since {
		return nil, now, false
	}
	var refs []string
	for ref, v := range f.changed {
		if v > since {
			refs = append(refs, ref)
		}
	}
	slices.Sort(refs)
	return refs, now, true
}

// visited asks the plugins about an entity whose page is open, in the
// background, unless a visit did within factRevisit.
func (f *facts) visited(ref string) {
	if f.host == nil {
		return
	}
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return
	}
	now := f.now()
	f.mu.Lock()
	if last, ok := f.asked[r.String()]; ok && now.Sub(last) < factRevisit {
		f.mu.Unlock()
		return
	}
	f.asked[r.String()] = now
	f.mu.Unlock()
	f.askLater("facts of an entity", func(context.Context) []string { return []string{r.String()} })
}

// afterSync asks the plugins, in the background, about the entities of a
// location whose head moved since they were last asked, that a scorecard
// reads facts of.
func (f *facts) afterSync(locationID string) {
	if f.host == nil {
		return
	}
	f.askLater("facts after a sync", func(ctx context.Context) []string {
		loc, ok, err := f.db.Location(ctx, locationID)
		if err != nil || !ok {
			return nil
		}
		f.mu.Lock()
		moved := f.heads[locationID] != loc.HeadCommit
		f.heads[locationID] = loc.HeadCommit
		f.mu.Unlock()
		if !moved {
			return nil
		}
		needed, err := f.needs.needsFacts(ctx)
		if err != nil {
			// Cancelled is the process stopping (a CLI command's end): no fault.
			if ctx.Err() == nil {
				f.log.Warn("find the entities scorecards read facts of", "location", locationID, "err", err)
			}
			return nil
		}
		var refs []string
		err = f.db.LocationEntities(ctx, locationID, func(e store.Entity) bool {
			if ref := e.Entity.Ref().String(); needed(ref) {
				refs = append(refs, ref)
			}
			return true
		})
		if err != nil {
			if ctx.Err() == nil {
				f.log.Warn("list a location's entities for their facts", "location", locationID, "err", err)
			}
			return nil
		}
		return refs
	})
}

// askLater asks about the refs found by find in the background,
// factAskers at a time, and publishes facts:changed with those that got
// new facts.
func (f *facts) askLater(name string, find func(ctx context.Context) []string) {
	if f.workers == nil {
		return
	}
	f.pending.Add(1)
	err := f.workers.Go(name, func(ctx context.Context) {
		defer f.pending.Done()
		var (
			mu      sync.Mutex
			changed []string
			wg      sync.WaitGroup
		)
		sem := make(chan struct{}, factAskers)
		for _, ref := range find(ctx) {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				break
			}
			wg.Go(func() {
				defer func() { <-sem }()
				if f.ask(ctx, ref) {
					mu.Lock()
					changed = append(changed, ref)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(changed) > 0 {
			slices.Sort(changed)
			f.events.emit(ctx, events.FactsChanged, FactsChange{Refs: changed})
		}
	})
	if err != nil {
		f.pending.Done()
	}
}

// ask asks every plugin reporting facts about ref and keeps what each
// reported; a plugin that fails keeps its last report. It says whether
// any reported.
func (f *facts) ask(ctx context.Context, ref string) bool {
	e, ok, err := f.db.Entity(ctx, ref)
	if err != nil || !ok {
		return false
	}
	doc, err := json.Marshal(e.Entity)
	if err != nil {
		return false
	}
	req := host.Entity{JSON: doc, Kind: e.Entity.Kind, Type: summarize(&e.Entity).Type, Annotations: e.Entity.Metadata.Annotations,
		File: e.Source.File, Commit: e.Commit}
	if loc, ok, err := f.db.Location(ctx, e.LocationID); err == nil && ok && loc.HeadCommit != "" && !isPluginLocation(loc.URL) && f.clones != nil {
		req.Clone = f.clones.Clone(e.LocationID)
		req.Commit = cmp.Or(req.Commit, loc.HeadCommit)
	}
	reported := false
	for _, r := range f.host.Facts(ctx, req) {
		if r.Err != nil {
			if ctx.Err() == nil {
				f.log.Info("a plugin reported no facts", "plugin", r.Plugin, "entity", ref, "err", r.Err)
			}
			continue
		}
		kept := make([]store.StoredFact, len(r.Facts))
		for i, x := range r.Facts {
			kept[i] = store.StoredFact{Name: x.Name, Type: string(x.Type), Value: x.Value, AsOf: x.AsOf, Description: x.Description}
		}
		if err := f.db.PutFacts(ctx, ref, r.Plugin, f.now(), kept); err != nil {
			if ctx.Err() == nil {
				f.log.Warn("keep a plugin's facts", "plugin", r.Plugin, "entity", ref, "err", err)
			}
			continue
		}
		reported = true
	}
	if reported {
		f.kept(ref)
	}
	return reported
}

// wait waits for the askings under way.
func (f *facts) wait() { f.pending.Wait() }

// Facts are the facts kept about ref, by plugin.fact, each dated by when
// it held: its as-of time, or when it was read. The scorecards area reads
// them for every entity, so all are read in one pass, then again only
// those of entities whose facts changed.
func (f *facts) Facts(ctx context.Context, ref string) (map[string]scorecard.Fact, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.version.Load()
	switch {
	case f.snap == nil || f.wholeAt > f.snapV:
		all, err := f.db.AllFacts(ctx)
		if err != nil {
			return nil, err
		}
		f.snap = make(map[string]map[string]scorecard.Fact, len(all))
		for r, reports := range all {
			f.snap[r] = factsByName(reports)
		}
	case f.snapV != v:
		var refs []string
		for r, at := range f.changed {
			if at > f.snapV {
				refs = append(refs, r)
			}
		}
		all, err := f.db.FactsOf(ctx, refs)
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			f.snap[r] = factsByName(all[r])
		}
	}
	f.snapV = v
	return f.snap[ref], nil
}

// factsByName are an entity's reports by plugin.fact, each fact dated.
func factsByName(reports []store.PluginFacts) map[string]scorecard.Fact {
	m := map[string]scorecard.Fact{}
	for _, p := range reports {
		for _, x := range p.Facts {
			at := p.ReadAt
			if !x.AsOf.IsZero() {
				at = x.AsOf
			}
			m[p.Plugin+"."+x.Name] = scorecard.Fact{Value: x.Value, At: at}
		}
	}
	return m
}

// Provided are the facts (plugin.fact) the enabled plugins announce; nil
// when that is not known yet (a plugin not started yet).
func (f *facts) Provided(ctx context.Context) []string {
	if f.host == nil {
		return []string{}
	}
	specs, complete := f.host.FactSpecs(ctx)
	if !complete {
		return nil
	}
	names := []string{}
	for plugin, list := range specs {
		for _, s := range list {
			names = append(names, plugin+"."+s.GetName())
		}
	}
	slices.Sort(names)
	return names
}

// Version moves whenever facts were kept.
func (f *facts) Version() uint64 { return f.version.Load() }

// needsFacts says which entities a scorecard reads facts of, from the
// results as they stand.
func (s *scorecards) needsFacts(ctx context.Context) (func(ref string) bool, error) {
	b, _, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	return func(ref string) bool {
		for _, sc := range b.Entity(ref) {
			for _, c := range sc.Checks {
				if len(c.Facts) > 0 {
					return true
				}
			}
		}
		return false
	}, nil
}
