package scaffold

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// UpdateBranchPrefix starts the branch an update is committed on.
const UpdateBranchPrefix = "callboard/template-update/"

// Errors of ApplyUpdate.
var (
	// ErrDirty is a project checkout with changes not committed: an
	// update would mix its own with them.
	ErrDirty = errors.New("the project has changes that are not committed")
	// ErrNotCheckout is a project that is not a git checkout.
	ErrNotCheckout = errors.New("the project is not a git checkout")
	// ErrBranchExists is an update branch made before.
	ErrBranchExists = errors.New("the update's branch exists already")
)

// UpdateBranch is the branch an update to commit is committed on.
func UpdateBranch(commit string) string {
	return UpdateBranchPrefix + shortHash(commit)
}

// Applied is an update committed in the project.
type Applied struct {
	Branch string `json:"branch"`
	Commit string `json:"commit"`
}

// ApplyUpdate writes plan and the new record into the git checkout at dir
// on a new branch, UpdateBranch(to), and commits it, conflict markers
// and all, as one commit by user. A checkout with uncommitted changes is
// refused (ErrDirty), and so is a branch made before (ErrBranchExists).
// dir may be a folder inside the checkout (a template's sourcePath).
func ApplyUpdate(ctx context.Context, dir string, plan Plan, record Record, user User, message string) (Applied, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return Applied{}, fmt.Errorf("%s: %w", dir, ErrNotCheckout)
	}
	if err != nil {
		return Applied{}, fmt.Errorf("open the checkout at %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return Applied{}, fmt.Errorf("%s: %w", dir, ErrNotCheckout)
	}
	st, err := wt.Status()
	if err != nil {
		return Applied{}, fmt.Errorf("read the status of %s: %w", dir, err)
	}
	if !st.IsClean() {
		var paths []string
		for p, s := range st {
			if s.Worktree != git.Unmodified || s.Staging != git.Unmodified {
				paths = append(paths, p)
			}
		}
		slices.Sort(paths)
		if len(paths) > 5 {
			paths = append(paths[:5], "…")
		}
		return Applied{}, fmt.Errorf("%s: %w (%s): commit or stash them first", dir, ErrDirty, strings.Join(paths, ", "))
	}
	head, err := repo.Head()
	if err != nil {
		return Applied{}, fmt.Errorf("read HEAD of %s: %w", dir, err)
	}
	branch := UpdateBranch(record.Commit)
	name := plumbing.NewBranchReferenceName(branch)
	if _, err := repo.Reference(name, false); err == nil {
		return Applied{}, fmt.Errorf("%s: %w: %s", dir, ErrBranchExists, branch)
	}
	if err := ctx.Err(); err != nil {
		return Applied{}, err
	}
	if err := wt.Checkout(&git.CheckoutOptions{Branch: name, Hash: head.Hash(), Create: true, Keep: true}); err != nil {
		return Applied{}, fmt.Errorf("make branch %s: %w", branch, err)
	}
	rel, err := filepath.Rel(wt.Filesystem.Root(), dir)
	if err != nil {
		return Applied{}, err
	}
	touched, err := WriteUpdate(dir, plan, record)
	if err != nil {
		return Applied{}, err
	}
	for _, p := range touched {
		inRepo := path.Join(filepath.ToSlash(rel), p)
		if _, err := wt.Add(inRepo); err != nil {
			if _, err := wt.Remove(inRepo); err != nil {
				return Applied{}, fmt.Errorf("git add %s: %w", inRepo, err)
			}
		}
	}
	name2, email := cmpOr(user.Name, "Callboard"), cmpOr(user.Email, "callboard@localhost")
	sig := &object.Signature{Name: name2, Email: email, When: time.Now()}
	h, err := wt.Commit(message, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		return Applied{}, fmt.Errorf("git commit: %w", err)
	}
	return Applied{Branch: branch, Commit: h.String()}, nil
}

// WriteUpdate writes plan and record into the project at dir (no git),
// confined to it, and returns the paths it wrote or removed.
func WriteUpdate(dir string, plan Plan, record Record) ([]string, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open project %s: %w", dir, err)
	}
	defer root.Close()
	var touched []string
	for _, c := range plan.Files {
		if c.Do == FileRename || c.Do == FileRemove {
			from := c.From
			if c.Do == FileRemove {
				from = c.Path
			}
			if err := root.Remove(filepath.FromSlash(from)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return touched, fmt.Errorf("remove %s: %w", from, err)
			}
			touched = append(touched, from)
		}
		if !c.Writes() {
			continue
		}
		if err := writeInto(root, c); err != nil {
			return touched, err
		}
		touched = append(touched, c.Path)
	}
	b, err := record.Encode()
	if err != nil {
		return touched, err
	}
	if err := root.MkdirAll(path.Dir(RecordPath), 0o755); err != nil {
		return touched, fmt.Errorf("write %s: %w", RecordPath, err)
	}
	if err := root.WriteFile(filepath.FromSlash(RecordPath), b, 0o644); err != nil {
		return touched, fmt.Errorf("write %s: %w", RecordPath, err)
	}
	return append(touched, RecordPath), nil
}

func writeInto(root *os.Root, c FileChange) error {
	p := filepath.FromSlash(c.Path)
	if d := filepath.Dir(p); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("write %s: %w", c.Path, err)
		}
	}
	if err := root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %w", c.Path, err)
	}
	if c.link != "" {
		if err := root.Symlink(c.link, p); err != nil {
			return fmt.Errorf("write %s: %w", c.Path, err)
		}
		return nil
	}
	mode := fs.FileMode(0o644)
	if c.Exec {
		mode = 0o755
	}
	if err := root.WriteFile(p, c.Merged, mode); err != nil {
		return fmt.Errorf("write %s: %w", c.Path, err)
	}
	return root.Chmod(p, mode)
}
