package gitfetch

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/utils/merkletrie"
)

// Changes are the files that differ between two commits' trees.
type Changes struct {
	// Modified are the files at the same path in both trees, of the same
	// kind, whose contents differ.
	Modified []string
	// Reshaped is true when a path was added or removed, or changed kind
	// (a file that became a link or a directory): what globs match and
	// which targets exist may then differ too.
	Reshaped bool
}

// ChangedSince compares the tree of commit old with h's. Directories whose
// tree hash is the same in both are not read, so a commit that changed one
// file of 80,000 costs a few tree reads. An error means old or a tree
// could not be read (the clone may not hold old any more).
func (h Head) ChangedSince(ctx context.Context, old string) (Changes, error) {
	from, err := h.repo.CommitObject(plumbing.NewHash(old))
	if err != nil {
		return Changes{}, fmt.Errorf("read commit %s: %w", old, err)
	}
	to, err := h.repo.CommitObject(h.Commit)
	if err != nil {
		return Changes{}, fmt.Errorf("read commit %s: %w", h.Commit, Corrupt(err))
	}
	a, err := from.Tree()
	if err != nil {
		return Changes{}, fmt.Errorf("read tree of commit %s: %w", old, err)
	}
	b, err := to.Tree()
	if err != nil {
		return Changes{}, fmt.Errorf("read tree of commit %s: %w", h.Commit, Corrupt(err))
	}
	diff, err := a.DiffContext(ctx, b)
	if err != nil {
		return Changes{}, fmt.Errorf("compare commits %s and %s: %w", old, h.Commit, err)
	}
	var out Changes
	for _, c := range diff {
		action, err := c.Action()
		if err != nil {
			return Changes{}, fmt.Errorf("compare commits %s and %s: %w", old, h.Commit, err)
		}
		if action != merkletrie.Modify || c.From.Name != c.To.Name || kind(c.From.TreeEntry.Mode) != kind(c.To.TreeEntry.Mode) {
			out.Reshaped = true
			continue
		}
		out.Modified = append(out.Modified, c.To.Name)
	}
	return out, nil
}

// kind is what a tree entry's mode makes it for the catalog: an executable
// is read as any file is.
func kind(m filemode.FileMode) filemode.FileMode {
	if m == filemode.Executable {
		return filemode.Regular
	}
	return m
}
