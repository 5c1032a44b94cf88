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

	since, commit plumbing.Hash
	// dirs are the new commit's trees of the directories whose trees
	// differ, for TreeIndex.Patched; nil when no index was given.
	dirs map[string]rawTree
}

// ChangedSince compares the tree of commit old with h's. Only directories
// whose tree hash differs are read (go-git's tree diff reads every
// subtree of a directory it enters), so a commit that changed one file
// of 80,000 costs a few tree reads. With idx, the saved index of old's
// tree, the old side of each of those directories comes from idx rather
// than the pack (a large directory's tree is then not inflated twice),
// and the Changes can move idx forward (TreeIndex.Patched); an index of
// another commit is not used, nor is one of its directories whose hash is
// not old's. An error means old or a tree could not be read (the clone
// may not hold old any more).
func (h Head) ChangedSince(ctx context.Context, old string, idx *TreeIndex) (Changes, error) {
	from, err := h.repo.CommitObject(plumbing.NewHash(old))
	if err != nil {
		return Changes{}, fmt.Errorf("read commit %s: %w", old, err)
	}
	to, err := h.repo.CommitObject(h.Commit)
	if err != nil {
		return Changes{}, fmt.Errorf("read commit %s: %w", h.Commit, Corrupt(err))
	}
	out := Changes{since: from.Hash, commit: h.Commit}
	if idx != nil && idx.commit != from.Hash {
		idx = nil
	}
	if idx != nil {
		out.dirs = map[string]rawTree{}
	}
	d := differ{repo: h.repo, idx: idx, out: &out}
	if err := d.trees(ctx, from.TreeHash, to.TreeHash, ""); err != nil {
		return Changes{}, fmt.Errorf("compare commits %s and %s: %w", old, h.Commit, err)
	}
	if out.Reshaped || d.idx == nil {
		out.dirs = nil
	}
	return out, nil
}

// differ compares two commits' trees into out, reading the old side from
// idx where it can.
type differ struct {
	repo *git.Repository
	idx  *TreeIndex
	out  *Changes
}

// old returns the old side's tree a, found at dir. An index that does
// not hold a there, though it says it describes the old commit, is
// damaged: it is dropped, and the pack read instead.
func (d *differ) old(a plumbing.Hash, dir string) ([]object.TreeEntry, error) {
	if d.idx != nil {
		entries, ok, err := d.idx.tree(dir, a)
		if err == nil && ok {
			return entries, nil
		}
		d.idx = nil
	}
	t, err := d.repo.TreeObject(a)
	if err != nil {
		return nil, err
	}
	return t.Entries, nil
}

// trees adds to out what differs between trees a and b, found at dir.
func (d *differ) trees(ctx context.Context, a, b plumbing.Hash, dir string) error {
	if a == b {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	was, err := d.old(a, dir)
	if err != nil {
		return err
	}
	// The new side is compared as its object's bytes: the old side comes
	// mostly in the same order, so an entry is found by a cursor, and by
	// a map of the old side only when that misses.
	tb, err := readRawTree(d.repo, b)
	if err != nil {
		return Corrupt(err)
	}
	out := d.out
	if out.dirs != nil {
		out.dirs[dir] = tb
	}
	var byName map[string]int
	find := func(name []byte, next int) int {
		if next < len(was) && was[next].Name == string(name) {
			return next
		}
		if byName == nil {
			byName = make(map[string]int, len(was))
			for i, e := range was {
				byName[e.Name] = i
			}
		}
		if i, ok := byName[string(name)]; ok {
			return i
		}
		return -1
	}
	n, next := 0, 0
	var below error // from a subdirectory's comparison, returned as it is
	err = tb.each(func(e rawEntry) error {
		n++
		i := find(e.name, next)
		if i < 0 || kind(was[i].Mode) != kind(e.mode) {
			out.Reshaped = true
			return nil
		}
		next = i + 1
		switch {
		case was[i].Hash == e.hash:
		case e.mode == filemode.Dir:
			below = d.trees(ctx, was[i].Hash, e.hash, join(dir, string(e.name)))
			return below
		default:
			out.Modified = append(out.Modified, join(dir, string(e.name)))
		}
		return nil
	})
	if below != nil {
		return below
	}
	if err != nil {
		return Corrupt(err)
	}
	if n != len(was) {
		out.Reshaped = true
	}
	return nil
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// kind is what a tree entry's mode makes it for the catalog: an
// executable, or a group-writable file of git's early days, is read as
// any file is.
func kind(m filemode.FileMode) filemode.FileMode {
	if m == filemode.Executable || m == filemode.Deprecated {
		return filemode.Regular
	}
	return m
}
