package gitfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Options say what to fetch and where to keep it.
type Options struct {
	URL string
	// Branch to follow; "" follows the remote's default branch.
	Branch string
	// Dir holds the bare clone.
	Dir string
	// Progress receives the remote's progress messages; may be nil.
	Progress io.Writer
}

// Head is the result of a fetch: the commit at the tip of the branch.
type Head struct {
	Branch string
	Commit plumbing.Hash
	repo   *git.Repository
}

// Fetch clones opts.URL into opts.Dir on first use and fetches the branch
// afterwards; it returns the branch tip. Network errors are returned wrapped
// with the URL; the clone on disk is left as it was.
func Fetch(ctx context.Context, opts Options) (Head, error) {
	repo, err := git.PlainOpen(opts.Dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return clone(ctx, opts)
	}
	if err != nil {
		return Head{}, fmt.Errorf("open clone %s: %w", opts.Dir, err)
	}
	branch := opts.Branch
	if branch == "" {
		ref, err := repo.Head()
		if err != nil {
			return Head{}, fmt.Errorf("read HEAD of clone %s: %w", opts.Dir, err)
		}
		branch = ref.Name().Short()
	}
	name := plumbing.NewBranchReferenceName(branch)
	err = repo.FetchContext(ctx, &git.FetchOptions{
		// The location's URL wins over the clone's: the user may have changed it.
		RemoteURL: opts.URL,
		RefSpecs:  []config.RefSpec{config.RefSpec("+" + name + ":" + name)},
		Force:     true,
		Progress:  opts.Progress,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return Head{}, fmt.Errorf("fetch %s branch %s: %w", opts.URL, branch, err)
	}
	ref, err := repo.Reference(name, true)
	if err != nil {
		return Head{}, fmt.Errorf("resolve branch %s of %s: %w", branch, opts.URL, err)
	}
	return Head{Branch: branch, Commit: ref.Hash(), repo: repo}, nil
}

func clone(ctx context.Context, opts Options) (Head, error) {
	co := &git.CloneOptions{URL: opts.URL, SingleBranch: true, Progress: opts.Progress, Tags: git.NoTags}
	if opts.Branch != "" {
		co.ReferenceName = plumbing.NewBranchReferenceName(opts.Branch)
	}
	repo, err := git.PlainCloneContext(ctx, opts.Dir, true, co)
	if err != nil {
		// A half-written clone would be mistaken for a good one next time.
		_ = os.RemoveAll(opts.Dir)
		return Head{}, fmt.Errorf("clone %s: %w", opts.URL, err)
	}
	ref, err := repo.Head()
	if err != nil {
		return Head{}, fmt.Errorf("read HEAD of %s: %w", opts.URL, err)
	}
	return Head{Branch: ref.Name().Short(), Commit: ref.Hash(), repo: repo}, nil
}

// Files returns the files of the head commit.
func (h Head) Files() (*TreeFiles, error) {
	c, err := h.repo.CommitObject(h.Commit)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h.Commit, err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of commit %s: %w", h.Commit, err)
	}
	return &TreeFiles{tree: t}, nil
}

// TreeFiles reads files from one commit's tree. It is safe for concurrent
// use: go-git's object storage is not, so reads take turns.
type TreeFiles struct {
	mu   sync.Mutex
	tree *object.Tree
	list []string
}

func (t *TreeFiles) file(name string) (*object.File, error) {
	f, err := t.tree.File(name)
	if errors.Is(err, object.ErrFileNotFound) || errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !f.Mode.IsFile() || f.Mode == filemode.Symlink {
		// A symlink's blob is the link's text; following it could leave the repository.
		return nil, fmt.Errorf("%s is a symbolic link or submodule, not a file: %w", name, fs.ErrNotExist)
	}
	return f, nil
}

// Size returns the size of the file at name.
func (t *TreeFiles) Size(name string) (int64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := t.file(name)
	if err != nil {
		return 0, err
	}
	return f.Size, nil
}

// List returns the names of every file of the tree.
func (t *TreeFiles) List() ([]string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.list != nil {
		return t.list, nil
	}
	list := []string{}
	err := t.tree.Files().ForEach(func(f *object.File) error {
		if f.Mode.IsFile() && f.Mode != filemode.Symlink {
			list = append(list, f.Name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	t.list = list
	return list, nil
}

// ReadFile returns the contents of the file at name; a missing file gives
// an error wrapping fs.ErrNotExist.
func (t *TreeFiles) ReadFile(name string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := t.file(name)
	if err != nil {
		return nil, err
	}
	r, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer r.Close()
	return io.ReadAll(r)
}
