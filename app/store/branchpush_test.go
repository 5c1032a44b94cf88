package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBranchPushes(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a := BranchPush{ID: "a", Dir: "/src/a", Branch: "callboard/template-update/1", RemoteBranch: "callboard/template-update/hello",
			State: BranchQueued, PullRequest: true, Title: "Update", CreatedAt: t0}
		b := BranchPush{ID: "b", Dir: "/src/b", Branch: "x", RemoteBranch: "x", State: BranchFailed, Cause: "offline", CreatedAt: t0}
		for _, p := range []BranchPush{a, b} {
			if err := db.PutBranchPush(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		a.State, a.Pushed, a.Review = BranchPROpen, "abc", &OutboxReview{Branch: a.RemoteBranch, Number: 3, URL: "https://forge/pr/3"}
		if err := db.PutBranchPush(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := db.BranchPushes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]BranchPush{a, b}, got); d != "" {
			t.Errorf("BranchPushes (-want +got):\n%s", d)
		}
		if entries, err := db.Outbox(ctx, ""); err != nil || len(entries) != 0 {
			t.Errorf("Outbox = %+v, %v: a branch push is no location's entry", entries, err)
		}
	})
}
