package gitfetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// rawTree is a tree object's bytes, read in place: a directory of 55,300
// entries (components/ at 100,000 entities) is compared and re-encoded
// without decoding it into go-git's Tree, a string and a slot per entry.
type rawTree struct {
	hash plumbing.Hash
	data []byte
}

// rawEntry is one entry of a rawTree; name points into the tree's bytes.
type rawEntry struct {
	name []byte
	mode filemode.FileMode
	hash plumbing.Hash
}

var errBadTree = errors.New("malformed tree object")

// readRawTree reads tree h's object whole.
func readRawTree(repo *git.Repository, h plumbing.Hash) (rawTree, error) {
	obj, err := repo.Storer.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return rawTree{}, err
	}
	r, err := obj.Reader()
	if err != nil {
		return rawTree{}, err
	}
	defer r.Close()
	data := make([]byte, obj.Size())
	if _, err := io.ReadFull(r, data); err != nil {
		return rawTree{}, fmt.Errorf("read tree %s: %w", h, err)
	}
	return rawTree{hash: h, data: data}, nil
}

// each calls fn with t's entries in their order, and stops at fn's
// first error. A malformed entry is an error naming the tree.
func (t rawTree) each(fn func(rawEntry) error) error {
	b := t.data
	for len(b) > 0 {
		sp := bytes.IndexByte(b, ' ')
		nul := bytes.IndexByte(b, 0)
		if sp <= 0 || nul < sp+2 || len(b) < nul+1+len(plumbing.ZeroHash) {
			return fmt.Errorf("tree %s: %w", t.hash, errBadTree)
		}
		var mode uint32
		for _, c := range b[:sp] {
			if c < '0' || c > '7' || mode > 1<<28 {
				return fmt.Errorf("tree %s: %w: mode %q", t.hash, errBadTree, b[:sp])
			}
			mode = mode<<3 | uint32(c-'0')
		}
		e := rawEntry{name: b[sp+1 : nul], mode: filemode.FileMode(mode)}
		b = b[nul+1:]
		b = b[copy(e.hash[:], b):]
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// find returns the entry named name, if t has one.
func (t rawTree) find(name string) (rawEntry, bool, error) {
	var found rawEntry
	ok := false
	stop := errors.New("found")
	err := t.each(func(e rawEntry) error {
		if string(e.name) == name {
			found, ok = e, true
			return stop
		}
		return nil
	})
	if err != nil && err != stop {
		return rawEntry{}, false, err
	}
	return found, ok, nil
}
