package gitfetch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// treeIndexVersion is written first, so an index of another version is
// not misread: it is refused, and the tree read again. Version 2 added
// the commit the index describes, and the hashes of links and submodules
// (so a directory's entries can stand in for its tree object).
const treeIndexVersion = 2

// ErrTreeIndex means a saved tree index is not one this code wrote, or
// was damaged on disk.
var ErrTreeIndex = errors.New("not a tree index")

// Kinds of a directory entry in a saved index.
const (
	entryFile = iota
	entryExec
	entryLink
	entryGitlink
)

// indexEntry is one file, link or submodule of a directory in a saved
// index.
type indexEntry struct {
	name string // full name
	kind byte
	hash plumbing.Hash
}

// appendHeader starts an index of commit's tree with dirs directories.
func appendHeader(b []byte, commit plumbing.Hash, dirs int) []byte {
	b = binary.AppendUvarint(b, treeIndexVersion)
	b = append(b, commit[:]...)
	return binary.AppendUvarint(b, uint64(dirs))
}

// appendDir adds one directory's record: the one encoding both
// MarshalIndex and TreeIndex.Patched write, so they agree byte for byte.
func appendDir(b []byte, name string, hash plumbing.Hash, subdirs []string, entries []indexEntry) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str(name)
	b = append(b, hash[:]...)
	b = binary.AppendUvarint(b, uint64(len(subdirs)))
	for _, s := range subdirs {
		str(s)
	}
	b = binary.AppendUvarint(b, uint64(len(entries)))
	for _, e := range entries {
		str(e.name)
		b = append(b, e.kind)
		b = append(b, e.hash[:]...)
	}
	return b
}

func appendChecksum(b []byte) []byte {
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// MarshalIndex returns t's index of its commit's tree (the commit, every
// directory with its tree hash, every entry with its hash), for a later
// process to give FilesSince as prev, and ChangedSince to read the old
// side of a change from: a new process then reads only the directories
// that changed since, not the whole tree. The encoding is compact
// (length-prefixed names and raw hashes), its directories sorted by name,
// and ends in a CRC-32.
func (t *TreeFiles) MarshalIndex() []byte {
	b := make([]byte, 0, 64*len(t.blobs)+32*len(t.dirs))
	b = appendHeader(b, t.commit, len(t.dirs))
	var entries []indexEntry
	for _, name := range slices.Sorted(maps.Keys(t.dirs)) {
		d := t.dirs[name]
		entries = entries[:0]
		for _, e := range d.entries {
			if h, ok := t.blobs[e]; ok {
				kind := byte(entryFile)
				if t.execs[e] {
					kind = entryExec
				}
				entries = append(entries, indexEntry{e, kind, h})
			} else if h, ok := t.links[e]; ok {
				entries = append(entries, indexEntry{e, entryLink, h})
			} else {
				entries = append(entries, indexEntry{e, entryGitlink, t.gitlinks[e]})
			}
		}
		b = appendDir(b, name, d.hash, d.subdirs, entries)
	}
	return appendChecksum(b)
}

// UnmarshalIndex reads what MarshalIndex wrote into a TreeFiles that
// serves only as FilesSince's prev: it reads no files. Anything else (a
// bad checksum, another version, cut short, a directory naming a
// subdirectory it does not hold) is ErrTreeIndex; nothing is allocated
// for bytes the input does not have.
func UnmarshalIndex(b []byte) (*TreeFiles, error) {
	r, commit, dirs, err := openIndex(b)
	if err != nil {
		return nil, err
	}
	t := newTreeFiles(commit)
	var last string
	for i := range dirs {
		name := r.str()
		if i > 0 && name <= last {
			r.bad = true // not sorted, or repeated: not what MarshalIndex writes
		}
		last = name
		d := &dirIndex{hash: r.hash()}
		d.subdirs = make([]string, r.count(1))
		for i := range d.subdirs {
			d.subdirs[i] = r.str()
		}
		d.entries = make([]string, r.count(2+len(plumbing.ZeroHash)))
		for i := range d.entries {
			e := r.str()
			d.entries[i] = e
			kind := r.byte()
			h := r.hash()
			switch kind {
			case entryLink:
				t.links[e] = h
			case entryGitlink:
				t.gitlinks[e] = h
			case entryExec:
				t.execs[e] = true
				fallthrough
			case entryFile:
				t.blobs[e] = h
				t.list = append(t.list, e)
			default:
				r.bad = true
			}
		}
		if r.bad {
			break
		}
		t.dirs[name] = d
	}
	if r.bad || len(r.b) > 0 || len(t.dirs) != dirs {
		return nil, ErrTreeIndex
	}
	// copyDir walks subdirectories: each must be there, and below its
	// parent, so no walk loops.
	for name, d := range t.dirs {
		for _, s := range d.subdirs {
			if t.dirs[s] == nil || !below(name, s) {
				return nil, fmt.Errorf("%w: directory %q of %q is missing or misplaced", ErrTreeIndex, s, name)
			}
		}
	}
	slices.Sort(t.list)
	return t, nil
}

// openIndex checks a saved index's checksum and version, and reads its
// header.
func openIndex(b []byte) (r indexReader, commit plumbing.Hash, dirs int, err error) {
	if len(b) < 4 || crc32.ChecksumIEEE(b[:len(b)-4]) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		return r, commit, 0, fmt.Errorf("%w: bad checksum", ErrTreeIndex)
	}
	r = indexReader{b: b[:len(b)-4]}
	if v := r.num(); v != treeIndexVersion {
		return r, commit, 0, fmt.Errorf("%w: version %d", ErrTreeIndex, v)
	}
	commit = r.hash()
	dirs = r.count(1 + len(plumbing.ZeroHash) + 2)
	if r.bad {
		return r, commit, 0, ErrTreeIndex
	}
	return r, commit, dirs, nil
}

// below says whether directory sub is directly or deeper below dir.
func below(dir, sub string) bool {
	if dir == "" {
		return sub != ""
	}
	return strings.HasPrefix(sub, dir+"/") && len(sub) > len(dir)+1
}

// indexReader reads front to back; the first bad read sets bad, and
// every read after it returns zero values.
type indexReader struct {
	b   []byte
	bad bool
}

func (r *indexReader) num() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a number of things, each at least size bytes long.
func (r *indexReader) count(size int) int {
	n := r.num()
	if n > uint64(len(r.b)/size) {
		r.bad, r.b = true, nil
		return 0
	}
	return int(n)
}

// bytes reads a length-prefixed string without copying it.
func (r *indexReader) bytes() []byte {
	n := r.num()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *indexReader) str() string { return string(r.bytes()) }

func (r *indexReader) byte() byte {
	if len(r.b) < 1 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *indexReader) hash() plumbing.Hash {
	var h plumbing.Hash
	if len(r.b) < len(h) {
		r.bad, r.b = true, nil
		return h
	}
	copy(h[:], r.b)
	r.b = r.b[len(h):]
	return h
}
