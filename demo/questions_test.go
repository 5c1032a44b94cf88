package demo_test

import (
	"io/fs"
	"testing"

	"github.com/callboard/callboard/app/questions"
	"github.com/callboard/callboard/demo"
)

// Every question and answer of the demo parses, every accepted answer
// exists, and every entity a question names is in the demo catalog.
func TestQuestions(t *testing.T) {
	known := map[string]bool{}
	for _, e := range loadCatalog(t) {
		known[e.ref()] = true
	}
	files := map[string]bool{}
	var qs []questions.Question
	err := fs.WalkDir(demo.FS(), questions.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(demo.FS(), p)
		if err != nil {
			return err
		}
		files[p] = true
		switch kind, _, _ := questions.Classify(p); kind {
		case questions.KindQuestion:
			q, err := questions.ParseQuestion(p, data)
			if err != nil {
				t.Error(err)
			}
			qs = append(qs, q)
		case questions.KindAnswer:
			if _, err := questions.ParseAnswer(p, data); err != nil {
				t.Error(err)
			}
		default:
			t.Errorf("%s is neither a question nor an answer", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 3 {
		t.Errorf("the demo has %d questions, want a few", len(qs))
	}
	for _, q := range qs {
		if q.Accepted != "" && !files[questions.AnswerFile(q.Slug, q.Accepted)] {
			t.Errorf("%s accepts %s, which is not among its answers", q.File, q.Accepted)
		}
		for _, ref := range append([]string{q.Author}, q.EntityRefs...) {
			if !known[ref] {
				t.Errorf("%s names %s, which the demo catalog does not hold", q.File, ref)
			}
		}
	}
}
