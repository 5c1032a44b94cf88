package store

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// A new generation's keys come in the order processing gives them (file
// by file), which scatters them over the key space: Badger's level-0
// tables then all overlap, and every compaction during the write rewrites
// what it already wrote, with the builders of several subcompactions in
// memory at once — at 100,000 entities the largest part of a first sync's
// peak (BENCHMARKS.md, issue 20). So a generation's keys are held a
// window at a time, each full window sorted and written as a run to a
// temporary file beside the store, and at the end the runs are merged
// (an external merge sort) into one stream in key order, which Badger's
// tables then cover without overlapping. Nothing reaches Badger before
// the end, so readers keep seeing the old generation as before.

// keyRunPattern names the temporary files of key runs in the store's
// directory; Open removes those a crash left.
const keyRunPattern = "keyruns-*.tmp"

// keyWindow is the bytes of keys and values a generation holds before it
// writes them as a run.
const keyWindow = 4 << 20

// keyRunBuffer is the read buffer of each key run during the merge.
const keyRunBuffer = 32 << 10

var errKeyRun = errors.New("a key run is cut short or damaged")

// keySorter takes keys and values in any order and gives them back in key
// order; of keys set twice the last value wins. Not safe for concurrent
// use.
type keySorter struct {
	dir    string // where the runs file goes ("" is the system's temporary directory)
	window int
	arena  []byte    // the held keys and values, one after the other
	held   []heldKey // where each lies in arena, in the order set
	f      *os.File  // the runs, when a window filled
	w      *bufio.Writer
	ends   []int64 // where each run ends
	off    int64
	buf    []byte
}

// heldKey is one key and its value in a keySorter's arena.
type heldKey struct {
	off        int
	klen, vlen int
}

func newKeySorter(dir string, window int) *keySorter {
	return &keySorter{dir: dir, window: window}
}

// set holds k and v (copied).
func (s *keySorter) set(k, v []byte) error {
	s.held = append(s.held, heldKey{off: len(s.arena), klen: len(k), vlen: len(v)})
	s.arena = append(append(s.arena, k...), v...)
	if len(s.arena) >= s.window {
		return s.spill()
	}
	return nil
}

func (s *keySorter) key(h heldKey) []byte { return s.arena[h.off : h.off+h.klen] }
func (s *keySorter) value(h heldKey) []byte {
	return s.arena[h.off+h.klen : h.off+h.klen+h.vlen]
}

// sort orders what is held by key, keys set twice in the order set.
func (s *keySorter) sort() {
	slices.SortStableFunc(s.held, func(a, b heldKey) int { return bytes.Compare(s.key(a), s.key(b)) })
}

// spill writes what is held as one run.
func (s *keySorter) spill() error {
	if len(s.held) == 0 {
		return nil
	}
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, keyRunPattern)
		if err != nil {
			return fmt.Errorf("make the key runs file: %w", err)
		}
		s.f, s.w = f, bufio.NewWriterSize(f, keyRunBuffer)
	}
	s.sort()
	for _, h := range s.held {
		s.buf = binary.AppendUvarint(s.buf[:0], uint64(h.klen))
		s.buf = append(s.buf, s.key(h)...)
		s.buf = binary.AppendUvarint(s.buf, uint64(h.vlen))
		s.buf = append(s.buf, s.value(h)...)
		if _, err := s.w.Write(s.buf); err != nil {
			return fmt.Errorf("write key runs %s: %w", s.f.Name(), err)
		}
		s.off += int64(len(s.buf))
	}
	s.ends = append(s.ends, s.off)
	s.arena, s.held = s.arena[:0], s.held[:0]
	if cap(s.buf) > keyRunBuffer {
		s.buf = nil // one large value need not stay
	}
	return nil
}

// writeTo calls set with every key held or spilled, in key order, each
// key once with the last value set for it. The slices are set's to keep.
// The sorter is spent after it.
func (s *keySorter) writeTo(set func(k, v []byte) error) error {
	if s.f == nil {
		// One window: sorted in memory, no file.
		s.sort()
		for i, h := range s.held {
			if i+1 < len(s.held) && bytes.Equal(s.key(h), s.key(s.held[i+1])) {
				continue // set again after
			}
			if err := set(s.key(h), s.value(h)); err != nil {
				return err
			}
		}
		s.arena, s.held = nil, nil
		return nil
	}
	if err := s.spill(); err != nil {
		return err
	}
	s.arena, s.held = nil, nil
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write key runs %s: %w", s.f.Name(), err)
	}
	var h keyRunHeap
	var start int64
	for i, end := range s.ends {
		c := &keyRunCursor{run: i, r: bufio.NewReaderSize(io.NewSectionReader(s.f, start, end-start), keyRunBuffer)}
		start = end
		if ok, err := c.next(); err != nil {
			return fmt.Errorf("read key runs %s: %w", s.f.Name(), err)
		} else if ok {
			h = append(h, c)
		}
	}
	heap.Init(&h)
	var k, v []byte
	for len(h) > 0 {
		c := h[0]
		if k != nil && !bytes.Equal(k, c.k) {
			if err := set(k, v); err != nil {
				return err
			}
		}
		k, v = c.k, c.v // a later run's value of the same key replaces it
		ok, err := c.next()
		if err != nil {
			return fmt.Errorf("read key runs %s: %w", s.f.Name(), err)
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	if k == nil {
		return nil
	}
	return set(k, v)
}

// close drops what is held and removes the runs file, if one was made.
func (s *keySorter) close() {
	s.arena, s.held = nil, nil
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
}

// keyRunCursor is the next key of one run.
type keyRunCursor struct {
	run  int
	r    *bufio.Reader
	k, v []byte
}

// next reads the run's next key and value into fresh slices; false at
// the run's end.
func (c *keyRunCursor) next() (bool, error) {
	k, err := readRunBytes(c.r)
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	v, err := readRunBytes(c.r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return false, fmt.Errorf("%w: %w", errKeyRun, err)
	}
	c.k, c.v = k, v
	return true, nil
}

// readRunBytes reads a uvarint length and as many bytes; io.EOF when r
// ends before it.
func readRunBytes(r *bufio.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err == io.EOF {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errKeyRun, err)
	}
	if n > valueLogSize {
		return nil, errKeyRun // the file is ours, but a damaged one must not allocate what it says
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%w: %w", errKeyRun, io.ErrUnexpectedEOF)
	}
	return b, nil
}

// keyRunHeap orders the runs by their next key, an earlier run first
// among equal keys so that the later value wins.
type keyRunHeap []*keyRunCursor

func (h keyRunHeap) Len() int { return len(h) }
func (h keyRunHeap) Less(i, j int) bool {
	if c := bytes.Compare(h[i].k, h[j].k); c != 0 {
		return c < 0
	}
	return h[i].run < h[j].run
}
func (h keyRunHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *keyRunHeap) Push(x any)   { *h = append(*h, x.(*keyRunCursor)) }
func (h *keyRunHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
