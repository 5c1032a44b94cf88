package catalogquery

import "strings"

// Hit is one entity of a page, with the value it was ordered by.
type Hit struct {
	Ref, UID, LocationID string
	// Value is the order key's lower-cased value; HasValue is false for
	// an entity listed after those with one.
	Value    string
	HasValue bool
}

// Order sorts by the lower-cased value of Key, then uid; Desc reverses
// the values. Entities with several values are listed once per value,
// as Backstage's join lists them.
type Order struct {
	Key  string
	Desc bool
}

// Position is where a by-query page ended: the order value (when
// ordered) and the uid of its last entity.
type Position struct {
	Value string
	UID   string
}

// walker walks one segment's entries of an order.
type walker struct {
	si      int
	entries []orderEntry
	i, end  int
	step    int
}

// Entities lists a page of /entities: without an order by ref, with one
// by (value, uid) and then, by uid, the matches without a value.
func (m *Match) Entities(o *Order, offset, limit int) []Hit {
	var hits []Hit
	want := offset + limit
	if o == nil {
		return m.byRefPage(offset, limit)
	}
	hits = m.ordered(*o, false, nil, want)
	if len(hits) < want {
		rest := m.withoutValue(o.Key)
		hits = append(hits, rest.ordered(Order{Key: ""}, false, nil, want-len(hits))...)
	}
	return cut(hits, offset, limit)
}

// Query lists a page of by-query: only matches with a value of the order
// key (every match without an order), walked from after (or from the
// start), backwards when back is set.
func (m *Match) Query(o Order, back bool, after *Position, offset, limit int) []Hit {
	desc := o.Desc != back
	hits := m.ordered(Order{Key: o.Key, Desc: desc}, true, after, offset+limit)
	return cut(hits, offset, limit)
}

// CountWithValue is how many (entity, value) pairs of key match, the
// total by-query reports when ordered.
func (m *Match) CountWithValue(key string) int {
	if key == "" {
		return m.Count()
	}
	n := 0
	for si, s := range m.v.segs {
		for _, e := range s.order(key) {
			if m.sets[si].has(e.id) {
				n++
			}
		}
	}
	return n
}

func cut(hits []Hit, offset, limit int) []Hit {
	if offset >= len(hits) {
		return nil
	}
	hits = hits[offset:]
	return hits[:min(limit, len(hits))]
}

// byRefPage walks every segment's matches in ref order.
func (m *Match) byRefPage(offset, limit int) []Hit {
	next := make([]int, len(m.sets)) // each segment's place in its byRef
	for si := range next {
		next[si] = m.nextByRef(si, 0)
	}
	ref := func(si int) string { s := m.v.segs[si]; return s.refs[s.byRef[next[si]]] }
	var hits []Hit
	for n := 0; len(hits) < limit; n++ {
		best := -1
		for si, k := range next {
			if k >= 0 && (best < 0 || ref(si) < ref(best)) {
				best = si
			}
		}
		if best < 0 {
			break
		}
		id := m.v.segs[best].byRef[next[best]]
		next[best] = m.nextByRef(best, next[best]+1)
		if n >= offset {
			hits = append(hits, m.hit(best, id, "", false))
		}
	}
	return hits
}

// nextByRef is the first place at or after k in segment si's byRef
// whose entity matches, or -1.
func (m *Match) nextByRef(si, k int) int {
	s, set := m.v.segs[si], m.sets[si]
	for ; k < len(s.byRef); k++ {
		if set.has(s.byRef[k]) {
			return k
		}
	}
	return -1
}

func (m *Match) hit(si int, id uint32, value string, has bool) Hit {
	s := m.v.segs[si]
	return Hit{Ref: s.refs[id], UID: s.uids[id], LocationID: s.loc, Value: value, HasValue: has}
}

// withoutValue is the matches holding no value of key.
func (m *Match) withoutValue(key string) *Match {
	out := &Match{v: m.v, sets: make([]bitset, len(m.sets))}
	for si, s := range m.v.segs {
		b := append(bitset{}, m.sets[si]...)
		for _, e := range s.order(key) {
			b[e.id/64] &^= 1 << (e.id % 64)
		}
		out.sets[si] = b
	}
	return out
}

// ordered walks the matches by (value of o.Key, uid), or by uid alone
// when o.Key is empty, up to n hits after the position after. uidDesc
// reverses uids with the values (by-query); otherwise ties stay by
// ascending uid (/entities).
func (m *Match) ordered(o Order, uidDesc bool, after *Position, n int) []Hit {
	walkers := make([]walker, len(m.v.segs))
	for si, s := range m.v.segs {
		entries := s.order(o.Key)
		w := walker{si: si, entries: entries, i: 0, end: len(entries), step: 1}
		if o.Desc {
			w.i, w.end, w.step = len(entries)-1, -1, -1
		}
		if after != nil {
			w.i = seek(s, entries, *after, o.Desc)
		}
		walkers[si] = w
	}
	less := func(a, b Hit) bool {
		if a.Value != b.Value {
			return (a.Value < b.Value) != o.Desc
		}
		return (a.UID < b.UID) != (o.Desc && uidDesc)
	}
	var hits []Hit
	cur := make([]*Hit, len(walkers))
	advance := func(w *walker) *Hit {
		for ; w.i != w.end; w.i += w.step {
			e := w.entries[w.i]
			if m.sets[w.si].has(e.id) {
				h := m.hit(w.si, e.id, e.value, o.Key != "")
				w.i += w.step
				return &h
			}
		}
		return nil
	}
	for i := range walkers {
		cur[i] = advance(&walkers[i])
	}
	for len(hits) < n {
		best := -1
		for i, h := range cur {
			if h != nil && (best < 0 || less(*h, *cur[best])) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		hits = append(hits, *cur[best])
		cur[best] = advance(&walkers[best])
	}
	return hits
}

// seek is the index of the first entry past after, walking ascending
// (or, when desc, descending) entries sorted by (value, uid).
func seek(s *segment, entries []orderEntry, after Position, desc bool) int {
	cmp := func(e orderEntry) int {
		if c := strings.Compare(e.value, after.Value); c != 0 {
			return c
		}
		return strings.Compare(s.uids[e.id], after.UID)
	}
	lo, hi := 0, len(entries)
	if !desc {
		for lo < hi { // first entry > after
			mid := (lo + hi) / 2
			if cmp(entries[mid]) <= 0 {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return lo
	}
	for lo < hi { // first entry >= after; the walk starts just before it
		mid := (lo + hi) / 2
		if cmp(entries[mid]) < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo - 1
}
