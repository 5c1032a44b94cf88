package portal

import (
	"context"
	"fmt"

	"github.com/callboard/callboard/app/search"
)

// searcher answers searches from the index, which the indexer keeps.
type searcher struct {
	index    searchQuerier
	rows     *rows
	progress indexProgress
	gate     *gate
}

// indexProgress says how far a full indexing run has got.
type indexProgress interface {
	progressNow() (running bool, done, total int)
}

// searchQuerier runs a query over the index; nil leaves search out.
type searchQuerier interface {
	Search(ctx context.Context, q search.Query) (search.Result, error)
}

// Search answers API.Search.
func (sr *searcher) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	if err := checkPage(q.Offset, q.Limit); err != nil {
		return SearchResult{}, err
	}
	if sr.index == nil {
		return SearchResult{}, fmt.Errorf("search is not available in this process")
	}
	leave, err := sr.gate.enter(ctx)
	if err != nil {
		return SearchResult{}, err
	}
	defer leave()
	if err := sr.rows.refresh(ctx); err != nil {
		return SearchResult{}, err
	}
	out, err := SearchIndex(ctx, sr.index, q)
	if err != nil {
		return SearchResult{}, err
	}
	out.Indexing, out.Indexed, out.IndexTotal = sr.progress.progressNow()
	return out, nil
}

// SearchIndex runs q over the index as API.Search answers it, without
// the catch-up and progress a running service adds: what a read-only
// command answers from the index on disk is so the same.
func SearchIndex(ctx context.Context, index searchQuerier, q SearchQuery) (SearchResult, error) {
	limit := q.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	res, err := index.Search(ctx, search.Query{Text: q.Text, Types: q.Types, Kinds: q.Kinds, EntityType: q.EntityType, Owners: q.Owners, Refs: q.Refs,
		Lifecycles: q.Lifecycles, Tags: q.Tags, Statuses: q.Statuses, Offset: q.Offset, Limit: limit, Facets: !q.NoFacets})
	if err != nil {
		return SearchResult{}, err
	}
	out := SearchResult{Total: res.Total, Hits: make([]SearchHit, 0, len(res.Hits)), Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, SearchHit{Type: h.Type, Ref: h.Ref, Kind: h.Kind, Name: h.Name, Title: h.Title, Description: h.Description,
			EntityType: h.EntityType, Owner: h.Owner, Path: h.Path, Status: h.Status, Snippet: h.Snippet, Score: h.Score})
	}
	for f, cs := range res.Facets {
		fc := make([]FacetCount, len(cs))
		for i, c := range cs {
			fc[i] = FacetCount{Value: c.Value, Count: c.Count}
		}
		out.Facets[f] = fc
	}
	return out, nil
}
