package portal

import (
	"context"
	"net/url"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
)

// decisionsSearchKey is the location field of a location's decision
// documents: never a location id (those have no colon), so the
// location's own re-index leaves them alone.
func decisionsSearchKey(id string) string { return "adrs:" + id }

// indexDecisions replaces location id's decision documents with those of
// records, read at commit, in the background.
func (ix *indexer) indexDecisions(id, commit string, records []store.Decision) {
	if ix.index == nil {
		return
	}
	docs := make([]search.Doc, 0, len(records))
	for _, r := range records {
		if r.Problem == nil {
			docs = append(docs, decisionDoc(id, r))
		}
	}
	ix.updateIndex(func(ctx context.Context) {
		x := ix.index
		if !ix.lock(ctx) {
			return
		}
		defer ix.unlock()
		key := decisionsSearchKey(id)
		if x.Mark(key) == commit {
			return
		}
		deletes, err := x.IDsOf(ctx, key)
		if err != nil {
			ix.warn(ctx, "list a location's decision records in the search index", "location", id, "err", err)
			return
		}
		for start := 0; start < max(len(docs), len(deletes)); start += searchBatch {
			if err := x.Apply(ctx, docs[min(start, len(docs)):min(start+searchBatch, len(docs))],
				deletes[min(start, len(deletes)):min(start+searchBatch, len(deletes))]); err != nil {
				ix.warn(ctx, "index a location's decision records", "location", id, "err", err)
				return
			}
		}
		if err := x.SetMark(key, commit); err != nil {
			ix.warn(ctx, "record a location's decision records in the search index", "location", id, "err", err)
		}
	})
}

// keptDecisions reads the decision records the store keeps for a location.
type keptDecisions interface {
	Decisions(ctx context.Context, id string, fn func(store.Decision)) error
	DecisionState(ctx context.Context, id string) (store.DecisionState, bool, error)
}

// indexKeptDecisions indexes location id's decision records as the store
// keeps them when the index holds none of them: an index built again
// gets them without waiting for a new commit.
func (ix *indexer) indexKeptDecisions(ctx context.Context, id string) {
	if ix.decisions == nil || ix.index.Mark(decisionsSearchKey(id)) != "" {
		return
	}
	st, ok, err := ix.decisions.DecisionState(ctx, id)
	if err != nil || !ok {
		return
	}
	var records []store.Decision
	if err := ix.decisions.Decisions(ctx, id, func(r store.Decision) { records = append(records, r) }); err != nil {
		ix.warn(ctx, "read a location's decision records to index them", "location", id, "err", err)
		return
	}
	ix.indexDecisions(id, st.Commit, records)
}

// decisionDoc is a decision record as search finds it: its title, tags,
// deciders and text, its status a facet, its route the entity's
// Decisions tab.
func decisionDoc(id string, r store.Decision) search.Doc {
	route := ""
	if ref, err := catalog.ParseRef(r.EntityRef, "", ""); err == nil {
		route = "/catalog/" + url.PathEscape(ref.Kind) + "/" + url.PathEscape(ref.Namespace) + "/" + url.PathEscape(ref.Name) +
			"?tab=decisions&record=" + url.QueryEscape(r.File)
	}
	return search.Doc{ID: "adr:" + id + "/" + r.EntityRef + "/" + r.File, Type: search.TypeDecision, Ref: r.EntityRef,
		Location: decisionsSearchKey(id), Name: strings.TrimSuffix(r.File, ".md"), Title: r.Title, Tags: r.Tags,
		Extra: strings.Join(r.Deciders, " "), Status: r.Status, Body: r.Body, Path: route}
}
