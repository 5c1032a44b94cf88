package gitfetch

import (
	"errors"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"
)

// openClone opens what git.PlainOpen opens, bare or not, and says
// ErrRepositoryNotExists where it does.
func TestOpenClone(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		make     func(dir string) error
		bare     bool
		notExist bool
	}{
		{name: "bare", make: func(dir string) error { _, err := git.PlainInit(dir, true); return err }, bare: true},
		{name: "with a worktree", make: func(dir string) error { _, err := git.PlainInit(dir, false); return err }},
		{name: "missing", make: func(string) error { return nil }, notExist: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "clone")
			if err := c.make(dir); err != nil {
				t.Fatal(err)
			}
			repo, err := openClone(dir)
			if c.notExist {
				if !errors.Is(err, git.ErrRepositoryNotExists) {
					t.Fatalf("openClone: %v, want ErrRepositoryNotExists", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = repo.Worktree()
			if bare := errors.Is(err, git.ErrIsBareRepository); bare != c.bare {
				t.Errorf("bare: %v (Worktree: %v), want %v", bare, err, c.bare)
			}
		})
	}
}
