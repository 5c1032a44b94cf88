package gitinsights

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// goGit reads a repository with go-git, for machines without git. Its Log
// walks every commit once and compares the folder's tree with the
// parents', far cheaper than go-git's own path-filtered log (a tree diff
// per commit), but still seconds on 10,000 commits.
//
// Each call opens the repository anew: a go-git Repository is not safe
// for concurrent use, and the calls of one render run in parallel.
type goGit struct {
	clone string
}

var _ history = (*goGit)(nil)

// newGoGit reads the repository at clone, bare or a working tree.
func newGoGit(clone string) *goGit { return &goGit{clone: clone} }

// open opens the repository and finds rev in it.
func (g *goGit) open(rev string) (*git.Repository, *object.Commit, error) {
	r, err := git.PlainOpen(g.clone)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", g.clone, err)
	}
	h := plumbing.NewHash(rev)
	if len(rev) != 40 { // HEAD or an abbreviated hash
		resolved, err := r.ResolveRevision(plumbing.Revision(rev))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w: %w", rev, errNoCommit, err)
		}
		h = *resolved
	}
	c, err := r.CommitObject(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, nil, fmt.Errorf("%s: %w", rev, errNoCommit)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("commit %s: %w", rev, err)
	}
	return r, c, nil
}

func (g *goGit) Tip(_ context.Context, rev string) (tip, error) {
	_, c, err := g.open(rev)
	if err != nil {
		return tip{}, err
	}
	return tip{Hash: c.Hash.String(), Committed: c.Committer.When}, nil
}

func (g *goGit) Log(ctx context.Context, rev, folder string) ([]commit, error) {
	r, c, err := g.open(rev)
	if err != nil {
		return nil, err
	}
	// A shallow clone's shallow commits are read as git reads them: as
	// roots, their parents (absent, or cut off) never visited.
	shallows, err := r.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read the shallow commits of %s: %w", g.clone, err)
	}
	root := map[plumbing.Hash]bool{}
	var cutOff []plumbing.Hash
	for _, h := range shallows {
		root[h] = true
		if s, err := r.CommitObject(h); err == nil {
			cutOff = append(cutOff, s.ParentHashes...)
		}
	}
	// The folder's tree hash by commit; zero when the folder is absent.
	folderHash := map[plumbing.Hash]plumbing.Hash{}
	hashOf := func(c *object.Commit) (plumbing.Hash, error) {
		if h, ok := folderHash[c.Hash]; ok {
			return h, nil
		}
		h := c.TreeHash
		if folder != "" {
			t, err := c.Tree()
			if err != nil {
				return h, fmt.Errorf("commit %s: %w", c.Hash, err)
			}
			e, err := t.FindEntry(folder)
			switch {
			case errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound):
				h = plumbing.ZeroHash
			case err != nil:
				return h, fmt.Errorf("commit %s: %w", c.Hash, err)
			default:
				h = e.Hash
			}
		}
		folderHash[c.Hash] = h
		return h, nil
	}
	var commits []commit
	iter := object.NewCommitIterCTime(c, nil, cutOff)
	defer iter.Close()
	err = iter.ForEach(func(c *object.Commit) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		changed := true
		if folder != "" {
			// As git log with a path: a commit shows when the folder
			// differs from every parent's (or, for a root commit, exists).
			h, err := hashOf(c)
			if err != nil {
				return err
			}
			changed = !h.IsZero()
			if !root[c.Hash] {
				err = c.Parents().ForEach(func(p *object.Commit) error {
					ph, err := hashOf(p)
					if ph == h {
						changed = false
					}
					return err
				})
				if err != nil {
					return err
				}
			}
		}
		if changed {
			commits = append(commits, commit{Hash: c.Hash.String(), Author: valid(c.Author.Name), Email: valid(c.Author.Email), When: c.Author.When, Subject: valid(subject(c.Message))})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("log %s: %w", rev, err)
	}
	return commits, nil
}

// walk calls fn with the path and entry of every file under folder at rev.
func (g *goGit) walk(ctx context.Context, rev, folder string, fn func(r *git.Repository, p string, e object.TreeEntry) error) error {
	r, c, err := g.open(rev)
	if err != nil {
		return err
	}
	t, err := c.Tree()
	if err != nil {
		return fmt.Errorf("commit %s: %w", rev, err)
	}
	prefix := ""
	if folder != "" {
		if t, err = t.Tree(folder); errors.Is(err, object.ErrDirectoryNotFound) {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s at %s: %w", folder, rev, err)
		}
		prefix = folder + "/"
	}
	w := object.NewTreeWalker(t, true, nil)
	defer w.Close()
	for {
		name, e, err := w.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("walk %s at %s: %w", folder, rev, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.Mode == filemode.Dir || e.Mode == filemode.Submodule {
			continue
		}
		if err := fn(r, prefix+name, e); err != nil {
			return err
		}
	}
}

func (g *goGit) Paths(ctx context.Context, rev, folder string) ([]string, error) {
	var paths []string
	err := g.walk(ctx, rev, folder, func(_ *git.Repository, p string, _ object.TreeEntry) error {
		paths = append(paths, p)
		return nil
	})
	return paths, err
}

func (g *goGit) Lines(ctx context.Context, rev, folder string) (map[string]int, error) {
	lines := map[string]int{}
	err := g.walk(ctx, rev, folder, func(r *git.Repository, p string, e object.TreeEntry) error {
		if e.Mode == filemode.Symlink || languageOf(strings.TrimPrefix(p, folder+"/")) == "" {
			return nil
		}
		b, err := r.BlobObject(e.Hash)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		rd, err := b.Reader()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		data, err := io.ReadAll(rd)
		rd.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if n, binary := countLines(data); !binary && n > 0 {
			lines[p] = n
		}
		return nil
	})
	return lines, err
}

func (g *goGit) Read(_ context.Context, rev string, paths []string) (string, []byte, error) {
	_, c, err := g.open(rev)
	if err != nil {
		return "", nil, err
	}
	t, err := c.Tree()
	if err != nil {
		return "", nil, fmt.Errorf("commit %s: %w", rev, err)
	}
	for _, p := range paths {
		f, err := t.File(p)
		if errors.Is(err, object.ErrFileNotFound) || errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) {
			continue
		}
		if err != nil {
			return "", nil, fmt.Errorf("%s at %s: %w", p, rev, err)
		}
		s, err := f.Contents()
		if err != nil {
			return "", nil, fmt.Errorf("%s at %s: %w", p, rev, err)
		}
		return p, []byte(s), nil
	}
	return "", nil, nil
}

// subject is a commit message's subject as git log's %s writes it: the
// first paragraph on one line.
func subject(msg string) string {
	para, _, _ := strings.Cut(strings.TrimLeft(msg, "\n"), "\n\n")
	lines := strings.Split(strings.TrimSpace(para), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, " ")
}
