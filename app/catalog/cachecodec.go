package catalog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// cacheCodecVersion is written first, so an entry of another version is
// not misread: it is a miss, and the file is processed again.
const cacheCodecVersion = 1

// errCacheEntry means a stored FileCache entry is not one this code wrote:
// a miss, and the file is processed again.
var errCacheEntry = errors.New("not a file cache entry")

// encodeEntry writes e compactly: length-prefixed strings and varints, no
// field names. A store may hold one per catalog file, and a fresh process
// reads them all before its first sync, so decoding must be cheap.
// Only what a cacheable result holds is written: no targets, external
// targets or bad targets (Location files are never cached), no missing
// file, no URL that could not be read.
func encodeEntry(e *cacheEntry) []byte {
	w := encoder{b: make([]byte, 0, 256)}
	w.num(cacheCodecVersion)
	w.str(e.hash)
	w.str(e.locs[0])
	w.str(e.locs[1])
	w.strMap(e.deps)
	w.strMap(e.urls)
	w.errs(e.result.errs)
	w.num(uint64(len(e.result.items)))
	for _, it := range e.result.items {
		flags := uint64(0)
		if it.enveloped {
			flags |= 1
		}
		if it.ok {
			flags |= 2
		}
		if it.remote != nil {
			flags |= 4
		}
		w.num(flags)
		v := &it.verdict
		w.str(v.Ref)
		w.str(v.Kind)
		w.source(v.Source)
		w.errs(v.Errors)
		if it.remote != nil {
			w.strs(it.remote.URLs)
			t, _ := it.remote.ReadAt.MarshalBinary() // fails only for zone offsets time.Time never makes
			w.str(string(t))
			w.str(it.remote.Stale)
		}
		w.str(it.entity.APIVersion)
		w.str(it.entity.Kind)
		w.str(it.entity.Metadata.Name)
		w.str(it.entity.Metadata.Namespace)
		w.num(uint64(len(it.edges)))
		for _, ed := range it.edges {
			w.ref(ed.Source)
			w.str(ed.Type)
			w.ref(ed.Target)
		}
	}
	return w.b
}

// decodeEntry reads what encodeEntry wrote. Anything else (another
// version, cut short, trailing bytes, counts larger than the input could
// hold) is errCacheEntry; nothing is allocated for bytes the input does
// not have.
func decodeEntry(b []byte) (*cacheEntry, error) {
	r := decoder{b: b}
	if v := r.num(); v != cacheCodecVersion {
		return nil, fmt.Errorf("%w: version %d", errCacheEntry, v)
	}
	e := &cacheEntry{hash: r.str()}
	e.locs[0], e.locs[1] = r.str(), r.str()
	e.deps = r.strMap()
	e.urls = r.strMap()
	e.result.errs = r.errs()
	n := r.count(minItemSize)
	if n > 0 {
		e.result.items = make([]*pending, n)
	}
	for i := range n {
		flags := r.num()
		if flags > 7 {
			r.fail()
		}
		it := &pending{enveloped: flags&1 != 0, ok: flags&2 != 0}
		it.verdict.Ref, it.verdict.Kind = r.str(), r.str()
		it.verdict.Source = r.source()
		it.verdict.Errors = r.errs()
		if flags&4 != 0 {
			it.remote = &Remote{URLs: r.strs()}
			if err := it.remote.ReadAt.UnmarshalBinary([]byte(r.str())); err != nil {
				r.fail()
			}
			it.remote.Stale = r.str()
		}
		it.entity.APIVersion, it.entity.Kind = r.str(), r.str()
		it.entity.Metadata.Name, it.entity.Metadata.Namespace = r.str(), r.str()
		if m := r.count(minEdgeSize); m > 0 {
			it.edges = make([]Edge, m)
			for j := range it.edges {
				it.edges[j] = Edge{Source: r.ref(), Type: r.str(), Target: r.ref()}
			}
		}
		e.result.items[i] = it
		if r.bad {
			break
		}
	}
	if r.bad || len(r.b) > 0 {
		return nil, errCacheEntry
	}
	return e, nil
}

// The fewest bytes an item, an edge and an error take, so a count is
// checked against what is left before anything is allocated for it.
const (
	minItemSize  = 1 + 2 + 3 + 1 + 4 + 1 // flags, ref and kind, source, errors, entity, edges
	minEdgeSize  = 3 + 1 + 3
	minErrorSize = 6
	minPairSize  = 2
)

type encoder struct{ b []byte }

func (w *encoder) num(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *encoder) int(v int)    { w.b = binary.AppendVarint(w.b, int64(v)) }

func (w *encoder) str(s string) {
	w.num(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *encoder) strs(ss []string) {
	w.num(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

// strMap writes m's pairs in no particular order: the decoder builds a
// map again, so order does not matter.
func (w *encoder) strMap(m map[string]string) {
	w.num(uint64(len(m)))
	// In key order: an entry's bytes depend on nothing but the entry.
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.str(k)
		w.str(m[k])
	}
}

func (w *encoder) source(s Source) {
	w.str(s.File)
	w.int(s.Line)
	w.int(s.Column)
}

func (w *encoder) ref(r Ref) {
	w.str(r.Kind)
	w.str(r.Namespace)
	w.str(r.Name)
}

func (w *encoder) errs(es []Error) {
	w.num(uint64(len(es)))
	for _, e := range es {
		w.str(e.File)
		w.int(e.Line)
		w.int(e.Column)
		w.str(e.Field)
		w.str(e.Message)
		w.str(e.Entity)
	}
}

// decoder reads front to back; the first bad read sets bad, and every
// read after it returns zero values, so callers check once at the end.
type decoder struct {
	b   []byte
	bad bool
}

func (r *decoder) fail() {
	r.bad = true
	r.b = nil
}

func (r *decoder) num() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *decoder) int() int {
	v, n := binary.Varint(r.b)
	if n <= 0 || int64(int(v)) != v {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

// count reads a number of things, each at least size bytes long.
func (r *decoder) count(size int) int {
	n := r.num()
	if n > uint64(len(r.b)/size) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *decoder) str() string {
	n := r.num()
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *decoder) strs() []string {
	n := r.count(1)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *decoder) strMap() map[string]string {
	n := r.count(minPairSize)
	m := make(map[string]string, n)
	for range n {
		k := r.str()
		m[k] = r.str()
	}
	return m
}

func (r *decoder) source() Source {
	return Source{File: r.str(), Line: r.int(), Column: r.int()}
}

func (r *decoder) ref() Ref {
	return Ref{Kind: r.str(), Namespace: r.str(), Name: r.str()}
}

func (r *decoder) errs() []Error {
	n := r.count(minErrorSize)
	if n == 0 {
		return nil
	}
	out := make([]Error, n)
	for i := range out {
		out[i] = Error{File: r.str(), Line: r.int(), Column: r.int(), Field: r.str(), Message: r.str(), Entity: r.str()}
	}
	return out
}
