package gitfetch

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/app/catalog"
)

// PathFiles reads files of one commit by path, reading the trees on the
// way to each rather than indexing the whole tree as TreeFiles does: for
// reading a few files of a large tree. It cannot list files. It is safe
// for concurrent use; reads take turns on the one repository handle.
type PathFiles struct {
	mu      sync.Mutex
	repo    *git.Repository
	root    *object.Tree
	dirs    map[string]rawTree // trees already read, by directory (PathFilesWith)
	damaged atomic.Int64
}

// PathFiles returns the files of the head commit, read by path.
func (h Head) PathFiles() (*PathFiles, error) {
	c, err := h.repo.CommitObject(h.Commit)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h.Commit, Corrupt(err))
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of commit %s: %w", h.Commit, Corrupt(err))
	}
	return &PathFiles{repo: h.repo, root: t}, nil
}

// PathFilesWith is PathFiles reusing the trees c read of h's commit (the
// directories whose trees changed): a file of a changed directory is then
// found without inflating and decoding the trees on its path again — at
// 100,000 entities a directory's tree is tens of thousands of entries,
// the largest part of a one-file change's CPU.
func (h Head) PathFilesWith(c Changes) (*PathFiles, error) {
	p, err := h.PathFiles()
	if err == nil && c.commit == h.Commit {
		p.dirs = c.dirs
	}
	return p, err
}

// entry finds the tree entry at name; the caller holds p.mu.
func (p *PathFiles) entry(name string) (*object.TreeEntry, error) {
	if t, ok := p.dirs[path.Dir(name)]; ok && name != "" {
		e, found, err := t.find(path.Base(name))
		switch {
		case err != nil:
			return nil, err
		case !found:
			return nil, object.ErrEntryNotFound
		}
		return &object.TreeEntry{Name: string(e.name), Mode: e.mode, Hash: e.hash}, nil
	}
	return p.root.FindEntry(name)
}

// file finds the blob of the file at name; the caller holds p.mu.
func (p *PathFiles) file(name string) (*object.Blob, error) {
	e, err := p.entry(name)
	if errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	if err != nil {
		p.damaged.Add(1)
		return nil, fmt.Errorf("%s: %w", name, Corrupt(err))
	}
	switch {
	case e.Mode == filemode.Symlink:
		return nil, fmt.Errorf("%s: %w", name, errors.Join(catalog.ErrSymlink, fs.ErrNotExist))
	case !e.Mode.IsFile():
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	b, err := p.repo.BlobObject(e.Hash)
	if err != nil {
		p.damaged.Add(1)
		return nil, fmt.Errorf("%s: %w", name, Corrupt(err))
	}
	return b, nil
}

// Hash returns the blob id of the file at name, or "" when there is none.
func (p *PathFiles) Hash(name string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, err := p.entry(name)
	if err != nil || !e.Mode.IsFile() || e.Mode == filemode.Symlink {
		return ""
	}
	return e.Hash.String()
}

// Size returns the size of the file at name.
func (p *PathFiles) Size(name string) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, err := p.file(name)
	if err != nil {
		return 0, err
	}
	return b.Size, nil
}

// List is refused: PathFiles reads files it is asked for by name.
func (p *PathFiles) List() ([]string, error) {
	return nil, errors.New("the files of this commit are read by path and cannot be listed")
}

// ReadFile returns the contents of the file at name.
func (p *PathFiles) ReadFile(name string) ([]byte, error) { return p.ReadFileMax(name, -1) }

// ReadFileMax is ReadFile for files of at most limit bytes (no limit when
// negative).
func (p *PathFiles) ReadFileMax(name string, limit int64) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, err := p.file(name)
	if err != nil {
		return nil, err
	}
	return readBlob(b, name, limit, &p.damaged)
}

// Damaged reports whether a read failed on damaged local data.
func (p *PathFiles) Damaged() bool { return p.damaged.Load() > 0 }
