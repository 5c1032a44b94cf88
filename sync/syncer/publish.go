package syncer

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
)

// PushNew pushes branch of the repository in dir (a project a template
// made) to its origin, with the user's credentials. Never forced: a
// remote branch that already has other commits is left alone, with an
// error saying so.
func (s *Syncer) PushNew(ctx context.Context, dir, branch string) error {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	remote, err := repo.Remote("origin")
	if err != nil {
		return fmt.Errorf("%s has no origin to push to: %w", dir, err)
	}
	url := remote.Config().URLs[0]
	auth, err := s.creds.AuthFor(ctx, url)
	if err != nil {
		return err
	}
	ref := plumbing.NewBranchReferenceName(branch)
	err = repo.PushContext(ctx, &git.PushOptions{
		RemoteName: "origin",
		RefSpecs:   []config.RefSpec{config.RefSpec(ref + ":" + ref)},
		Auth:       auth,
	})
	if errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("push %s to %s: %w", branch, url, err)
	}
	s.log.Info("pushed a new project", "dir", dir, "remote", url, "branch", branch)
	return nil
}
