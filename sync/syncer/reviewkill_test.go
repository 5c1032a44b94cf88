package syncer

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/callboard/callboard/app/store"
)

// TestHelperReview is not a test: TestReviewKilledAtEveryStep runs the
// test binary again with CALLBOARD_REVIEW_HELPER set, to sync in a
// process that kills itself at step CALLBOARD_REVIEW_KILL of taking a
// change to review.
func TestHelperReview(t *testing.T) {
	dir := os.Getenv("CALLBOARD_REVIEW_HELPER")
	if dir == "" {
		t.Skip("only run by TestReviewKilledAtEveryStep")
	}
	db, s := openDataDir(t, dir)
	defer db.Close()
	s.orgToken = func(context.Context, string) (string, error) { return os.Getenv("CALLBOARD_REVIEW_TOKEN"), nil }
	s.ObserveWrites(killAt(os.Getenv("CALLBOARD_REVIEW_KILL")))
	if err := s.Sync(context.Background(), "loc"); err != nil {
		t.Fatal(err)
	}
}

// A sync killed with SIGKILL between "branch pushed" and "pull request
// opened", and between "pull request opened" and "recorded", is finished
// by the next start: one pull request, recorded on the entry, found by
// its branch rather than opened again.
func TestReviewKilledAtEveryStep(t *testing.T) {
	t.Parallel()
	for _, step := range []string{StepNamed, StepPushed, StepOpened} {
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newReviewed(t)
			dir := t.TempDir()
			db, s := openDataDir(t, dir)
			loc := store.Location{ID: "loc", URL: r.srv.URL + "/acme/svc.git", Path: "catalog-info.yaml", Review: store.Review{Mode: store.ReviewPR, Forge: "github"}}
			if err := db.PutLocation(ctx, loc); err != nil {
				t.Fatal(err)
			}
			s.orgToken = func(context.Context, string) (string, error) { return r.srv.Token, nil }
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "killed"), "Describe alpha")); err != nil {
				t.Fatal(err)
			}
			db.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperReview$")
			cmd.Env = append(os.Environ(), "CALLBOARD_REVIEW_HELPER="+dir, "CALLBOARD_REVIEW_KILL="+step, "CALLBOARD_REVIEW_TOKEN="+r.srv.Token)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the sync was not killed at %s: %v\n%s", step, err, out)
			}
			opened := map[string]int{StepNamed: 0, StepPushed: 0, StepOpened: 1}[step]
			if n := len(r.srv.PullRequests()); n != opened {
				t.Fatalf("killed at %s with %d pull requests open, want %d", step, n, opened)
			}

			db, s = openDataDir(t, dir)
			defer db.Close()
			s.orgToken = func(context.Context, string) (string, error) { return r.srv.Token, nil }
			if err := s.Reconcile(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			prs := r.srv.PullRequests()
			got := outboxOf(t, db)
			if len(prs) != 1 || len(got) != 1 || got[0].Review == nil || got[0].Review.Number != 1 || got[0].Review.Branch != prs[0].Head {
				t.Fatalf("after the restart: pull requests %+v, outbox %+v", prs, got)
			}
			if d := description(t, db, "component:default/alpha"); d != "killed" {
				t.Errorf("description in review = %q", d)
			}
			r.srv.Merge(t, 1)
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if got := outboxOf(t, db); len(got) != 0 {
				t.Errorf("outbox after the merge = %+v", got)
			}
		})
	}
}
