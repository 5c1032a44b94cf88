package gitfetch

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TreeIndex is a saved tree index (what MarshalIndex wrote) read in
// place: finding its directories walks its bytes once, and only the
// directories asked for are decoded. ChangedSince takes the old side of
// a change from it instead of inflating trees from the pack, and Patched
// moves it forward to the new commit by rewriting only the directories
// that changed.
type TreeIndex struct {
	b      []byte // without the checksum
	commit plumbing.Hash
	dirs   []indexSpan // sorted by name, as written
	start  int         // where the first record starts
}

// indexSpan is where one directory's record lies in a saved index. Its
// name points into the index: nothing is allocated per directory.
type indexSpan struct {
	name       []byte
	hash       plumbing.Hash
	start, end int
}

// dir finds directory name's record.
func (x *TreeIndex) dir(name string) (indexSpan, bool) {
	s, _, ok := x.dirAfter(name, -1)
	return s, ok
}

// dirAfter is dir trying x.dirs[after+1] first: a tree's subdirectories
// mostly come in the index's order, one after the other.
func (x *TreeIndex) dirAfter(name string, after int) (indexSpan, int, bool) {
	if i := after + 1; after >= 0 && i < len(x.dirs) && string(x.dirs[i].name) == name {
		return x.dirs[i], i, true
	}
	i, ok := slices.BinarySearchFunc(x.dirs, name, func(s indexSpan, name string) int { return strings.Compare(string(s.name), name) })
	if !ok {
		return indexSpan{}, -1, false
	}
	return x.dirs[i], i, true
}

// ReadIndex reads a saved tree index in place (b is kept, not copied).
// A damaged index, or one of another version, is ErrTreeIndex.
func ReadIndex(b []byte) (*TreeIndex, error) {
	r, commit, dirs, err := openIndex(b)
	if err != nil {
		return nil, err
	}
	x := &TreeIndex{b: b[:len(b)-4], commit: commit, dirs: make([]indexSpan, 0, dirs)}
	x.start = len(x.b) - len(r.b)
	for i := range dirs {
		start := len(x.b) - len(r.b)
		name := r.bytes()
		h := r.hash()
		for range r.count(1) {
			r.bytes()
		}
		for range r.count(2 + len(plumbing.ZeroHash)) {
			r.bytes()
			r.byte()
			r.hash()
		}
		// Sorted, without repeats: what MarshalIndex writes, and what
		// finding a directory by halves needs.
		if r.bad || i > 0 && bytes.Compare(x.dirs[i-1].name, name) >= 0 {
			return nil, ErrTreeIndex
		}
		x.dirs = append(x.dirs, indexSpan{name: name, hash: h, start: start, end: len(x.b) - len(r.b)})
	}
	if len(r.b) > 0 {
		return nil, ErrTreeIndex
	}
	return x, nil
}

// Commit is the commit whose tree the index describes.
func (x *TreeIndex) Commit() string { return x.commit.String() }

// tree returns directory dir's entries as its tree object holds them
// (base names, modes, hashes), if the index holds dir at tree hash.
func (x *TreeIndex) tree(dir string, hash plumbing.Hash) ([]object.TreeEntry, bool, error) {
	span, ok := x.dir(dir)
	if !ok || span.hash != hash {
		return nil, false, nil
	}
	// One string holds the record; names are cut from it, not each
	// allocated (55,300 of them in the benchmark's largest directory).
	raw := x.b[span.start:span.end]
	rec := string(raw)
	r := indexReader{b: raw}
	str := func() string {
		p := r.bytes()
		end := len(raw) - len(r.b)
		return rec[end-len(p) : end]
	}
	r.bytes()
	r.hash()
	base := func(name string) (string, error) {
		if dir == "" {
			return name, nil
		}
		if len(name) <= len(dir)+1 || name[:len(dir)+1] != dir+"/" {
			return "", fmt.Errorf("%w: %q is not in directory %q", ErrTreeIndex, name, dir)
		}
		return name[len(dir)+1:], nil
	}
	var out []object.TreeEntry
	last := -1
	for range r.count(1) {
		sub := str()
		s, i, ok := x.dirAfter(sub, last)
		last = i
		if !ok {
			return nil, false, fmt.Errorf("%w: directory %q of %q is missing", ErrTreeIndex, sub, dir)
		}
		name, err := base(sub)
		if err != nil {
			return nil, false, err
		}
		out = append(out, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: s.hash})
	}
	for range r.count(2 + len(plumbing.ZeroHash)) {
		name, err := base(str())
		if err != nil {
			return nil, false, err
		}
		e := object.TreeEntry{Name: name}
		switch r.byte() {
		case entryFile:
			e.Mode = filemode.Regular
		case entryExec:
			e.Mode = filemode.Executable
		case entryLink:
			e.Mode = filemode.Symlink
		case entryGitlink:
			e.Mode = filemode.Submodule
		default:
			return nil, false, fmt.Errorf("%w: bad entry in directory %q", ErrTreeIndex, dir)
		}
		e.Hash = r.hash()
		out = append(out, e)
	}
	if r.bad {
		return nil, false, fmt.Errorf("%w: directory %q cut short", ErrTreeIndex, dir)
	}
	return out, true, nil
}

// Patched returns the index of c's new commit: x with the directories c
// walked rewritten as the new commit has them, every other directory's
// record copied as it is. It reports false when x is nil, describes
// another commit than c's old one, or c reshaped the tree (a directory
// added or removed: the whole tree is read then, which writes the index).
// What it returns is what MarshalIndex gives for the new commit.
func (x *TreeIndex) Patched(c Changes) ([]byte, bool) {
	if x == nil || c.Reshaped || c.dirs == nil || x.commit != c.since {
		return nil, false
	}
	for name := range c.dirs {
		if _, ok := x.dir(name); !ok {
			return nil, false
		}
	}
	b := make([]byte, 0, len(x.b)+4)
	b = appendHeader(b, c.commit, len(x.dirs))
	// Unchanged records are copied in runs, between the changed ones.
	from := x.start
	for _, span := range x.dirs {
		t, changed := c.dirs[string(span.name)]
		if !changed {
			continue
		}
		b = append(b, x.b[from:span.start]...)
		b = appendTree(b, string(span.name), t)
		from = span.end
	}
	b = append(b, x.b[from:]...)
	return appendChecksum(b), true
}

// appendTree adds the record of tree t, found at dir, as appendDir writes
// that of TreeFiles.index's directory, without building the record first:
// a changed directory of 55,300 entries costs no allocation per entry.
// t was read whole by ChangedSince, so it parses.
func appendTree(b []byte, dir string, t rawTree) []byte {
	name := func(e rawEntry) {
		n := len(e.name)
		if dir != "" {
			n += len(dir) + 1
		}
		b = binary.AppendUvarint(b, uint64(n))
		if dir != "" {
			b = append(b, dir...)
			b = append(b, '/')
		}
		b = append(b, e.name...)
	}
	b = binary.AppendUvarint(b, uint64(len(dir)))
	b = append(b, dir...)
	b = append(b, t.hash[:]...)
	subdirs, entries := 0, 0
	_ = t.each(func(e rawEntry) error {
		switch _, ok := entryKind(e.mode); {
		case e.mode == filemode.Dir:
			subdirs++
		case ok:
			entries++
		}
		return nil
	})
	b = binary.AppendUvarint(b, uint64(subdirs))
	_ = t.each(func(e rawEntry) error {
		if e.mode == filemode.Dir {
			name(e)
		}
		return nil
	})
	b = binary.AppendUvarint(b, uint64(entries))
	_ = t.each(func(e rawEntry) error {
		if kind, ok := entryKind(e.mode); ok && e.mode != filemode.Dir {
			name(e)
			b = append(b, kind)
			b = append(b, e.hash[:]...)
		}
		return nil
	})
	return b
}

// entryKind is how the saved index keeps an entry of mode m, and whether
// it keeps it at all (TreeFiles.index keeps what it does).
func entryKind(m filemode.FileMode) (byte, bool) {
	switch {
	case m == filemode.Dir:
		return 0, true
	case m == filemode.Symlink:
		return entryLink, true
	case m == filemode.Submodule:
		return entryGitlink, true
	case m == filemode.Executable:
		return entryExec, true
	case m.IsFile():
		return entryFile, true
	}
	return 0, false
}
