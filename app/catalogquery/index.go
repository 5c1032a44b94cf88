package catalogquery

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/store"
)

// Source is the store the index reads: every location, a location's
// entity records, and every relation; Version grows with every write, so
// the index rereads nothing while it stays. Errors are the store's.
type Source interface {
	Version() uint64
	Locations(ctx context.Context) ([]store.Location, error)
	LocationRecords(ctx context.Context, id string, fn func(ref string, record []byte) error) (store.Location, bool, error)
	AllRelations(ctx context.Context, fn func(source string, rels []store.Relation) error) error
}

// Index holds every entity's search rows in memory, one segment per
// location, each rebuilt when its location's Version changes; the
// relations.<type> rows are read again whenever any location changed,
// since a location's entities state relations of other locations'
// entities too.
type Index struct {
	src Source
	uid func(ref string) string
	log *slog.Logger

	mu   sync.Mutex // serialises Refresh
	view *View
	// seen is the source's Version view is of; fresh says view was
	// made at all.
	seen  uint64
	fresh bool
}

// New returns an index over src, empty until Refresh; uid gives each
// entity's metadata.uid (nil for store.UID).
func New(src Source, uid func(ref string) string, log *slog.Logger) *Index {
	if uid == nil {
		uid = store.UID
	}
	return &Index{src: src, uid: uid, log: log.With("component", "catalogquery"), view: &View{}}
}

// View is one consistent state of the index; queries run on a view.
type View struct {
	segs  []*segment
	byRef map[string]pos
	byUID map[string]pos
	// owned are, per segment, the entities whose ref no earlier segment
	// holds: each ref is answered once.
	owned []bitset
	// rels are the relations.<type> rows: key → lower-cased target → the
	// entities with that relation.
	rels map[string]*relPosting
	// out are, per segment and id, the entity's outgoing relations of
	// every location, each once, sorted by type and target: answers take
	// them from here instead of reading the store per entity. Nil until
	// read: a view of RefreshFields may hold none.
	out [][][]store.Relation
}

type relPosting struct {
	all    []pos
	values map[string][]pos
	orig   map[string]string // lower-cased target → as written
}

// pos places an entity: its segment and its id there.
type pos struct {
	seg int
	id  uint32
}

// segment holds one location's entities, ids in the order the store
// keeps them (by store.UID).
type segment struct {
	loc     string
	version uint64
	refs    []string
	uids    []string
	keys    map[string]*posting

	orderMu sync.Mutex
	orders  map[string][]orderEntry // key → entries sorted by (value, uid)
	byUID   []uint32                // ids sorted by uid
	byRef   []uint32                // ids sorted by ref
}

// posting is one key's rows in a segment.
type posting struct {
	all    []uint32            // every entity with the key, null or not
	values map[string][]uint32 // lower-cased value → entities
	orig   map[string]string   // lower-cased value → the first original seen
}

type orderEntry struct {
	value string
	id    uint32
}

// View returns the index's current state.
func (x *Index) View() *View {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.view
}

// Refresh brings the index in step with the store: segments of locations
// whose Version changed are rebuilt, removed locations dropped, and, if
// anything changed, the relations read again. It returns the new view.
func (x *Index) Refresh(ctx context.Context) (*View, error) {
	return x.refresh(ctx, true)
}

// RefreshFields is Refresh for a query that neither filters by nor shows
// a relation: its view holds no relations unless an earlier Refresh read
// them, which spares a cold process reading every relation (a fifth of
// the build at 100,000 entities). A later Refresh reads them.
func (x *Index) RefreshFields(ctx context.Context) (*View, error) {
	return x.refresh(ctx, false)
}

func (x *Index) refresh(ctx context.Context, withRelations bool) (*View, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	// Read before the locations: a write in between is seen next time.
	version := x.src.Version()
	if x.fresh && version == x.seen {
		if !withRelations || x.view.out != nil {
			return x.view, nil
		}
		// Views are shared by queries under way: a new one gets them.
		v := *x.view
		if err := v.readRelations(ctx, x.src); err != nil {
			return nil, err
		}
		x.view = &v
		return x.view, nil
	}
	locs, err := x.src.Locations(ctx)
	if err != nil {
		return nil, fmt.Errorf("refresh the catalog index: %w", err)
	}
	slices.SortFunc(locs, func(a, b store.Location) int { return strings.Compare(a.ID, b.ID) })
	old := map[string]*segment{}
	for _, s := range x.view.segs {
		old[s.loc] = s
	}
	changed := len(locs) != len(x.view.segs)
	segs := make([]*segment, 0, len(locs))
	start := time.Now()
	for _, l := range locs {
		if s := old[l.ID]; s != nil && s.version == l.Version {
			segs = append(segs, s)
			continue
		}
		changed = true
		s, err := x.build(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		segs = append(segs, s)
	}
	if !changed {
		x.seen, x.fresh = version, true
		return x.view, nil
	}
	v := &View{segs: segs, byRef: map[string]pos{}, byUID: map[string]pos{}}
	for si, s := range segs {
		owned := newBitset(len(s.refs))
		v.owned = append(v.owned, owned)
		for id, ref := range s.refs {
			if _, dup := v.byRef[ref]; dup {
				continue
			}
			owned.set(uint32(id))
			v.byRef[ref] = pos{si, uint32(id)}
			v.byUID[s.uids[id]] = pos{si, uint32(id)}
		}
	}
	if withRelations {
		if err := v.readRelations(ctx, x.src); err != nil {
			return nil, err
		}
	}
	x.view = v
	x.seen, x.fresh = version, true
	x.log.Debug("catalog index refreshed", "entities", len(v.byRef), "took", time.Since(start))
	return v, nil
}

// record is the part of a stored entity the index reads.
type record struct {
	Entity map[string]any `json:"entity"`
}

func (x *Index) build(ctx context.Context, id string) (*segment, error) {
	s := &segment{loc: id, keys: map[string]*posting{}, orders: map[string][]orderEntry{}}
	intern := map[string]string{}
	in := func(v string) string {
		if w, ok := intern[v]; ok {
			return w
		}
		intern[v] = v
		return v
	}
	loc, _, err := x.src.LocationRecords(ctx, id, func(ref string, b []byte) error {
		var r record
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("decode %s: %w", ref, err)
		}
		n := uint32(len(s.refs))
		uid := x.uid(ref)
		s.refs = append(s.refs, ref)
		s.uids = append(s.uids, uid)
		for _, f := range Fields(r.Entity, uid) {
			p := s.keys[f.Key]
			if p == nil {
				p = &posting{values: map[string][]uint32{}, orig: map[string]string{}}
				s.keys[in(f.Key)] = p
			}
			if len(p.all) == 0 || p.all[len(p.all)-1] != n {
				p.all = append(p.all, n)
			}
			if f.Null {
				continue
			}
			v := in(f.Value)
			p.values[v] = append(p.values[v], n)
			if _, ok := p.orig[v]; !ok {
				p.orig[v] = in(f.Original)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index location %s: %w", id, err)
	}
	s.version = loc.Version
	// The store lists by store.UID, so byUID is usually sorted already
	// (cheap to sort again) unless the index was given another uid.
	s.byUID = sortedIDs(s.uids)
	s.byRef = sortedIDs(s.refs)
	return s, nil
}

// sortedIDs is the ids 0..len(keys)-1 in the order of their keys.
func sortedIDs(keys []string) []uint32 {
	ids := make([]uint32, len(keys))
	for i := range ids {
		ids[i] = uint32(i)
	}
	slices.SortFunc(ids, func(a, b uint32) int { return strings.Compare(keys[a], keys[b]) })
	return ids
}

func (v *View) readRelations(ctx context.Context, src Source) error {
	v.rels = map[string]*relPosting{}
	v.out = make([][][]store.Relation, len(v.segs))
	for si, s := range v.segs {
		v.out[si] = make([][]store.Relation, len(s.refs))
	}
	seen := map[[3]string]bool{}
	intern := map[string]string{}
	in := func(s string) string {
		if w, ok := intern[s]; ok {
			return w
		}
		intern[s] = s
		return s
	}
	err := src.AllRelations(ctx, func(source string, rels []store.Relation) error {
		p, ok := v.byRef[source]
		if !ok {
			return nil
		}
		for _, r := range rels {
			k := [3]string{source, r.Type, r.Target}
			if seen[k] {
				continue
			}
			seen[k] = true
			r = store.Relation{Type: in(r.Type), Target: in(r.Target)}
			v.out[p.seg][p.id] = append(v.out[p.seg][p.id], r)
			key := "relations." + strings.ToLower(r.Type)
			rp := v.rels[key]
			if rp == nil {
				rp = &relPosting{values: map[string][]pos{}, orig: map[string]string{}}
				v.rels[key] = rp
			}
			if n := len(rp.all); n == 0 || rp.all[n-1] != p {
				rp.all = append(rp.all, p)
			}
			t := in(strings.ToLower(r.Target))
			rp.values[t] = append(rp.values[t], p)
			if _, ok := rp.orig[t]; !ok {
				rp.orig[t] = r.Target
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("index relations: %w", err)
	}
	for _, seg := range v.out {
		for _, rels := range seg {
			slices.SortFunc(rels, store.CompareRelations)
		}
	}
	return nil
}

// order returns key's entries of the segment sorted by (value, uid),
// or, for key "", every entity by uid; computed once per key and segment.
func (s *segment) order(key string) []orderEntry {
	s.orderMu.Lock()
	defer s.orderMu.Unlock()
	if o, ok := s.orders[key]; ok {
		return o
	}
	var o []orderEntry
	if key == "" { // by uid alone
		o = make([]orderEntry, len(s.byUID))
		for i, id := range s.byUID {
			o[i] = orderEntry{id: id}
		}
		s.orders[key] = o
		return o
	}
	if p := s.keys[key]; p != nil {
		for v, ids := range p.values {
			for _, id := range ids {
				o = append(o, orderEntry{v, id})
			}
		}
	}
	slices.SortFunc(o, func(a, b orderEntry) int {
		if c := strings.Compare(a.value, b.value); c != 0 {
			return c
		}
		return strings.Compare(s.uids[a.id], s.uids[b.id])
	})
	s.orders[key] = o
	return o
}
