package store

import (
	"context"
	"fmt"
	"testing"
)

func TestQuestions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backends(t, func(t *testing.T, db *DB) {
		if _, ok, err := db.QuestionState(ctx, "loc"); ok || err != nil {
			t.Fatalf("state before any write: ok %v, err %v", ok, err)
		}
		var put []Question
		for i := range questionBatch + 3 { // more than one transaction
			put = append(put, Question{Slug: fmt.Sprintf("q%04d", i), Title: "T", Files: map[string]string{"f": "h"}})
		}
		if err := db.PutQuestions(ctx, "loc", "c1", put, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.PutQuestions(ctx, "other", "c9", put[:1], nil); err != nil {
			t.Fatal(err)
		}
		if err := db.PutQuestions(ctx, "loc", "c2", []Question{{Slug: "q0000", Title: "New"}}, []string{"q0001"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Questions(ctx, "loc")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != questionBatch+2 || got["q0000"].Title != "New" || got["q0002"].LocationID != "loc" || got["q0002"].Files["f"] != "h" {
			t.Errorf("got %d questions, q0000 %+v, q0002 %+v", len(got), got["q0000"], got["q0002"])
		}
		if st, ok, err := db.QuestionState(ctx, "loc"); !ok || err != nil || st.Commit != "c2" {
			t.Errorf("state %+v, ok %v, err %v", st, ok, err)
		}
		if err := db.DropQuestions(ctx, "loc"); err != nil {
			t.Fatal(err)
		}
		if q, ok, err := db.Question(ctx, "other", "q0000"); !ok || err != nil || q.Title != "T" {
			t.Errorf("Question = %+v, %v, %v", q, ok, err)
		}
		if got, _ := db.Questions(ctx, "loc"); len(got) != 0 {
			t.Errorf("%d questions after drop", len(got))
		}
		if got, _ := db.Questions(ctx, "other"); len(got) != 1 {
			t.Errorf("other location has %d questions after dropping loc's", len(got))
		}
	})
}

func TestVotes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backends(t, func(t *testing.T, db *DB) {
		for _, step := range []struct {
			on, changed, voted bool
		}{{true, true, true}, {true, false, true}, {false, true, false}, {false, false, false}} {
			changed, err := db.SetVoted(ctx, "user:default/jane", "loc/q", step.on)
			if err != nil || changed != step.changed {
				t.Fatalf("SetVoted(%v) = %v, %v; want %v", step.on, changed, err, step.changed)
			}
			if voted, err := db.Voted(ctx, "user:default/jane", "loc/q"); err != nil || voted != step.voted {
				t.Fatalf("Voted = %v, %v; want %v", voted, err, step.voted)
			}
		}
		if voted, _ := db.Voted(ctx, "user:default/bob", "loc/q"); voted {
			t.Error("another user's vote counted")
		}
	})
}
