package syncer

import (
	"context"

	"github.com/callboard/callboard/sync/branchpush"
	"github.com/callboard/callboard/sync/discover"
)

// PushBranch pushes a branch of the user's own checkout (a project's
// template update) to its origin, and opens its pull request when asked,
// with the credentials of origin's host and the forge client's bounds.
// A host that refused its token has the credential programs' answers
// forgotten, as after a refused sync.
func (s *Syncer) PushBranch(ctx context.Context, b branchpush.Request) (branchpush.Result, error) {
	p := branchpush.New(s.creds, discover.Options{Token: s.orgToken, Limits: s.orgLimits, Logger: s.log,
		Clock: s.orgClock, Transport: s.orgTransport})
	got, err := p.Push(ctx, b)
	if err != nil && got.Remote != "" {
		s.creds.Failed(got.Remote, err)
	}
	return got, err
}
