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
// not misread: it is refused, and the tree read again.
const treeIndexVersion = 1

// ErrTreeIndex means a saved tree index is not one this code wrote, or
// was damaged on disk.
var ErrTreeIndex = errors.New("not a tree index")

// Kinds of a directory entry in a saved index.
const (
	entryFile = iota
	entryExec
	entryLink
)

// MarshalIndex returns t's index of its commit's tree (every directory
// with its tree hash, every file with its blob hash), for a later process
// to give FilesSince as prev: a new process then reads only the
// directories that changed since, not the whole tree. The encoding is
// compact (length-prefixed names and raw hashes) and ends in a CRC-32.
func (t *TreeFiles) MarshalIndex() []byte {
	b := make([]byte, 0, 64*len(t.blobs)+32*len(t.dirs))
	b = binary.AppendUvarint(b, treeIndexVersion)
	b = binary.AppendUvarint(b, uint64(len(t.dirs)))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, name := range slices.Sorted(maps.Keys(t.dirs)) {
		d := t.dirs[name]
		str(name)
		b = append(b, d.hash[:]...)
		b = binary.AppendUvarint(b, uint64(len(d.subdirs)))
		for _, s := range d.subdirs {
			str(s)
		}
		b = binary.AppendUvarint(b, uint64(len(d.entries)))
		for _, e := range d.entries {
			str(e)
			h, file := t.blobs[e]
			switch {
			case !file:
				b = append(b, entryLink)
				continue
			case t.execs[e]:
				b = append(b, entryExec)
			default:
				b = append(b, entryFile)
			}
			b = append(b, h[:]...)
		}
	}
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// UnmarshalIndex reads what MarshalIndex wrote into a TreeFiles that
// serves only as FilesSince's prev: it reads no files. Anything else (a
// bad checksum, another version, cut short, a directory naming a
// subdirectory it does not hold) is ErrTreeIndex; nothing is allocated
// for bytes the input does not have.
func UnmarshalIndex(b []byte) (*TreeFiles, error) {
	if len(b) < 4 || crc32.ChecksumIEEE(b[:len(b)-4]) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		return nil, fmt.Errorf("%w: bad checksum", ErrTreeIndex)
	}
	r := indexReader{b: b[:len(b)-4]}
	if v := r.num(); v != treeIndexVersion {
		return nil, fmt.Errorf("%w: version %d", ErrTreeIndex, v)
	}
	t := &TreeFiles{blobs: map[string]plumbing.Hash{}, links: map[string]bool{}, execs: map[string]bool{}, dirs: map[string]*dirIndex{}}
	dirs := r.count(1 + len(plumbing.ZeroHash) + 2)
	for range dirs {
		name := r.str()
		d := &dirIndex{hash: r.hash()}
		d.subdirs = make([]string, r.count(1))
		for i := range d.subdirs {
			d.subdirs[i] = r.str()
		}
		d.entries = make([]string, r.count(2))
		for i := range d.entries {
			e := r.str()
			d.entries[i] = e
			switch r.byte() {
			case entryLink:
				t.links[e] = true
				continue
			case entryExec:
				t.execs[e] = true
			case entryFile:
			default:
				r.bad = true
			}
			t.blobs[e] = r.hash()
			t.list = append(t.list, e)
		}
		if r.bad {
			break
		}
		t.dirs[name] = d
	}
	if r.bad || len(r.b) > 0 {
		return nil, ErrTreeIndex
	}
	// copyDir walks subdirectories: each must be there, and below its
	// parent, so no walk loops.
	for name, d := range t.dirs {
		for _, s := range d.subdirs {
			if t.dirs[s] == nil || !(name == "" && s != "" || strings.HasPrefix(s, name+"/") && len(s) > len(name)+1) {
				return nil, fmt.Errorf("%w: directory %q of %q is missing or misplaced", ErrTreeIndex, s, name)
			}
		}
	}
	slices.Sort(t.list)
	return t, nil
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

func (r *indexReader) str() string {
	n := r.num()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

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
