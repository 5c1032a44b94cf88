package portal

import (
	"context"
	"strings"

	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
)

// questionsSearchKey is the location field of a location's question
// documents. It is never a location id (those have no colon), so the
// location's own re-index leaves them alone.
func questionsSearchKey(id string) string { return "questions:" + id }

// indexQuestions brings location id's question documents from commit
// before to commit, in the background: the changed and gone ones when the
// index holds those of before, else all of them again.
func (ix *indexer) indexQuestions(id, before, commit string, all map[string]store.Question, changed []store.Question, gone []string) {
	if ix.index == nil {
		return
	}
	docs := make([]search.Doc, 0, len(all))
	for _, q := range all {
		if !q.Broken {
			docs = append(docs, questionDoc(id, q))
		}
	}
	ix.updateIndex(func(ctx context.Context) {
		x := ix.index
		if !ix.lock(ctx) {
			return
		}
		defer ix.unlock()
		key := questionsSearchKey(id)
		var deletes []string
		put := docs
		if mark := x.Mark(key); mark != "" && mark == before {
			put = put[:0:0]
			for _, q := range changed {
				if q.Broken {
					deletes = append(deletes, questionDocID(id, q.Slug))
				} else {
					put = append(put, questionDoc(id, q))
				}
			}
			for _, slug := range gone {
				deletes = append(deletes, questionDocID(id, slug))
			}
		} else {
			ids, err := x.IDsOf(ctx, key)
			if err != nil {
				ix.warn(ctx, "list a location's questions in the search index", "location", id, "err", err)
				return
			}
			deletes = ids
		}
		for start := 0; start < max(len(put), len(deletes)); start += searchBatch {
			if err := x.Apply(ctx, put[min(start, len(put)):min(start+searchBatch, len(put))],
				deletes[min(start, len(deletes)):min(start+searchBatch, len(deletes))]); err != nil {
				ix.warn(ctx, "index a location's questions", "location", id, "err", err)
				return
			}
		}
		if err := x.SetMark(key, commit); err != nil {
			ix.warn(ctx, "record a location's questions in the search index", "location", id, "err", err)
		}
	})
}

// keptQuestions reads the questions the store keeps for a location.
type keptQuestions interface {
	Questions(ctx context.Context, id string) (map[string]store.Question, error)
	QuestionState(ctx context.Context, id string) (store.QuestionState, bool, error)
}

// indexKeptQuestions indexes location id's questions as the store keeps
// them when the index holds none of them: an index built again from the
// store (deleted, or new) gets them without waiting for a new commit.
func (ix *indexer) indexKeptQuestions(ctx context.Context, id string) {
	if ix.questions == nil || ix.index.Mark(questionsSearchKey(id)) != "" {
		return
	}
	st, ok, err := ix.questions.QuestionState(ctx, id)
	if err != nil || !ok {
		return
	}
	all, err := ix.questions.Questions(ctx, id)
	if err != nil {
		ix.warn(ctx, "read a location's questions to index them", "location", id, "err", err)
		return
	}
	ix.indexQuestions(id, "", st.Commit, all, nil, nil)
}

func questionDocID(id, slug string) string { return "question:" + id + "/" + slug }

// questionDoc is a question as search finds it: its title, tags and
// entities, its text and its answers' text.
func questionDoc(id string, q store.Question) search.Doc {
	var body strings.Builder
	body.WriteString(q.Body)
	for _, a := range q.Answers {
		body.WriteString("\n\n")
		body.WriteString(a.Body)
	}
	return search.Doc{ID: questionDocID(id, q.Slug), Type: search.TypeQuestion, Location: questionsSearchKey(id), Name: q.Slug,
		Title: q.Title, Tags: q.Tags, Extra: strings.Join(q.EntityRefs, " "), Owner: q.Author, Body: body.String(),
		Path: "/questions/" + id + "/" + q.Slug}
}
