package gitfetch

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
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

// ChangedSince compares the tree of commit old with h's. Only directories
// whose tree hash differs are read (go-git's tree diff reads every
// subtree of a directory it enters), so a commit that changed one file
// of 80,000 costs a few tree reads. An error means old or a tree could
// not be read (the clone may not hold old any more).
func (h Head) ChangedSince(ctx context.Context, old string) (Changes, error) {
	from, err := h.repo.CommitObject(plumbing.NewHash(old))
	if err != nil {
		return Changes{}, fmt.Errorf("read commit %s: %w", old, err)
	}
	to, err := h.repo.CommitObject(h.Commit)
	if err != nil {
		return Changes{}, fmt.Errorf("read commit %s: %w", h.Commit, Corrupt(err))
	}
	var out Changes
	if err := diffTrees(ctx, h.repo, from.TreeHash, to.TreeHash, "", &out); err != nil {
		return Changes{}, fmt.Errorf("compare commits %s and %s: %w", old, h.Commit, err)
	}
	return out, nil
}

// diffTrees adds to out what differs between trees a and b, found at dir.
func diffTrees(ctx context.Context, repo *git.Repository, a, b plumbing.Hash, dir string, out *Changes) error {
	if a == b {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ta, err := repo.TreeObject(a)
	if err != nil {
		return err
	}
	tb, err := repo.TreeObject(b)
	if err != nil {
		return Corrupt(err)
	}
	if len(ta.Entries) != len(tb.Entries) {
		out.Reshaped = true
	}
	byName := make(map[string]object.TreeEntry, len(ta.Entries))
	for _, e := range ta.Entries {
		byName[e.Name] = e
	}
	for _, e := range tb.Entries {
		was, ok := byName[e.Name]
		switch {
		case !ok || kind(was.Mode) != kind(e.Mode):
			out.Reshaped = true
		case was.Hash == e.Hash:
		case e.Mode == filemode.Dir:
			if err := diffTrees(ctx, repo, was.Hash, e.Hash, join(dir, e.Name), out); err != nil {
				return err
			}
		default:
			out.Modified = append(out.Modified, join(dir, e.Name))
		}
	}
	return nil
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// kind is what a tree entry's mode makes it for the catalog: an executable
// is read as any file is.
func kind(m filemode.FileMode) filemode.FileMode {
	if m == filemode.Executable {
		return filemode.Regular
	}
	return m
}
