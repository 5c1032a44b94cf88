package gitfetch

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// objectCache is the size of go-git's cache of decoded objects (and
// delta bases) for each handle on a clone. Its default, 96 MiB a handle
// and a handle per core, fills during a first sync with blobs read once
// and never again: at 100,000 entities it held most of go-git's share of
// the peak (BENCHMARKS.md, issue 20). Delta chains of catalog files are
// short, so a small cache keeps their bases: 1 MiB took a first sync of
// 10,000 entities from 119-131 to 111-119 MiB at its peak, its CPU and
// the history benchmark's within their runs' spread.
const objectCache = 1 << 20

// largeObject is the size above which go-git streams an object from its
// pack instead of inflating it into a growing buffer it then copies: no
// larger one fits the object cache anyway. A one-file change below a
// folder of 55,300 entries makes a new 2.4 MB tree that ChangedSince
// reads; go-git's buffered path spent about 55 ms of CPU on it
// (BENCHMARKS.md, issue 20).
const largeObject = objectCache

// openClone is git.PlainOpen with a bounded object cache. It returns
// git.ErrRepositoryNotExists when dir holds no repository.
func openClone(dir string) (*git.Repository, error) {
	dot, wt := dir, billy.Filesystem(nil)
	if fi, err := os.Stat(filepath.Join(dir, git.GitDirName)); err == nil {
		if !fi.IsDir() {
			return git.PlainOpen(dir) // a .git file: let go-git follow it
		}
		dot, wt = filepath.Join(dir, git.GitDirName), osfs.New(dir)
	}
	if _, err := os.Stat(dot); errors.Is(err, os.ErrNotExist) {
		return nil, git.ErrRepositoryNotExists
	} else if err != nil {
		return nil, err
	}
	st := filesystem.NewStorageWithOptions(osfs.New(dot), cache.NewObjectLRU(objectCache), filesystem.Options{LargeObjectThreshold: largeObject})
	return git.Open(st, wt)
}
