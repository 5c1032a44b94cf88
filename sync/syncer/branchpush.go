package syncer

import (
	"context"

	"github.com/callboard/callboard/sync/branchpush"
	"github.com/callboard/callboard/sync/discover"
	"github.com/callboard/callboard/sync/remote"
)

// PushBranch pushes a branch of the user's own checkout (a project's
// template update) to its origin, and opens its pull request when asked,
// with the credentials of origin's host and the forge client's bounds.
// A host that refused its token has the credential programs' answers
// forgotten, as after a refused sync.
func (s *Syncer) PushBranch(ctx context.Context, b branchpush.Request) (branchpush.Result, error) {
	got, err := s.branchPusher().Push(ctx, b)
	if err != nil && got.Remote != "" {
		s.creds.Failed(got.Remote, err)
	}
	return got, err
}

// BranchPullRequest reads the state of a pull request PushBranch opened
// from a branch of the checkout at dir, with the same credentials.
func (s *Syncer) BranchPullRequest(ctx context.Context, dir string, forge remote.Forge, number int) (discover.PR, error) {
	return s.branchPusher().PullRequest(ctx, dir, forge, number)
}

func (s *Syncer) branchPusher() branchpush.Pusher {
	return branchpush.New(s.creds, discover.Options{Token: s.orgToken, Limits: s.orgLimits, Logger: s.log,
		Clock: s.orgClock, Transport: s.orgTransport})
}
