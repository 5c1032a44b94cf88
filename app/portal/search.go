package portal

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/techdocs"
)

// searcher keeps the search index in step with the listing: a location's
// change is applied as the difference between its old and new rows, or,
// when the index does not hold the old version, by indexing it again.
type searcher struct {
	mu    sync.Mutex // one index update at a time
	index *search.Index
	// pending counts index updates started and not finished.
	pending sync.WaitGroup
	// progress of a full indexing run, for results to say "still indexing"
	progress struct {
		sync.Mutex
		running     bool
		done, total int
	}
}

// searchBatch is how many documents one index batch writes.
const searchBatch = 2000

func entityDoc(r store.Row) search.Doc {
	typ := search.TypeEntity
	if strings.EqualFold(r.Kind, "template") {
		typ = search.TypeTemplate
	}
	return search.Doc{ID: "entity:" + r.Ref, Type: typ, Ref: r.Ref, Location: r.LocationID, Kind: r.Kind, Name: r.Name, Title: r.Title,
		Description: r.Description, Tags: r.Tags, Owner: r.Owner, System: r.System, EntityType: r.Type, Lifecycle: r.Lifecycle, Extra: r.Extra}
}

// indexLocation brings location id's documents to version, from its rows;
// old are the rows the listing held before (the version before), or nil.
func (s *Service) indexLocation(ctx context.Context, id string, oldVersion, version uint64, old, rows []store.Row) {
	x := s.search.index
	if x == nil {
		return
	}
	s.search.mu.Lock()
	defer s.search.mu.Unlock()
	mark, _ := strconv.ParseUint(x.Mark("loc:"+id), 10, 64)
	switch {
	case mark >= version && mark != 0:
		return // already there (or newer: a later change got here first)
	case old != nil && mark == oldVersion:
		err := s.applyDiff(ctx, id, old, rows)
		if err == nil {
			err = s.indexDocs(ctx, id, rows)
		}
		if err == nil {
			err = x.SetMark("loc:"+id, strconv.FormatUint(version, 10))
		}
		if err != nil && ctx.Err() == nil {
			s.log.Warn("update the search index", "location", id, "err", err)
		}
		return
	}
	if err := s.reindex(ctx, id, version, rows); err != nil && ctx.Err() == nil {
		s.log.Warn("index the location for search", "location", id, "err", err)
	}
}

// indexDocs replaces the docs pages of location id's entities in the index:
// one document per page, with its headings and text. Docs files can change
// without their entity changing, so they are indexed again whenever the
// location's version moves.
func (s *Service) indexDocs(ctx context.Context, id string, rows []store.Row) error {
	x := s.search.index
	ids, err := x.IDsOf(ctx, id)
	if err != nil {
		return err
	}
	var gone []string
	for _, d := range ids {
		if strings.HasPrefix(d, "docs:") {
			gone = append(gone, d)
		}
	}
	var docs []search.Doc
	for _, r := range rows {
		if r.Docs == "" {
			continue
		}
		site, files, _, err := s.site(ctx, r.Ref)
		if err != nil {
			continue // a broken site is reported on its page; search goes on without it
		}
		for _, page := range site.Pages {
			p, err := site.Render(files, page, techdocs.Links{})
			if err != nil {
				continue
			}
			var headings []string
			for _, h := range p.TOC {
				headings = append(headings, h.Text)
			}
			docs = append(docs, search.Doc{ID: "docs:" + r.Ref + "#" + page, Type: search.TypeDocs, Ref: r.Ref, Location: id, Kind: r.Kind,
				Name: r.Name, Title: p.Title, Headings: strings.Join(headings, " · "), Body: techdocs.Text(p.HTML), Path: page, Owner: r.Owner})
		}
	}
	if len(docs)+len(gone) == 0 {
		return nil
	}
	return x.Apply(ctx, docs, gone)
}

// applyDiff indexes the rows that changed and deletes the ones gone.
func (s *Service) applyDiff(ctx context.Context, id string, old, rows []store.Row) error {
	before := make(map[string]*store.Row, len(old))
	for i := range old {
		before[old[i].Ref] = &old[i]
	}
	var docs []search.Doc
	for _, r := range rows {
		if b, ok := before[r.Ref]; !ok || !sameRow(*b, r) {
			docs = append(docs, entityDoc(r))
		}
		delete(before, r.Ref)
	}
	var gone []string
	for ref := range before {
		gone = append(gone, "entity:"+ref)
	}
	if len(docs)+len(gone) == 0 {
		return nil
	}
	s.log.Debug("search index updated", "location", id, "indexed", len(docs), "deleted", len(gone))
	return s.search.index.Apply(ctx, docs, gone)
}

func sameRow(a, b store.Row) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.Title == b.Title && a.Description == b.Description && a.Owner == b.Owner &&
		a.System == b.System && a.Type == b.Type && a.Lifecycle == b.Lifecycle && a.Extra == b.Extra && strings.Join(a.Tags, "\x00") == strings.Join(b.Tags, "\x00")
}

// reindex replaces every document of location id, in batches, reporting
// progress.
func (s *Service) reindex(ctx context.Context, id string, version uint64, rows []store.Row) error {
	x := s.search.index
	ids, err := x.IDsOf(ctx, id)
	if err != nil {
		return err
	}
	p := &s.search.progress
	p.Lock()
	p.running, p.done, p.total = true, 0, len(rows)
	p.Unlock()
	defer func() {
		p.Lock()
		p.running = false
		p.Unlock()
		s.emit(ctx, events.SearchProgress, SearchProgress{Done: len(rows), Total: len(rows)})
	}()
	if err := x.Apply(ctx, nil, ids); err != nil {
		return err
	}
	for start := 0; start < len(rows); start += searchBatch {
		batch := rows[start:min(start+searchBatch, len(rows))]
		docs := make([]search.Doc, len(batch))
		for i, r := range batch {
			docs[i] = entityDoc(r)
		}
		if err := x.Apply(ctx, docs, nil); err != nil {
			return err
		}
		p.Lock()
		p.done = start + len(batch)
		p.Unlock()
		s.emit(ctx, events.SearchProgress, SearchProgress{Done: start + len(batch), Total: len(rows)})
	}
	if err := s.indexDocs(ctx, id, rows); err != nil {
		return err
	}
	s.log.Info("location indexed for search", "location", id, "documents", len(rows))
	return x.SetMark("loc:"+id, strconv.FormatUint(version, 10))
}

// dropFromSearch removes a removed location's documents.
func (s *Service) dropFromSearch(ctx context.Context, id string) {
	x := s.search.index
	if x == nil {
		return
	}
	s.search.mu.Lock()
	defer s.search.mu.Unlock()
	ids, err := x.IDsOf(ctx, id)
	if err == nil {
		err = x.Apply(ctx, nil, ids)
	}
	if err == nil {
		err = x.SetMark("loc:"+id, "")
	}
	if err != nil && ctx.Err() == nil {
		s.log.Warn("remove a location from the search index", "location", id, "err", err)
	}
}

func (s *Service) emit(ctx context.Context, name string, data any) {
	if s.cfg.Events != nil {
		s.cfg.Events.Emit(ctx, name, data)
	}
}

// WaitForSearch returns once every index update started so far is done,
// for tests and the one-shot CLI.
func (s *Service) WaitForSearch() { s.search.pending.Wait() }

// updateIndex runs an index update in the background, counted for
// WaitForSearch. While the instance closes, the update is dropped or
// cancelled, quietly: the index is derived data, and its marks let the
// next start bring it up to date.
func (s *Service) updateIndex(fn func(ctx context.Context)) {
	if s.search.index == nil {
		return
	}
	s.search.pending.Add(1)
	err := s.cfg.Workers.Go("search index update", func(ctx context.Context) {
		defer s.search.pending.Done()
		fn(ctx)
	})
	if err != nil {
		s.search.pending.Done()
	}
}

// Search implements API.
func (s *Service) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	if err := checkPage(q.Offset, q.Limit); err != nil {
		return SearchResult{}, err
	}
	if s.search.index == nil {
		return SearchResult{}, fmt.Errorf("search is not available in this process")
	}
	leave, err := s.gates.search.enter(ctx)
	if err != nil {
		return SearchResult{}, err
	}
	defer leave()
	if err := s.RefreshListing(ctx); err != nil {
		return SearchResult{}, err
	}
	limit := q.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	res, err := s.search.index.Search(ctx, search.Query{Text: q.Text, Types: q.Types, Kinds: q.Kinds, EntityType: q.EntityType, Owners: q.Owners, Refs: q.Refs,
		Lifecycles: q.Lifecycles, Tags: q.Tags, Offset: q.Offset, Limit: limit, Facets: !q.NoFacets})
	if err != nil {
		return SearchResult{}, err
	}
	out := SearchResult{Total: res.Total, Hits: make([]SearchHit, 0, len(res.Hits)), Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, SearchHit{Type: h.Type, Ref: h.Ref, Kind: h.Kind, Name: h.Name, Title: h.Title, Description: h.Description,
			EntityType: h.EntityType, Owner: h.Owner, Path: h.Path, Snippet: h.Snippet, Score: h.Score})
	}
	for f, cs := range res.Facets {
		fc := make([]FacetCount, len(cs))
		for i, c := range cs {
			fc[i] = FacetCount{Value: c.Value, Count: c.Count}
		}
		out.Facets[f] = fc
	}
	p := &s.search.progress
	p.Lock()
	out.Indexing, out.Indexed, out.IndexTotal = p.running, p.done, p.total
	p.Unlock()
	return out, nil
}
