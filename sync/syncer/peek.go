package syncer

import (
	"context"

	"github.com/callboard/callboard/sync/gitfetch"
)

// Peek clones url's branch ("" for its default) into dir, one commit
// deep, with the credentials of url's host, so a repository can be read
// before it becomes a location. The caller owns dir and deletes it.
func (s *Syncer) Peek(ctx context.Context, url, branch, dir string) (gitfetch.Head, error) {
	// Clones and the store share the data dir: a full disk stops here.
	if err := s.db.CheckSpace(); err != nil {
		return gitfetch.Head{}, err
	}
	auth, err := s.creds.AuthFor(ctx, url)
	if err != nil {
		return gitfetch.Head{}, err
	}
	head, err := gitfetch.Fetch(ctx, gitfetch.Options{URL: url, Branch: branch, Dir: dir, Auth: auth, Shallow: true})
	if err != nil {
		// A token the host refused may have been renewed since: ask again.
		s.creds.Failed(url, err)
	}
	return head, err
}
