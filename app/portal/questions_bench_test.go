package portal_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// benchQuestions is how many questions the Questions page is measured at.
const benchQuestions = 10_000

// questionsRepo writes a repository of n questions, each with two
// answers, a third accepted, tags from a set of 50 and one of 500
// components named, and a catalog file so the location syncs.
func questionsRepo(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c0\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		slug := fmt.Sprintf("question-%05d", i)
		accepted := ""
		if i%3 == 0 {
			accepted = "accepted: 2024-01-02-bob.md\n"
		}
		write("questions/"+slug+"/question.md", fmt.Sprintf("---\ntitle: How do I do thing %d with service %d?\nauthor: user:default/u%d\ndate: %s\ntags: [t%d, t%d]\nentityRefs: [component:default/c%d]\n%svotes: %d\n---\n\nSome context about thing %d, in a paragraph or two of Markdown.\n",
			i, i%500, i%200, start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), i%50, (i+7)%50, i%500, accepted, i%17, i))
		for _, who := range []string{"bob", "carol"} {
			write("questions/"+slug+"/answers/2024-01-02-"+who+".md", fmt.Sprintf("---\nauthor: %s\ndate: 2024-01-02\nvotes: %d\n---\n\nAn answer by %s.\n", who, i%5, who))
		}
	}
	gittest.Git(b, dir, "init", "-q", "-b", "main")
	gittest.Git(b, dir, "add", "-A")
	gittest.Git(b, dir, "-c", "gc.auto=0", "commit", "-q", "-m", "Questions")
	return dir
}

// BenchmarkQuestionsPage: the Questions page's server time at 10,000
// questions (budget: 50 ms) — the newest page, unanswered, by tag and by
// entity — once the questions are read into the store.
func BenchmarkQuestionsPage(b *testing.B) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	repo := questionsRepo(b, benchQuestions)
	dir := b.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.PutLocation(ctx, store.Location{ID: "qa", URL: repo, Path: "catalog-info.yaml"}); err != nil {
		b.Fatal(err)
	}
	sy := syncer.New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	if err := sy.Sync(ctx, "qa"); err != nil {
		b.Fatal(err)
	}
	svc := portal.New(portal.Config{DB: db, Syncer: sy, DataDir: dir, Log: quiet})
	read := time.Now()
	first, err := svc.Questions(ctx, portal.QuestionQuery{})
	if err != nil {
		b.Fatal(err)
	}
	if first.Total != benchQuestions {
		b.Fatalf("read %d questions, want %d", first.Total, benchQuestions)
	}
	b.Logf("10,000 questions read from the clone into the store in %v", time.Since(read))
	for _, bc := range []struct {
		name string
		q    portal.QuestionQuery
	}{
		{"newest", portal.QuestionQuery{}},
		{"unanswered", portal.QuestionQuery{Filter: "unanswered"}},
		{"tag", portal.QuestionQuery{Tag: "t7"}},
		{"entity", portal.QuestionQuery{Entity: "component:default/c42"}},
		{"deep-page", portal.QuestionQuery{Offset: 9_900, Limit: 100}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Questions(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("question", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Question(ctx, "qa/question-04242"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
