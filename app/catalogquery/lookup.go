package catalogquery

import (
	"strings"

	"github.com/callboard/callboard/app/store"
)

// Get finds the entity with canonical ref.
func (v *View) Get(ref string) (Hit, bool) {
	p, ok := v.byRef[ref]
	if !ok {
		return Hit{}, false
	}
	s := v.segs[p.seg]
	return Hit{Ref: ref, UID: s.uids[p.id], LocationID: s.loc}, true
}

// GetUID finds the entity with metadata.uid uid.
func (v *View) GetUID(uid string) (Hit, bool) {
	p, ok := v.byUID[strings.ToLower(uid)]
	if !ok {
		return Hit{}, false
	}
	s := v.segs[p.seg]
	return Hit{Ref: s.refs[p.id], UID: s.uids[p.id], LocationID: s.loc}, true
}

// Relations are the outgoing relations of the entity with canonical
// ref, sorted by type and target, as the view read them (none in a view
// of RefreshFields); the slice is the view's, not to be changed.
func (v *View) Relations(ref string) []store.Relation {
	p, ok := v.byRef[ref]
	if !ok || v.out == nil {
		return nil
	}
	return v.out[p.seg][p.id]
}

// Len is how many entities the view holds.
func (v *View) Len() int { return len(v.byRef) }

// FacetCount is how many matching entities hold one value of a key, the
// value as written.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facet counts the matching entities per value of key (lower-cased),
// as Backstage's entity-facets does; null values are not counted.
func (m *Match) Facet(key string) []FacetCount {
	counts := map[string]int{}
	if strings.HasPrefix(key, "relations.") {
		if rp := m.v.rels[key]; rp != nil {
			for val, ps := range rp.values {
				for _, p := range ps {
					if m.sets[p.seg].has(p.id) {
						counts[rp.orig[val]]++
					}
				}
			}
		}
	} else {
		for si, s := range m.v.segs {
			p := s.keys[key]
			if p == nil {
				continue
			}
			for val, ids := range p.values {
				n := 0
				for _, id := range ids {
					if m.sets[si].has(id) {
						n++
					}
				}
				if n > 0 {
					counts[p.orig[val]] += n
				}
			}
		}
	}
	out := make([]FacetCount, 0, len(counts))
	for v, n := range counts {
		out = append(out, FacetCount{Value: v, Count: n})
	}
	return out
}
