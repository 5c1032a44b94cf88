package portal

import (
	"context"
	"maps"

	"github.com/callboard/callboard/app/listing"
	"github.com/callboard/callboard/app/scorecard"
)

// The catalog's Level column and facet: each row's level on every
// scorecard applying to it, and a facet of "scorecard:level" values whose
// counts, like every facet's, are among the rows matching the rest of the
// query. A catalog without scorecards pays nothing for them.

// FacetLevel is the catalog facet of scorecard levels.
const FacetLevel = "level"

// levelBook gives the current scorecard results, nil when the catalog has
// no scorecard; *scorecards is the one in use.
type levelBook interface {
	levelBook(ctx context.Context) (*scorecard.Book, error)
}

func (s *scorecards) levelBook(ctx context.Context) (*scorecard.Book, error) {
	b, _, err := s.current(ctx)
	if err != nil || b.Empty() {
		return nil, err
	}
	return b, nil
}

// hasScorecards asks the listing, cheaply, whether any Scorecard entity
// exists, so a catalog without one never reads its entities for levels.
func hasScorecards(l *listing.Listing) bool {
	return l.Query(listing.Query{Facets: map[string][]string{listing.FacetKind: {"scorecard"}}}).Total > 0
}

// levelQuery takes the level facet out of a listing query: the listing
// does not hold levels, so wanted levels become a set of refs (the union
// of the values', intersected with any the query already keeps). It
// returns the query to run and the refs it kept before the level facet.
func levelQuery(b *scorecard.Book, lq listing.Query) (listing.Query, map[string]bool) {
	base := lq.Refs
	wanted := lq.Facets[FacetLevel]
	if _, ok := lq.Facets[FacetLevel]; !ok {
		return lq, base
	}
	lq.Facets = maps.Clone(lq.Facets)
	delete(lq.Facets, FacetLevel)
	if len(wanted) == 0 {
		return lq, base
	}
	if b == nil { // no scorecard: no entity is at any level
		lq.Refs = map[string]bool{}
		return lq, base
	}
	at := map[string]bool{}
	for _, v := range wanted {
		maps.Copy(at, b.AtFacet(v))
	}
	lq.Refs = intersect(base, at)
	return lq, base
}

// levelCounts counts the rows at each level among those matching the
// query without its level facet, in one listing pass.
func levelCounts(l *listing.Listing, b *scorecard.Book, lq listing.Query, base map[string]bool) []FacetCount {
	lq.Refs = base
	at := b.AtLevels(l.Refs(lq))
	out := []FacetCount{}
	for _, v := range b.FacetValues() {
		if n := at[v]; n > 0 {
			out = append(out, FacetCount{Value: v, Count: n})
		}
	}
	return out
}

// intersect is a ∩ b, where a nil a keeps all of b.
func intersect(a, b map[string]bool) map[string]bool {
	if a == nil {
		return b
	}
	out := map[string]bool{}
	for r := range b {
		if a[r] {
			out[r] = true
		}
	}
	return out
}
