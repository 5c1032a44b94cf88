package catalogquery

import (
	"strings"
)

// FullText keeps entities with Term (trimmed, lower-cased) inside the
// value of any of Fields, as Backstage's `like %term%` does.
type FullText struct {
	Term   string
	Fields []string
}

// Query selects entities: those matching Filter and FullText.
type Query struct {
	Filter   *Filter
	FullText *FullText
}

// Match is the set of entities a query selects, a bitset per segment.
type Match struct {
	v    *View
	sets []bitset
}

// Match evaluates q from the index alone.
func (v *View) Match(q Query) *Match {
	m := &Match{v: v, sets: make([]bitset, len(v.segs))}
	for si, s := range v.segs {
		b := newBitset(len(s.refs))
		if q.Filter == nil {
			b.fill(len(s.refs))
		} else {
			for _, all := range q.Filter.AnyOf {
				b.or(v.all(si, all))
			}
		}
		m.sets[si] = b
	}
	if q.FullText != nil {
		if term := strings.ToLower(strings.TrimSpace(q.FullText.Term)); term != "" {
			m.and(v.fullText(term, q.FullText.Fields))
		}
	}
	for i := range m.sets {
		m.sets[i].and(v.owned[i])
	}
	return m
}

func (m *Match) and(o []bitset) {
	for i := range m.sets {
		m.sets[i].and(o[i])
	}
}

// Count is how many entities match.
func (m *Match) Count() int {
	n := 0
	for _, b := range m.sets {
		n += b.count()
	}
	return n
}

// Has says whether the entity with canonical ref matches.
func (m *Match) Has(ref string) bool {
	p, ok := m.v.byRef[ref]
	return ok && m.sets[p.seg].has(p.id)
}

// all is the segment's entities meeting every condition.
func (v *View) all(si int, conds []Condition) bitset {
	s := v.segs[si]
	b := newBitset(len(s.refs))
	b.fill(len(s.refs))
	for _, c := range conds {
		b.and(v.one(si, c))
	}
	return b
}

// one is the segment's entities meeting c.
func (v *View) one(si int, c Condition) bitset {
	s := v.segs[si]
	b := newBitset(len(s.refs))
	if strings.HasPrefix(c.Key, "relations.") {
		rp := v.rels[c.Key]
		if rp == nil {
			return b
		}
		add := func(ps []pos) {
			for _, p := range ps {
				if p.seg == si {
					b.set(p.id)
				}
			}
		}
		if c.Values == nil {
			add(rp.all)
		}
		for _, val := range c.Values {
			add(rp.values[val])
		}
		return b
	}
	p := s.keys[c.Key]
	if p == nil {
		return b
	}
	if c.Values == nil {
		for _, id := range p.all {
			b.set(id)
		}
	}
	for _, val := range c.Values {
		for _, id := range p.values[val] {
			b.set(id)
		}
	}
	return b
}

// fullText is every segment's entities with term inside a value of one
// of fields (lower-cased keys).
func (v *View) fullText(term string, fields []string) []bitset {
	out := make([]bitset, len(v.segs))
	for si, s := range v.segs {
		b := newBitset(len(s.refs))
		for _, f := range fields {
			f = strings.ToLower(f)
			if strings.HasPrefix(f, "relations.") {
				if rp := v.rels[f]; rp != nil {
					for val, ps := range rp.values {
						if strings.Contains(val, term) {
							for _, p := range ps {
								if p.seg == si {
									b.set(p.id)
								}
							}
						}
					}
				}
				continue
			}
			if p := s.keys[f]; p != nil {
				for val, ids := range p.values {
					if strings.Contains(val, term) {
						for _, id := range ids {
							b.set(id)
						}
					}
				}
			}
		}
		out[si] = b
	}
	return out
}
