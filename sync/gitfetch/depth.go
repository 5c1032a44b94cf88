package gitfetch

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// unshallowDepth is the depth git fetch --unshallow asks for: the server
// reads it as "everything" and sends the history behind the clone's
// shallow commits.
const unshallowDepth = math.MaxInt32

// IsShallow says whether the clone at dir holds commits whose parents it
// lacks (a clone made with Options.Shallow and not deepened since).
func IsShallow(dir string) (bool, error) {
	repo, err := openClone(dir)
	if err != nil {
		return false, fmt.Errorf("open clone %s: %w", dir, err)
	}
	shallows, err := repo.Storer.Shallow()
	if err != nil {
		return false, fmt.Errorf("read the shallow commits of clone %s: %w: %w", dir, ErrCorrupt, err)
	}
	return len(shallows) > 0, nil
}

// settleShallows drops from the clone's list of shallow commits those
// whose parents it now has. go-git adds the shallow commits a fetch
// reports but ignores the ones it unshallows, and git (the git-insights
// plugin reads clones with it) would cut the history at a commit left on
// the list. An empty list is removed: git counts a clone with the file as
// shallow.
func settleShallows(repo *git.Repository, dir string) error {
	shallows, err := repo.Storer.Shallow()
	if err != nil {
		return fmt.Errorf("read the shallow commits: %w: %w", ErrCorrupt, err)
	}
	var still []plumbing.Hash
	for _, h := range shallows {
		c, err := repo.CommitObject(h)
		if err != nil {
			return fmt.Errorf("read shallow commit %s: %w", h, Corrupt(err))
		}
		for _, p := range c.ParentHashes {
			if repo.Storer.HasEncodedObject(p) != nil {
				still = append(still, h)
				break
			}
		}
	}
	if len(still) > 0 {
		return repo.Storer.SetShallow(still)
	}
	if err := os.Remove(filepath.Join(dir, "shallow")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the list of shallow commits: %w", err)
	}
	return nil
}
