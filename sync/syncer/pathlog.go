package syncer

import (
	"container/heap"
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// maxHistoryWalk is how many commits one history walk reads at most: a
// file changed only at the root of a long history ends the walk there
// rather than reading every commit.
const maxHistoryWalk = 50_000

// pathChange is a commit that changed the path, with the blob the path
// held there (zero when the commit removed it). Boundary marks a shallow
// commit, whose parents the clone lacks: it holds the path, but whether
// it changed it is not known.
type pathChange struct {
	Commit   *object.Commit
	Blob     plumbing.Hash
	Boundary bool
}

// pathLog finds, newest first, up to n commits reachable from head that
// changed path, as `git log -- path` does with its default history
// simplification: a merge whose path equals one parent's follows only that
// parent. Rather than diffing whole trees (go-git's Log with FileName), it
// reads the trees on the path only, and each of those once per walk, so a
// commit costs a few tree lookups whatever the repository's size.
//
// The commits in shallow are read as git reads a shallow clone's: as if
// they had no parents. cut says the walk reached one of them, so older
// changes may exist that the clone does not hold.
func pathLog(ctx context.Context, s storer.EncodedObjectStorer, head plumbing.Hash, path string, n int, shallow map[plumbing.Hash]bool) (out []pathChange, cut bool, err error) {
	w := &pathWalker{s: s, parts: strings.Split(path, "/"), memo: map[levelKey]plumbing.Hash{}}
	start, err := object.GetCommit(s, head)
	if err != nil {
		return nil, false, fmt.Errorf("read commit %s: %w", head, err)
	}
	q := &commitQueue{}
	seen := map[plumbing.Hash]bool{head: true}
	heap.Push(q, start)
	for walked := 0; q.Len() > 0 && len(out) < n && walked < maxHistoryWalk; walked++ {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		c := heap.Pop(q).(*object.Commit)
		h, err := w.blobAt(c)
		if err != nil {
			return nil, false, err
		}
		parentHashes, boundary := c.ParentHashes, shallow[c.Hash]
		if boundary {
			cut, parentHashes = true, nil
		}
		parents := make([]*object.Commit, 0, len(parentHashes))
		same := -1
		for _, ph := range parentHashes {
			p, err := object.GetCommit(s, ph)
			if err != nil {
				return nil, false, fmt.Errorf("read commit %s: %w", ph, err)
			}
			pb, err := w.blobAt(p)
			if err != nil {
				return nil, false, err
			}
			if pb == h && same < 0 {
				same = len(parents)
			}
			parents = append(parents, p)
		}
		if same >= 0 {
			// Unchanged here: only the parent it came from unchanged explains it.
			parents = parents[same : same+1]
		} else if len(parents) > 0 || !h.IsZero() {
			out = append(out, pathChange{Commit: c, Blob: h, Boundary: boundary})
		}
		for _, p := range parents {
			if !seen[p.Hash] {
				seen[p.Hash] = true
				heap.Push(q, p)
			}
		}
	}
	return out, cut, nil
}

// levelKey is a tree at one level of the path being looked up.
type levelKey struct {
	tree  plumbing.Hash
	level int
}

// pathWalker resolves one path in many commits, remembering what each
// tree on the way holds for it: consecutive commits share most of them.
type pathWalker struct {
	s     storer.EncodedObjectStorer
	parts []string
	memo  map[levelKey]plumbing.Hash
}

// blobAt is the hash path names at commit c, zero when it names no file.
func (w *pathWalker) blobAt(c *object.Commit) (plumbing.Hash, error) {
	h := c.TreeHash
	for i, part := range w.parts {
		key := levelKey{h, i}
		if next, ok := w.memo[key]; ok {
			h = next
		} else {
			t, err := object.GetTree(w.s, h)
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("read tree %s of commit %s: %w", h, c.Hash, err)
			}
			h = entryOf(t, part, i == len(w.parts)-1)
			w.memo[key] = h
		}
		if h.IsZero() {
			return h, nil
		}
	}
	return h, nil
}

// entryOf is the hash of t's entry name: a folder unless last, a file
// (not a symlink or submodule) if last; zero otherwise.
func entryOf(t *object.Tree, name string, last bool) plumbing.Hash {
	e, err := t.FindEntry(name)
	if err != nil {
		return plumbing.ZeroHash
	}
	switch {
	case !last && e.Mode == filemode.Dir,
		last && (e.Mode == filemode.Regular || e.Mode == filemode.Executable || e.Mode == filemode.Deprecated):
		return e.Hash
	}
	return plumbing.ZeroHash
}

// commitQueue orders commits newest (by committer time) first, as git log does.
type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	return q[i].Committer.When.After(q[j].Committer.When)
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return c
}
