package syncer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
)

// reviewed is a location on a fake GitHub whose main branch refuses
// pushes (a pre-receive hook) and whose API does not tell: only a
// refused push shows the branch is protected.
type reviewed struct {
	srv    *forgetest.Server
	db     *store.DB
	clones string
	bare   string
	events *recorder // what the last syncer made emitted
}

func newReviewed(t *testing.T) *reviewed {
	t.Helper()
	return newReviewedOn(t, forgetest.NewGitHub, "github")
}

// newReviewedOn is newReviewed on a fake forge of kind forge.
func newReviewedOn(t *testing.T, serve func(testing.TB, *forgetest.Org, ...forgetest.Option) *forgetest.Server, forge string) *reviewed {
	t.Helper()
	files := map[string]string{}
	for p, c := range catalogFiles {
		files[p] = string(c)
	}
	org := &forgetest.Org{Login: "acme", Repos: []*forgetest.Repo{{ID: 1, Name: "svc", DefaultBranch: "main", Git: true, Files: files, Protected: []string{"main"}}}}
	srv := serve(t, org)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(context.Background(), t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loc := store.Location{ID: "loc", URL: srv.URL + "/acme/svc.git", Path: "catalog-info.yaml", Review: store.Review{Forge: forge}}
	if err := db.PutLocation(context.Background(), loc); err != nil {
		t.Fatal(err)
	}
	return &reviewed{srv: srv, db: db, clones: filepath.Join(t.TempDir(), "clones"), bare: filepath.Join(srv.GitDir(), "acme", "svc.git")}
}

// syncer is a new Syncer over the same store and clones, as the next
// start of the app makes.
func (r *reviewed) syncer(t *testing.T) *Syncer {
	t.Helper()
	r.events = &recorder{}
	s := New(r.db, r.clones, gitfetch.Credentials{}, r.events, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	s.orgToken = func(context.Context, string) (string, error) { return r.srv.Token, nil }
	return s
}

func (r *reviewed) entry(t *testing.T) store.OutboxEntry {
	t.Helper()
	got := outboxOf(t, r.db)
	if len(got) != 1 {
		t.Fatalf("outbox = %+v, want one entry", got)
	}
	return got[0]
}

// An edit to a protected branch: the direct push is refused, the
// location remembers it takes pull requests, one is opened on an edit
// branch saying what changed, the entity shows the user's version while
// in review, and once the forge merges it the next sync clears the entry.
func TestEditToProtectedBranchBecomesAPullRequest(t *testing.T) {
	t.Parallel()
	for _, fg := range []struct {
		name  string
		serve func(testing.TB, *forgetest.Org, ...forgetest.Option) *forgetest.Server
	}{{"github", forgetest.NewGitHub}, {"gitlab", forgetest.NewGitLab}} {
		t.Run(fg.name, func(t *testing.T) {
			t.Parallel()
			editBecomesAPullRequest(t, newReviewedOn(t, fg.serve, fg.name))
		})
	}
}

func editBecomesAPullRequest(t *testing.T, r *reviewed) {
	ctx := context.Background()
	s := r.syncer(t)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	mainBefore := gittest.Git(t, r.bare, "rev-parse", "main")
	if _, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "in review"), "Describe alpha")); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second sync must not open another
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatal(err)
		}
	}
	if loc, _, _ := r.db.Location(ctx, "loc"); loc.Review.Detected != store.ReviewPR {
		t.Errorf("review after a refused push = %+v, want detected pr", loc.Review)
	}
	if got := gittest.Git(t, r.bare, "rev-parse", "main"); got != mainBefore {
		t.Errorf("main moved to %s: the protected branch was pushed to", got)
	}
	prs := r.srv.PullRequests()
	if len(prs) != 1 {
		t.Fatalf("pull requests = %+v, want one", prs)
	}
	pr := prs[0]
	e := r.entry(t)
	if e.Review == nil || e.Review.Number != 1 || e.Review.State != store.ReviewOpen || e.Review.Branch != pr.Head ||
		!strings.HasPrefix(pr.Head, "callboard/edit/alpha-") || e.Review.URL == "" || e.State != store.StatePending {
		t.Errorf("entry = %+v (review %+v), pull request %+v", e, e.Review, pr)
	}
	if pr.Title != "Describe alpha" || pr.Base != "main" || !strings.Contains(pr.Body, "`metadata.description` set to `in review`") {
		t.Errorf("pull request text = %q / %q", pr.Title, pr.Body)
	}
	if got := gittest.Git(t, r.bare, "show", pr.Head+":a.yaml"); !strings.Contains(got, "in review") {
		t.Errorf("a.yaml on %s = %q", pr.Head, got)
	}
	if got := description(t, r.db, "component:default/alpha"); got != "in review" {
		t.Errorf("description while in review = %q, want the user's version", got)
	}

	r.srv.SetPullRequest(1, func(p *forgetest.PullRequest) { p.ChangesRequested = true })
	r.events.names = nil
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if e := r.entry(t); e.Review.State != store.ReviewChangesRequested {
		t.Errorf("state after a review asking for changes = %s", e.Review.State)
	}
	if !slices.Contains(r.events.names, events.OutboxChanged) {
		t.Errorf("events after the pull request's state changed = %v, want %s", r.events.names, events.OutboxChanged)
	}

	r.srv.Merge(t, 1)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := outboxOf(t, r.db); len(got) != 0 {
		t.Errorf("outbox after the merge = %+v, want empty", got)
	}
	if got := description(t, r.db, "component:default/alpha"); got != "in review" {
		t.Errorf("description after the merge = %q", got)
	}
	if n := len(r.srv.PullRequests()); n != 1 {
		t.Errorf("%d pull requests, want 1", n)
	}
}

// stopAt stops a sync at one step, as a process killed there would.
type stopAt string

type stopped struct{}

func (s stopAt) Reached(step string) {
	if step == string(s) {
		panic(stopped{})
	}
}

// A sync stopped after each step of taking a change to review is
// finished by the next start's sync: one pull request, recorded.
func TestReviewStoppedAtEveryStep(t *testing.T) {
	t.Parallel()
	for _, step := range []string{StepNamed, StepPushed, StepOpened, StepReviewed} {
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newReviewed(t)
			s := r.syncer(t)
			if _, err := r.db.SetReview(ctx, "loc", func(rv *store.Review) { rv.Mode = store.ReviewPR }); err != nil {
				t.Fatal(err)
			}
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "stopped"), "Describe alpha")); err != nil {
				t.Fatal(err)
			}
			s.ObserveWrites(stopAt(step))
			func() {
				defer func() {
					if p := recover(); p != nil && p != (stopped{}) {
						panic(p)
					}
				}()
				_ = s.Sync(ctx, "loc")
				t.Fatalf("the sync did not reach step %s", step)
			}()
			if err := r.syncer(t).Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			prs := r.srv.PullRequests()
			e := r.entry(t)
			if len(prs) != 1 || e.Review == nil || e.Review.Number != 1 || e.Review.Branch != prs[0].Head {
				t.Fatalf("after the restart: pull requests %+v, entry review %+v", prs, e.Review)
			}
			r.srv.Merge(t, 1)
			if err := r.syncer(t).Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if got := outboxOf(t, r.db); len(got) != 0 {
				t.Errorf("outbox after the merge = %+v", got)
			}
		})
	}
}

// A closed pull request leaves its change in the outbox, closed: the
// user's version still shows. Reopen sends it back to review; Discard
// takes it back and the catalog shows the branch's version.
func TestClosedPullRequest(t *testing.T) {
	t.Parallel()
	for _, reopen := range []bool{true, false} {
		t.Run(map[bool]string{true: "reopen", false: "discard"}[reopen], func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newReviewed(t)
			s := r.syncer(t)
			if _, err := r.db.SetReview(ctx, "loc", func(rv *store.Review) { rv.Mode = store.ReviewPR }); err != nil {
				t.Fatal(err)
			}
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "mine"), "Describe alpha")); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Write(ctx, "loc", edit("b.yaml", described("beta", "also mine"), "Describe beta")); err != nil {
				t.Fatal(err)
			}
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			first := outboxOf(t, r.db)[0]
			if err := s.Discard(ctx, first.ID); err == nil {
				t.Error("an open pull request's change was discarded")
			}
			r.srv.SetPullRequest(1, func(p *forgetest.PullRequest) { p.State = "closed" })
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if e := outboxOf(t, r.db)[0]; e.State != store.StateClosed || e.Review.State != store.ReviewClosed {
				t.Fatalf("entry after the pull request closed = %+v, review %+v", e, e.Review)
			}
			if got := description(t, r.db, "component:default/alpha"); got != "mine" {
				t.Errorf("description with the pull request closed = %q, want the user's", got)
			}
			if reopen {
				if err := s.Reopen(ctx, first.ID); err != nil {
					t.Fatal(err)
				}
				if e := outboxOf(t, r.db)[0]; e.State != store.StatePending || e.Review.State != store.ReviewOpen {
					t.Errorf("entry after reopening = %+v, review %+v", e, e.Review)
				}
				if p := r.srv.PullRequests()[0]; p.State != "open" {
					t.Errorf("pull request after reopening = %+v", p)
				}
				return
			}
			if err := s.Discard(ctx, first.ID); err != nil {
				t.Fatal(err)
			}
			if got := outboxOf(t, r.db); len(got) != 1 || got[0].Paths[0] != "b.yaml" {
				t.Errorf("outbox after discarding = %+v", got)
			}
			if got := description(t, r.db, "component:default/alpha"); got != "" {
				t.Errorf("alpha's description after discarding = %q, want the branch's (none)", got)
			}
			if got := description(t, r.db, "component:default/beta"); got != "also mine" {
				t.Errorf("beta's description after discarding alpha's change = %q", got)
			}
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if got := outboxOf(t, r.db); len(got) != 1 || len(r.srv.PullRequests()) != 2 {
				t.Errorf("after the next sync: outbox %+v, pull requests %+v", got, r.srv.PullRequests())
			}
		})
	}
}

// A reviewer's push to the pull request's branch is followed: the
// entry's change becomes the reviewer's version, the catalog shows it,
// and nothing is pushed over it.
func TestReviewFollowsAReviewersPush(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newReviewed(t)
	s := r.syncer(t)
	if _, err := r.db.SetReview(ctx, "loc", func(rv *store.Review) { rv.Mode = store.ReviewPR }); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "mine"), "Describe alpha")); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	branch := r.entry(t).Review.Branch
	work := filepath.Join(t.TempDir(), "reviewer")
	gittest.Git(t, filepath.Dir(work), "clone", "-q", "-b", branch, r.bare, work)
	if err := os.WriteFile(filepath.Join(work, "a.yaml"), described("alpha", "reviewed"), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, work, "commit", "-qam", "Reword")
	gittest.Git(t, work, "push", "-q", "origin", branch)
	reviewer := strings.TrimSpace(gittest.Git(t, work, "rev-parse", "HEAD"))

	for range 2 {
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatal(err)
		}
	}
	e := r.entry(t)
	if e.Review.Head != reviewer || e.Changes[0].Content == nil || !strings.Contains(*e.Changes[0].Content, "reviewed") {
		t.Errorf("entry after the reviewer's push: head %s (want %s), change %v", e.Review.Head, reviewer, e.Changes)
	}
	if got := description(t, r.db, "component:default/alpha"); got != "reviewed" {
		t.Errorf("description after the reviewer's push = %q, want theirs", got)
	}
	if got := strings.TrimSpace(gittest.Git(t, r.bare, "rev-parse", branch)); got != reviewer {
		t.Errorf("the pull request's branch moved to %s: the reviewer's push was overwritten", got)
	}
	r.srv.Merge(t, 1)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if got := outboxOf(t, r.db); len(got) != 0 {
		t.Errorf("outbox after the merge = %+v", got)
	}
}

// Detection asks the forge first: a branch it says is protected takes
// pull requests without trying a push; one it says is not is pushed to.
func TestReviewDetectAsksTheForge(t *testing.T) {
	t.Parallel()
	for _, protected := range []bool{true, false} {
		t.Run(fmt.Sprint("protected=", protected), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newReviewed(t)
			r.srv.Update(func(o *forgetest.Org) {
				o.Repos[0].ShowProtection = true
				if !protected {
					o.Repos[0].Protected = nil
				}
			})
			if !protected {
				if err := os.Remove(filepath.Join(r.bare, "hooks", "pre-receive")); err != nil {
					t.Fatal(err)
				}
			}
			s := r.syncer(t)
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Write(ctx, "loc", edit("a.yaml", described("alpha", "detected"), "Describe alpha")); err != nil {
				t.Fatal(err)
			}
			if err := s.Sync(ctx, "loc"); err != nil {
				t.Fatal(err)
			}
			loc, _, _ := r.db.Location(ctx, "loc")
			want := map[bool]string{true: store.ReviewPR, false: store.ReviewDirect}[protected]
			if loc.Review.Detected != want || r.srv.Requests("branches") != 1 {
				t.Errorf("detected %q after %d branch requests, want %q after 1", loc.Review.Detected, r.srv.Requests("branches"), want)
			}
			onMain := strings.Contains(gittest.Git(t, r.bare, "show", "main:a.yaml"), "detected")
			if onMain == protected || len(r.srv.PullRequests()) != map[bool]int{true: 1, false: 0}[protected] {
				t.Errorf("change on main: %v, pull requests %+v", onMain, r.srv.PullRequests())
			}
		})
	}
}
