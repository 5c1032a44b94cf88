package portal

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/techdocs"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// indexer keeps the search index in step with the listing: a location's
// change is applied as the difference between its old and new rows, or,
// when the index does not hold the old version, by indexing it again.
// Plugins' documents are kept in it too (pluginsearch.go).
type indexer struct {
	// turn is held by the one index update under way (lock): a channel,
	// not a mutex, so that updates queued behind a long one leave as soon
	// as the instance closes instead of each running in turn after it.
	turn  chan struct{}
	index searchIndex
	// pending counts index updates started and not finished.
	pending sync.WaitGroup
	// progress of a full indexing run, for results to say "still indexing"
	progress struct {
		sync.Mutex
		running     bool
		done, total int
	}
	sites     siteReader
	questions keptQuestions
	decisions keptDecisions
	plugins   pluginSearch
	workers   Spawner
	events    publisher
	log       *slog.Logger
}

// searchIndex is the index as the indexer writes it; nil leaves search out.
type searchIndex interface {
	Apply(ctx context.Context, docs []search.Doc, deletes []string) error
	// Mark and SetMark keep a note by key ("" when none): which version
	// of a location, and which plugins, the index holds.
	Mark(key string) string
	SetMark(key, value string) error
	// WarmFacets reads what counting facets needs of the index as it is
	// now, so that searches do not.
	WarmFacets() error
	// IDsOf lists the documents of a location (or a plugin's key).
	IDsOf(ctx context.Context, location string) ([]string, error)
}

// siteReader reads an entity's TechDocs site, for its pages' documents.
type siteReader interface {
	site(ctx context.Context, ref string) (techdocs.Site, catalog.Files, string, error)
	fromBackstage(ctx context.Context, id string) bool
}

// pluginSearch lists the plugins and asks those that add search
// documents for them; nil means there are no plugins.
type pluginSearch interface {
	List(ctx context.Context) []host.Info
	SearchDocuments(ctx context.Context) (map[string][]*pluginv1.SearchDocument, []error)
}

// locationChanged implements rowsFollower.
func (ix *indexer) locationChanged(id string, before, version uint64, old, rows []store.Row) {
	ix.updateIndex(func(ctx context.Context) { ix.indexLocation(ctx, id, before, version, old, rows) })
}

// locationRemoved implements rowsFollower.
func (ix *indexer) locationRemoved(id string) {
	ix.updateIndex(func(ctx context.Context) { ix.dropFromSearch(ctx, id) })
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
func (ix *indexer) indexLocation(ctx context.Context, id string, oldVersion, version uint64, old, rows []store.Row) {
	x := ix.index
	if x == nil {
		return
	}
	if !ix.lock(ctx) {
		return
	}
	defer ix.unlock()
	defer func() {
		if ctx.Err() != nil {
			return // the facets are made when first asked for, next start
		}
		if err := x.WarmFacets(); err != nil {
			ix.warn(ctx, "read the search index's facets", "err", err)
		}
	}()
	mark, _ := strconv.ParseUint(x.Mark("loc:"+id), 10, 64)
	switch {
	case mark >= version && mark != 0:
		return // already there (or newer: a later change got here first)
	case old != nil && mark == oldVersion:
		err := ix.applyDiff(ctx, id, old, rows)
		if err == nil {
			err = ix.indexDocs(ctx, id, rows)
		}
		if err == nil {
			err = x.SetMark("loc:"+id, strconv.FormatUint(version, 10))
		}
		if err != nil {
			ix.warn(ctx, "update the search index", "location", id, "err", err)
		}
		return
	}
	if err := ix.reindex(ctx, id, version, rows); err != nil {
		ix.warn(ctx, "index the location for search", "location", id, "err", err)
	}
	ix.indexKeptQuestions(ctx, id)
	ix.indexKeptDecisions(ctx, id)
}

// indexDocs replaces the docs pages of location id's entities in the index:
// one document per page, with its headings and text. Docs files can change
// without their entity changing, so they are indexed again whenever the
// location's version moves.
func (ix *indexer) indexDocs(ctx context.Context, id string, rows []store.Row) error {
	x := ix.index
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
	if ix.sites.fromBackstage(ctx, id) {
		rows = nil
	}
	for _, r := range rows {
		if r.Docs == "" {
			continue
		}
		site, files, _, err := ix.sites.site(ctx, r.Ref)
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
func (ix *indexer) applyDiff(ctx context.Context, id string, old, rows []store.Row) error {
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
	ix.log.Debug("search index updated", "location", id, "indexed", len(docs), "deleted", len(gone))
	return ix.index.Apply(ctx, docs, gone)
}

func sameRow(a, b store.Row) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.Title == b.Title && a.Description == b.Description && a.Owner == b.Owner &&
		a.System == b.System && a.Type == b.Type && a.Lifecycle == b.Lifecycle && a.Extra == b.Extra && strings.Join(a.Tags, "\x00") == strings.Join(b.Tags, "\x00")
}

// reindex replaces every document of location id, in batches, reporting
// progress.
func (ix *indexer) reindex(ctx context.Context, id string, version uint64, rows []store.Row) error {
	x := ix.index
	ids, err := x.IDsOf(ctx, id)
	if err != nil {
		return err
	}
	p := &ix.progress
	p.Lock()
	p.running, p.done, p.total = true, 0, len(rows)
	p.Unlock()
	defer func() {
		p.Lock()
		p.running = false
		p.Unlock()
		ix.events.emit(ctx, events.SearchProgress, SearchProgress{Done: len(rows), Total: len(rows)})
	}()
	if err := ix.deleteDocs(ctx, ids); err != nil {
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
		ix.events.emit(ctx, events.SearchProgress, SearchProgress{Done: start + len(batch), Total: len(rows)})
	}
	if err := ix.indexDocs(ctx, id, rows); err != nil {
		return err
	}
	ix.log.Info("location indexed for search", "location", id, "documents", len(rows))
	return x.SetMark("loc:"+id, strconv.FormatUint(version, 10))
}

// dropFromSearch removes a removed location's documents.
func (ix *indexer) dropFromSearch(ctx context.Context, id string) {
	x := ix.index
	if x == nil {
		return
	}
	if !ix.lock(ctx) {
		return
	}
	defer ix.unlock()
	ids, err := x.IDsOf(ctx, id)
	if err == nil {
		err = ix.deleteDocs(ctx, ids)
	}
	if err == nil {
		err = x.SetMark("loc:"+id, "")
	}
	for _, key := range []string{questionsSearchKey(id), decisionsSearchKey(id)} {
		if err != nil {
			break
		}
		ids, err = x.IDsOf(ctx, key)
		if err == nil {
			err = ix.deleteDocs(ctx, ids)
		}
		if err == nil {
			err = x.SetMark(key, "")
		}
	}
	if err != nil {
		ix.warn(ctx, "remove a location from the search index", "location", id, "err", err)
	}
}

// deleteDocs deletes documents in batches: one batch of a whole
// location's would not notice the instance closing until it was written.
func (ix *indexer) deleteDocs(ctx context.Context, ids []string) error {
	for start := 0; start < len(ids); start += searchBatch {
		if err := ix.index.Apply(ctx, nil, ids[start:min(start+searchBatch, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// warn logs a background index job's failure, unless the job was
// cancelled: a job stopped by its process ending failed for that reason
// alone, and a command-line run must not print it.
func (ix *indexer) warn(ctx context.Context, msg string, args ...any) {
	if ctx.Err() == nil {
		ix.log.Warn(msg, args...)
	}
}

// lock waits for the index update under way, if any, to end, and takes
// its turn; false when ctx ended first, and the caller must not go on.
func (ix *indexer) lock(ctx context.Context) bool {
	select {
	case ix.turn <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	if ctx.Err() != nil {
		ix.unlock()
		return false
	}
	return true
}

func (ix *indexer) unlock() { <-ix.turn }

// wait returns once every index update started so far is done.
func (ix *indexer) wait() { ix.pending.Wait() }

// progressNow is how far a full indexing run has got, if one runs.
func (ix *indexer) progressNow() (running bool, done, total int) {
	p := &ix.progress
	p.Lock()
	defer p.Unlock()
	return p.running, p.done, p.total
}

// updateIndex runs an index update in the background, counted for
// WaitForSearch. While the instance closes, the update is dropped or
// cancelled, quietly: the index is derived data, and its marks let the
// next start bring it up to date.
func (ix *indexer) updateIndex(fn func(ctx context.Context)) {
	if ix.index == nil {
		return
	}
	ix.pending.Add(1)
	err := ix.workers.Go("search index update", func(ctx context.Context) {
		defer ix.pending.Done()
		fn(ctx)
	})
	if err != nil {
		ix.pending.Done()
	}
}
