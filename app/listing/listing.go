package listing

import (
	"bytes"
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/store"
)

// hot is what a query reads of every row, kept apart from the rows so a
// pass over them touches little memory: the row's value of each facet but
// tags, as an index into the listing's values of that facet (-1: none),
// and its tags likewise.
type hot struct {
	vals   [len(facets) - 1]int32
	tags   []int32
	errors bool
}

// Facet names: the fields a query can filter on and count.
const (
	FacetKind      = "kind"
	FacetType      = "type"
	FacetOwner     = "owner"
	FacetLifecycle = "lifecycle"
	FacetTag       = "tag"
	FacetNamespace = "namespace"
	FacetSystem    = "system"
)

// facets in a fixed order: a facet's index is its bit in a row's miss mask,
// and tags, the one facet with many values per row, come last.
var facets = [...]string{FacetKind, FacetType, FacetOwner, FacetLifecycle, FacetNamespace, FacetSystem, FacetTag}

const (
	ownerFacet = 2
	tagFacet   = len(facets) - 1
)

// value is r's value of facet i but tags, normalised as the facet
// compares it.
func value(r *row, i int) string {
	switch facets[i] {
	case FacetKind:
		return strings.ToLower(r.str(r.kind))
	case FacetType:
		return r.str(r.typ)
	case FacetOwner:
		return r.str(r.owner)
	case FacetLifecycle:
		return r.str(r.lifecycle)
	case FacetNamespace:
		return strings.ToLower(r.str(r.namespace))
	case FacetSystem:
		return r.str(r.system)
	}
	return ""
}

// Sort keys.
var sortKeys = map[string]func(*row) string{
	"name":      func(r *row) string { return strings.ToLower(cmp.Or(r.title, r.name)) },
	"kind":      func(r *row) string { return strings.ToLower(r.str(r.kind)) },
	"type":      func(r *row) string { return r.str(r.typ) },
	"owner":     func(r *row) string { return r.str(r.owner) },
	"lifecycle": func(r *row) string { return r.str(r.lifecycle) },
	"system":    func(r *row) string { return r.str(r.system) },
	"namespace": func(r *row) string { return r.str(r.namespace) },
}

// Query selects rows. Within a facet the values are alternatives (any
// matches); facets, Text, Refs and Errors must all match.
type Query struct {
	// Facets maps a facet name to the values wanted, e.g. "kind": {"component"}.
	// Kinds and namespaces match case-insensitively, as refs do.
	Facets map[string][]string
	// Text matches name, title and description, case-insensitively.
	Text string
	// Refs, when not nil, keeps only these entities (starred, or owned by
	// the user's groups).
	Refs map[string]bool
	// OwnedBy, when not nil, keeps only entities owned by one of these
	// refs (the user and their groups), whatever the owner facet says.
	OwnedBy map[string]bool
	// Errors keeps only entities whose newest version was refused.
	Errors bool
	// Sort is a sort key ("name", "kind", "type", "owner", "lifecycle",
	// "system", "namespace"); "" sorts by kind, then name. Desc reverses.
	Sort   string
	Desc   bool
	Offset int
	// Limit caps the rows returned; 0 returns none (facets and total only).
	Limit int
}

// Count is how many matching rows have a facet value.
type Count struct {
	Value string
	Count int
}

// Page is the answer to a query: the rows in [Offset, Offset+Limit), how
// many rows match, and per facet the count of each value among the rows
// matching every other part of the query.
type Page struct {
	Rows   []store.Row
	Total  int
	Facets map[string][]Count
}

// Listing is an in-memory table of every entity, replaced a location at a
// time, answering the catalog's queries without touching the store. It is
// safe for concurrent use.
type Listing struct {
	mu    sync.RWMutex
	byLoc map[string]*table
	// rows points at every location's rows, in their tables.
	rows   []*row
	hot    []hot
	orders map[string][]int32 // sort key → row indices in ascending order
	values [len(facets)][]string
	ids    [len(facets)]map[string]int32
	// text is every row's lower-cased name, title and description, one
	// after another, each ending in a zero byte; row i's starts at starts[i].
	// One search through it finds every row containing a text.
	text   []byte
	starts []int32
}

// New returns an empty listing.
func New() *Listing {
	return &Listing{byLoc: map[string]*table{}, orders: map[string][]int32{}}
}

// Replace makes rows the entities of location id, and returns the rows it
// had before (nil for none). The listing keeps its own compact copy of
// rows (row.go), so the caller's may be dropped, with the duplicates of
// the shared values decoding made: about 22 MB at 100,000 entities.
func (l *Listing) Replace(id string, rows []store.Row) (old []store.Row) {
	t := newTable(id, rows)
	l.mu.Lock()
	prev := l.byLoc[id]
	l.byLoc[id] = t
	l.rebuild()
	l.mu.Unlock()
	if prev == nil {
		return nil
	}
	return prev.all()
}

// Remove drops the entities of location id.
func (l *Listing) Remove(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.byLoc, id)
	l.rebuild()
}

// Len is how many entities the listing holds.
func (l *Listing) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.rows)
}

// User returns the User entity whose email is email, case-insensitively.
func (l *Listing) User(email string) (store.Row, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, r := range l.rows {
		if r.email != "" && strings.EqualFold(r.email, email) && strings.EqualFold(r.str(r.kind), "user") {
			return r.Row(), true
		}
	}
	return store.Row{}, false
}

// WithDocs returns the rows of entities with TechDocs, by title.
func (l *Listing) WithDocs() []store.Row {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []store.Row
	for _, i := range l.orders["name"] {
		if l.rows[i].docs != 0 {
			out = append(out, l.rows[i].Row())
		}
	}
	return out
}

// Get returns the row of ref.
func (l *Listing) Get(ref string) (store.Row, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	order := l.orders[""]
	i, ok := slices.BinarySearchFunc(order, ref, func(j int32, ref string) int { return strings.Compare(l.rows[j].ref, ref) })
	if !ok {
		return store.Row{}, false
	}
	return l.rows[order[i]].Row(), true
}

// rebuild gathers every location's rows and sorts them once per key, so a
// query walks an order instead of sorting.
func (l *Listing) rebuild() {
	n := 0
	for _, t := range l.byLoc {
		n += len(t.rows)
	}
	all := make([]*row, 0, n)
	for _, t := range l.byLoc {
		for i := range t.rows {
			all = append(all, &t.rows[i])
		}
	}
	l.rows = all
	for i := range facets {
		l.values[i], l.ids[i] = nil, map[string]int32{}
	}
	intern := func(i int, v string) int32 {
		id, ok := l.ids[i][v]
		if !ok {
			id = int32(len(l.values[i]))
			l.ids[i][v] = id
			l.values[i] = append(l.values[i], v)
		}
		return id
	}
	l.hot = make([]hot, len(all))
	l.text, l.starts = l.text[:0], make([]int32, len(all))
	for k := range all {
		r, h := all[k], &l.hot[k]
		for i := range tagFacet {
			h.vals[i] = -1
			if v := value(r, i); v != "" {
				h.vals[i] = intern(i, v)
			}
		}
		h.tags = make([]int32, r.tagsTo-r.tagsFrom)
		for j, t := range r.tagList() {
			h.tags[j] = intern(tagFacet, r.str(t))
		}
		h.errors = r.errors
		l.starts[k] = int32(len(l.text))
		for _, f := range []string{r.name, r.title, r.description} {
			l.text = append(l.text, strings.ToLower(f)...)
			l.text = append(l.text, '\n')
		}
		l.text[len(l.text)-1] = 0
	}
	byRef := identity(len(all))
	slices.SortFunc(byRef, func(a, b int32) int { return strings.Compare(all[a].ref, all[b].ref) })
	orders := map[string][]int32{"": byRef}
	// One sort per key, on every CPU: at 100,000 rows this is most of a rebuild.
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for key, field := range sortKeys {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			keys := make([]string, len(all))
			for i := range all {
				keys[i] = field(all[i])
			}
			// Stable on the ref order, so ties list by ref.
			order := slices.Clone(byRef)
			slices.SortStableFunc(order, func(a, b int32) int { return strings.Compare(keys[a], keys[b]) })
			mu.Lock()
			orders[key] = order
			mu.Unlock()
		})
	}
	wg.Wait()
	kindName := slices.Clone(orders["name"])
	slices.SortStableFunc(kindName, func(a, b int32) int {
		return strings.Compare(strings.ToLower(all[a].str(all[a].kind)), strings.ToLower(all[b].str(all[b].kind)))
	})
	orders["kind,name"] = kindName
	l.orders = orders
}

func identity(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

// Query answers q in one pass over the rows in the order asked: each row's
// misses are a bit per facet, so a row missing exactly one facet still
// counts towards that facet's values. Facet values are interned, so the
// pass compares and counts small integers.
func (l *Listing) Query(q Query) Page {
	l.mu.RLock()
	defer l.mu.RUnlock()
	matched, total, counts := l.match(q)
	page := Page{Rows: []store.Row{}, Total: total}
	key := q.Sort
	if _, ok := sortKeys[key]; !ok {
		key = "kind,name"
	}
	order, seen := l.orders[key], 0
	for k := 0; k < len(order) && len(page.Rows) < q.Limit; k++ {
		idx := order[k]
		if q.Desc {
			idx = order[len(order)-1-k]
		}
		if !matched[idx] {
			continue
		}
		if seen >= q.Offset {
			page.Rows = append(page.Rows, l.rows[idx].Row())
		}
		seen++
	}
	page.Facets = make(map[string][]Count, len(facets))
	for i, f := range facets {
		var cs []Count
		for id, n := range counts[i] {
			if n > 0 {
				cs = append(cs, Count{Value: l.values[i][id], Count: n})
			}
		}
		slices.SortFunc(cs, func(a, b Count) int { return cmp.Or(b.Count-a.Count, strings.Compare(a.Value, b.Value)) })
		page.Facets[f] = cs
	}
	return page
}

// Refs are the refs of every row q matches, in no order; its sort,
// offset and limit do not apply.
func (l *Listing) Refs(q Query) []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	matched, total, _ := l.match(q)
	out := make([]string, 0, total)
	for k, ok := range matched {
		if ok {
			out = append(out, l.rows[k].ref)
		}
	}
	return out
}

// match marks the rows q matches and counts, per facet, the values of the
// rows that match every other part of q.
func (l *Listing) match(q Query) ([]bool, int, [len(facets)][]int) {
	var want [len(facets)][]bool
	for i, f := range facets {
		vals := q.Facets[f]
		if len(vals) == 0 {
			continue
		}
		want[i] = make([]bool, len(l.values[i]))
		for _, v := range vals {
			if f == FacetKind || f == FacetNamespace {
				v = strings.ToLower(v)
			}
			if id, ok := l.ids[i][v]; ok {
				want[i][id] = true
			}
		}
	}
	var counts [len(facets)][]int
	for i := range facets {
		counts[i] = make([]int, len(l.values[i]))
	}
	keep := l.keep(q)
	var ownedBy []bool
	if q.OwnedBy != nil {
		ownedBy = make([]bool, len(l.values[ownerFacet]))
		for ref := range q.OwnedBy {
			if id, ok := l.ids[ownerFacet][ref]; ok {
				ownedBy[id] = true
			}
		}
	}
	matched := make([]bool, len(l.rows))
	total := 0
	for k := range l.hot {
		if keep != nil && !keep[k] {
			continue
		}
		h := &l.hot[k]
		if q.Errors && !h.errors || ownedBy != nil && (h.vals[ownerFacet] < 0 || !ownedBy[h.vals[ownerFacet]]) {
			continue
		}
		var miss uint
		for i := range tagFacet {
			if w := want[i]; w != nil && (h.vals[i] < 0 || !w[h.vals[i]]) {
				miss |= 1 << i
			}
		}
		if w := want[tagFacet]; w != nil && !slices.ContainsFunc(h.tags, func(t int32) bool { return w[t] }) {
			miss |= 1 << tagFacet
		}
		if miss == 0 {
			matched[k] = true
			total++
		}
		for i := range tagFacet {
			if miss&^(1<<i) == 0 && h.vals[i] >= 0 {
				counts[i][h.vals[i]]++
			}
		}
		if miss&^(1<<tagFacet) == 0 {
			for _, t := range h.tags {
				counts[tagFacet][t]++
			}
		}
	}
	return matched, total, counts
}

// keep is which rows the text and ref parts of q allow, or nil for all.
func (l *Listing) keep(q Query) []bool {
	text := []byte(strings.ToLower(strings.TrimSpace(q.Text)))
	if len(text) == 0 && q.Refs == nil {
		return nil
	}
	keep := make([]bool, len(l.rows))
	if q.Refs != nil {
		byRef := l.orders[""]
		for ref := range q.Refs {
			if i, ok := slices.BinarySearchFunc(byRef, ref, func(j int32, ref string) int { return strings.Compare(l.rows[j].ref, ref) }); ok {
				keep[byRef[i]] = true
			}
		}
	}
	if len(text) == 0 {
		return keep
	}
	hit := keep
	if q.Refs != nil {
		hit = make([]bool, len(l.rows))
	}
	// The text is searched in one piece per CPU, cut at row boundaries.
	parts := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for p := range parts {
		first, last := len(l.starts)*p/parts, len(l.starts)*(p+1)/parts
		if first == last {
			continue
		}
		wg.Go(func() { l.search(text, first, last, hit) })
	}
	wg.Wait()
	if q.Refs != nil {
		for i := range keep {
			keep[i] = keep[i] && hit[i]
		}
	}
	return keep
}

// search marks in hit the rows in [first, last) whose text holds text.
func (l *Listing) search(text []byte, first, last int, hit []bool) {
	end := len(l.text)
	if last < len(l.starts) {
		end = int(l.starts[last])
	}
	for from := int(l.starts[first]); from < end; {
		at := bytes.Index(l.text[from:end], text)
		if at < 0 {
			return
		}
		at += from
		// The row holding the match: the last whose text starts at or before it.
		row, found := slices.BinarySearch(l.starts, int32(at))
		if !found {
			row--
		}
		hit[row] = true
		from = end
		if row+1 < len(l.starts) {
			from = int(l.starts[row+1])
		}
	}
}
