package portal

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/callboard/callboard/app/store"
)

// A service without a syncer (a read-only view, a test) has nothing to
// read questions from: its locations have none, and listing them or the
// problems does not fail.
// memStore opens a store in memory for t, closed at its end, and the
// logger that keeps its output and the service's out of the test's.
func memStore(t *testing.T) (*store.DB, *slog.Logger) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(t.Context(), "", quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, quiet
}

func TestQuestionsWithoutSyncer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, quiet := memStore(t)
	if err := db.PutLocation(ctx, store.Location{ID: "a", URL: "https://github.com/acme/catalog.git", Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	s := New(Config{DB: db, Log: quiet, Workers: testWorkers(t)})
	qs, err := s.Questions(ctx, QuestionQuery{})
	if err != nil || len(qs.Items) != 0 || len(qs.Problems) != 0 {
		t.Errorf("questions = %+v, %v; want none", qs, err)
	}
	if _, err := s.Problems(ctx, ProblemQuery{}); err != nil {
		t.Errorf("problems: %v", err)
	}
}
