package treediff

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// Bounds on what a tree keeps in memory: the contents of a file are kept
// (for a line diff) only up to maxDiffFile bytes and maxKept bytes in all;
// past them a file is compared by its hash alone.
const (
	maxDiffFile = 1 << 20
	maxKept     = 64 << 20
)

// File is one file of a tree: a regular file or a symbolic link.
type File struct {
	Size int64
	Exec bool
	// Link is a symbolic link's target; "" for a regular file.
	Link string
	Hash [sha256.Size]byte
	// Data is the content when it was kept (text or binary, within the
	// bounds); nil otherwise.
	Data []byte
}

// Binary says whether the content looks binary: a NUL byte in its first
// 8000 bytes, as git decides.
func (f File) Binary() bool {
	return bytes.IndexByte(f.Data[:min(len(f.Data), 8000)], 0) >= 0
}

// Tree is the files of a folder by slash-separated path; folders are not
// entries (git keeps no empty ones, so a golden folder cannot either).
type Tree struct {
	Files map[string]File
	kept  int64
	// src is what Read read, for the contents not kept.
	src fs.FS
}

// Read reads every file under fsys. Paths for which skip returns true
// (nil: none) are left out, and so is everything under a skipped folder.
func Read(fsys fs.FS, skip func(p string) bool) (*Tree, error) {
	t := &Tree{Files: map[string]File{}, src: fsys}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if skip != nil && skip(p) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			target, err := fs.ReadLink(fsys, p)
			if err != nil {
				return err
			}
			t.Files[p] = File{Link: target, Hash: sha256.Sum256([]byte(target))}
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: not a regular file (%s)", p, d.Type())
		}
		return t.readFile(fsys, p)
	})
	if err != nil {
		return nil, fmt.Errorf("read the tree: %w", err)
	}
	return t, nil
}

func (t *Tree) readFile(fsys fs.FS, p string) error {
	f, err := fsys.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	file := File{Size: fi.Size(), Exec: fi.Mode()&0o111 != 0}
	h := sha256.New()
	var buf bytes.Buffer
	w := io.Writer(h)
	keep := fi.Size() <= maxDiffFile && t.kept+fi.Size() <= maxKept
	if keep {
		w = io.MultiWriter(h, &buf)
	}
	n, err := io.Copy(w, f)
	if err != nil {
		return fmt.Errorf("read %s: %w", p, err)
	}
	file.Size = n
	if keep && n <= maxDiffFile {
		file.Data = buf.Bytes()
		t.kept += n
	}
	copy(file.Hash[:], h.Sum(nil))
	t.Files[p] = file
	return nil
}

// Add adds a regular file that is not on disk (the run's outputs).
func (t *Tree) Add(p string, data []byte) error {
	if _, ok := t.Files[p]; ok {
		return fmt.Errorf("%s: the tree has this file already", p)
	}
	t.Files[p] = File{Size: int64(len(data)), Hash: sha256.Sum256(data), Data: data}
	return nil
}

// content returns a regular file's bytes, read again when not kept.
func (t *Tree) content(p string) ([]byte, error) {
	f := t.Files[p]
	if f.Data != nil || f.Size == 0 {
		return f.Data, nil
	}
	if t.src == nil {
		return nil, fmt.Errorf("%s: content not kept", p)
	}
	return fs.ReadFile(t.src, p)
}

// ErrUnsafePath is a path that leaves the folder it is written into.
var ErrUnsafePath = errors.New("path leaves the folder")

// checkPath refuses a path that is not a clean relative one.
func checkPath(p string) error {
	if !fs.ValidPath(p) || p == "." || strings.Contains(p, `\`) || path.Clean(p) != p {
		return fmt.Errorf("%q: %w", p, ErrUnsafePath)
	}
	return nil
}
