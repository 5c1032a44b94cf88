package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facet counts are not left to bleve's facet builder: it reads every hit's
// doc values (decompressing them) and counts terms in string maps, which
// made two thirds of a broad query's time at 100,000 entities. Instead
// each of the index's segments, which never change once written, gets its
// facet values once, interned to small integers in one compact column,
// and the search counts them as the collector draws each hit.

// facetNames and the fields they count, in a fixed order: a value's facet
// is its index here.
var facetNames = [...]string{"type", "kind", "entityType", "owner", "lifecycle", "tag", "status"}

var facetFieldList = []string{"type", "kindLower", "entityType", "owner", "lifecycle", "tagsExact", "status"}

// facetSize is how many values of each facet a result lists, the most
// frequent first.
const facetSize = 20

const (
	facetBits = 3 // a packed value: facet in the top bits, term below
	termBits  = 32 - facetBits
	termMask  = 1<<termBits - 1
)

// columns are one segment's facet values: document d's are
// vals[start[d]:start[d+1]], each its facet and the index of its term in
// terms[facet], packed in 32 bits.
type columns struct {
	terms [len(facetNames)][]string
	start []uint32
	vals  []uint32
}

// facetCache keeps the columns of the segments of the index's newest
// snapshot, by segment id (a segment keeps its id when it is persisted,
// and merging makes a new one).
type facetCache struct {
	mu   sync.Mutex
	segs map[uint64]*columns
}

// placed is a segment's columns and the number of its first document in
// the snapshot.
type placed struct {
	offset uint64
	cols   *columns
}

// of returns the columns of snap's segments in order, building those of
// segments not seen before and forgetting those of segments gone.
func (c *facetCache) of(snap *scorch.IndexSnapshot) ([]placed, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	live := make(map[uint64]*columns, len(snap.Segments()))
	out := make([]placed, 0, len(snap.Segments()))
	var offset uint64
	for _, ss := range snap.Segments() {
		cols, ok := c.segs[ss.Id()]
		if !ok {
			var err error
			if cols, err = buildColumns(ss.Segment()); err != nil {
				return nil, fmt.Errorf("read the facets of segment %d: %w", ss.Id(), err)
			}
		}
		live[ss.Id()] = cols
		out = append(out, placed{offset: offset, cols: cols})
		// Scorch numbers a snapshot's documents segment after segment,
		// deleted ones included.
		offset += ss.Segment().Count()
	}
	c.segs = live
	return out, nil
}

// WarmFacets reads the facet values of the segments the index holds now
// that it has not read yet, so the search that next counts facets does
// not: at 100,000 entities a first read takes a few hundred milliseconds.
func (x *Index) WarmFacets() error {
	r, err := x.idx.Advanced()
	if err != nil {
		return fmt.Errorf("warm the facets: %w", err)
	}
	reader, err := r.Reader()
	if err != nil {
		return fmt.Errorf("warm the facets: %w", err)
	}
	defer reader.Close()
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("warm the facets: a %T is not a scorch index", reader)
	}
	_, err = x.facets.of(snap)
	return err
}

// buildColumns reads the facet fields' doc values of every document of seg.
func buildColumns(seg segment.Segment) (*columns, error) {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("a %T segment has no doc values", seg)
	}
	n := seg.Count()
	cols := &columns{start: make([]uint32, 0, n+1), vals: make([]uint32, 0, n*uint64(len(facetNames)))}
	var ids [len(facetNames)]map[string]uint32
	for i := range ids {
		ids[i] = map[string]uint32{}
	}
	var failed error
	visit := func(field string, term []byte) {
		f := slices.Index(facetFieldList, field)
		if f < 0 {
			return
		}
		id, ok := ids[f][string(term)]
		if !ok {
			id = uint32(len(cols.terms[f]))
			if id > termMask {
				failed = fmt.Errorf("facet %s has over %d values", facetNames[f], termMask)
				return
			}
			t := string(term)
			ids[f][t] = id
			cols.terms[f] = append(cols.terms[f], t)
		}
		cols.vals = append(cols.vals, uint32(f)<<termBits|id)
	}
	var state segment.DocVisitState
	for d := range n {
		cols.start = append(cols.start, uint32(len(cols.vals)))
		var err error
		if state, err = dv.VisitDocValues(d, facetFieldList, visit, state); err != nil {
			return nil, err
		}
		if failed != nil {
			return nil, failed
		}
	}
	cols.start = append(cols.start, uint32(len(cols.vals)))
	if uint64(len(cols.vals)) > 1<<32-1 {
		return nil, fmt.Errorf("%d facet values do not fit a column", len(cols.vals))
	}
	cols.vals = slices.Clip(cols.vals)
	return cols, nil
}

// facetQuery is the search's query with its hits' facet values counted:
// its searcher is the query's, counting each hit it hands the collector.
type facetQuery struct {
	query.Query
	cache *facetCache
	// counter is the searcher's, once bleve has asked for it.
	counter *countingSearcher
}

func (q *facetQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("facets: a %T is not a scorch index", r)
	}
	segs, err := q.cache.of(snap)
	if err != nil {
		return nil, err
	}
	inner, err := q.Query.Searcher(ctx, r, m, o)
	if err != nil {
		return nil, err
	}
	counts := make([][len(facetNames)][]int, len(segs))
	for i, s := range segs {
		for f, terms := range s.cols.terms {
			counts[i][f] = make([]int, len(terms))
		}
	}
	q.counter = &countingSearcher{Searcher: inner, segs: segs, counts: counts}
	return q.counter, nil
}

// countingSearcher counts the facet values of every document it returns.
// The collector draws hits through Next alone, in increasing document
// number.
type countingSearcher struct {
	bsearch.Searcher
	segs   []placed
	at     int // the segment of the last hit
	counts [][len(facetNames)][]int
}

func (s *countingSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	if d != nil {
		s.count(d.IndexInternalID.Value())
	}
	return d, err
}

func (s *countingSearcher) count(doc uint64) {
	if doc < s.segs[s.at].offset {
		s.at = 0
	}
	for s.at+1 < len(s.segs) && doc >= s.segs[s.at+1].offset {
		s.at++
	}
	cols, counts := s.segs[s.at].cols, &s.counts[s.at]
	local := doc - s.segs[s.at].offset
	if local+1 >= uint64(len(cols.start)) {
		return
	}
	for _, v := range cols.vals[cols.start[local]:cols.start[local+1]] {
		counts[v>>termBits][v&termMask]++
	}
}

// results are the counts as bleve's terms facets give them: per facet
// the facetSize values with the most hits, ties by value.
func (s *countingSearcher) results() map[string][]Count {
	out := make(map[string][]Count, len(facetNames))
	for f, name := range facetNames {
		total := map[string]int{}
		for i, seg := range s.segs {
			for id, n := range s.counts[i][f] {
				if n > 0 {
					total[seg.cols.terms[f][id]] += n
				}
			}
		}
		var cs []Count
		for v, n := range total {
			cs = append(cs, Count{Value: v, Count: n})
		}
		slices.SortFunc(cs, func(a, b Count) int { return cmp.Or(b.Count-a.Count, strings.Compare(a.Value, b.Value)) })
		out[name] = cs[:min(len(cs), facetSize)]
	}
	return out
}
