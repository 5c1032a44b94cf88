package portal

import (
	"context"
	"testing"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/branchpush"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/remote"
)

// forgePRs answers pull requests' states as a forge would, counting the
// reads; it pushes nothing.
type forgePRs struct {
	state string
	reads int
}

func (f *forgePRs) PushBranch(context.Context, branchpush.Request) (branchpush.Result, error) {
	return branchpush.Result{}, branchpush.ErrOffline
}

func (f *forgePRs) BranchPullRequest(_ context.Context, _ string, _ remote.Forge, number int) (discover.PR, error) {
	f.reads++
	return discover.PR{Number: number, State: f.state}, nil
}

// A template update's pull request is read again at each sync until it
// is merged or closed; merged, it is told once and the update to its
// template commit is no longer offered, while a newer one is.
func TestTemplateUpdatePullRequestFollowed(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, quiet := memStore(t)
	const dir, to = "/work/projects/harbour", "0123456789abcdef0123456789abcdef01234567"
	rec := store.BranchPush{ID: "p1", Dir: dir, Branch: "callboard/template-update/01234567", RemoteBranch: "callboard/template-update/go-service",
		TemplateCommit: to, PullRequest: true, Title: "Update from template go-service (0123456)", State: store.BranchPROpen,
		Review:    &store.OutboxReview{Branch: "callboard/template-update/go-service", Number: 7, URL: "https://github.com/acme/harbour/pull/7", State: "open"},
		CreatedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	if err := db.PutBranchPush(ctx, rec); err != nil {
		t.Fatal(err)
	}
	forge := &forgePRs{state: discover.PROpen}
	var told []string
	up := &updatePushes{db: db, pusher: forge, log: quiet, now: time.Now,
		settled: func(_ context.Context, b store.BranchPush) { told = append(told, b.State) }}
	runs := &templateRuns{pushes: up}
	state := func() store.BranchPush {
		t.Helper()
		all, err := db.BranchPushes(ctx)
		if err != nil || len(all) != 1 {
			t.Fatalf("branch pushes: %+v, %v", all, err)
		}
		return all[0]
	}

	up.Retry(ctx)
	if got := state(); forge.reads != 1 || got.State != store.BranchPROpen || len(told) != 0 {
		t.Errorf("an open pull request: %d reads, state %s, told %v", forge.reads, got.State, told)
	}
	sum := TemplateUpdateSummary{Dir: dir, To: to, Available: true}
	if err := runs.withPush(ctx, &sum); err != nil || !sum.Available || sum.Push == nil || sum.Push.State != store.BranchPROpen || sum.Push.Review.Number != 7 {
		t.Errorf("the update while its pull request is open: %+v, push %+v, %v", sum, sum.Push, err)
	}

	forge.state = discover.PRMerged
	up.Retry(ctx)
	up.Retry(ctx) // merged: not read again, not told again
	got := state()
	if forge.reads != 2 || got.State != store.BranchMerged || got.Review.State != store.ReviewMerged || len(told) != 1 || told[0] != store.BranchMerged {
		t.Errorf("a merged pull request: %d reads, state %s (review %s), told %v", forge.reads, got.State, got.Review.State, told)
	}
	sum = TemplateUpdateSummary{Dir: dir, To: to, Available: true}
	if err := runs.withPush(ctx, &sum); err != nil || sum.Available || sum.Push == nil || sum.Push.State != store.BranchMerged {
		t.Errorf("the update once merged: %+v, %v; want no longer available", sum, err)
	}
	newer := TemplateUpdateSummary{Dir: dir, To: "fedcba9876543210fedcba9876543210fedcba98", Available: true}
	if err := runs.withPush(ctx, &newer); err != nil || !newer.Available {
		t.Errorf("a newer template commit after the merge: %+v, %v; want available", newer, err)
	}
	other := TemplateUpdateSummary{Dir: "/work/projects/other", To: to, Available: true}
	if err := runs.withPush(ctx, &other); err != nil || !other.Available || other.Push != nil {
		t.Errorf("another project: %+v, %v", other, err)
	}
}

// A pull request closed unmerged ends the push, and the update is still
// offered.
func TestTemplateUpdatePullRequestClosed(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, quiet := memStore(t)
	rec := store.BranchPush{ID: "p1", Dir: "/p", TemplateCommit: "abc", State: store.BranchPROpen, Review: &store.OutboxReview{Number: 2}}
	if err := db.PutBranchPush(ctx, rec); err != nil {
		t.Fatal(err)
	}
	up := &updatePushes{db: db, pusher: &forgePRs{state: discover.PRClosed}, log: quiet, now: time.Now}
	up.Retry(ctx)
	sum := TemplateUpdateSummary{Dir: "/p", To: "abc", Available: true}
	if err := (&templateRuns{pushes: up}).withPush(ctx, &sum); err != nil || !sum.Available || sum.Push.State != store.BranchClosed {
		t.Errorf("a closed pull request: %+v, push %+v, %v", sum, sum.Push, err)
	}
}
