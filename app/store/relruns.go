package store

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// A streamed generation's relation windows, each sorted by group, go to
// a temporary file as runs, merged at the end with a small buffer per run
// (an external merge sort): memory holds one window and the buffers,
// whatever the catalog's size, and Badger sees each relation key once.

// runPattern names the temporary files of relation runs in the store's
// directory; Open removes those a crash left.
const runPattern = "relruns-*.tmp"

// runBuffer is the read buffer of each run during the merge.
const runBuffer = 32 << 10

// maxRunString bounds a string read back from a run: the file is ours,
// but a damaged one must fail the write, not allocate what it says.
const maxRunString = 1 << 20

var errRun = errors.New("a relation run is cut short or damaged")

// appendHeld encodes h as its group's kind and ref, its place in the set,
// its type and its target: each string a uvarint length and its bytes.
func appendHeld(b []byte, h heldRel) []byte {
	b = appendString(b, h.kind)
	b = appendString(b, h.ref)
	b = binary.AppendUvarint(b, h.rel.Seq)
	b = appendString(b, h.rel.Type)
	return appendString(b, h.rel.Target)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// readHeld reads one relation appendHeld wrote; io.EOF when r ends
// before it, errRun when r ends in it or holds what appendHeld does not
// write.
func readHeld(r *bufio.Reader) (heldRel, error) {
	var h heldRel
	var err error
	if h.kind, err = readString(r); err == io.EOF {
		return h, err // between two relations
	}
	if err == nil {
		if h.ref, err = readString(r); err == nil {
			if h.rel.Seq, err = binary.ReadUvarint(r); err == nil {
				if h.rel.Type, err = readString(r); err == nil {
					h.rel.Target, err = readString(r)
				}
			}
		}
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return h, fmt.Errorf("%w: %w", errRun, err)
	}
	return h, nil
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > maxRunString {
		return "", errRun
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", io.ErrUnexpectedEOF
	}
	return string(b), nil
}

// relRuns is the file of a generation's sorted runs.
type relRuns struct {
	f    *os.File
	w    *bufio.Writer
	ends []int64 // where each run ends
	off  int64
	buf  []byte
}

// newRelRuns makes the file in dir, the system's temporary directory when
// dir is "" (a store in memory).
func newRelRuns(dir string) (*relRuns, error) {
	f, err := os.CreateTemp(dir, runPattern)
	if err != nil {
		return nil, fmt.Errorf("make the relation runs file: %w", err)
	}
	return &relRuns{f: f, w: bufio.NewWriterSize(f, runBuffer)}, nil
}

// add writes held, sorted by compareHeld, as one run.
func (r *relRuns) add(held []heldRel) error {
	for _, h := range held {
		r.buf = appendHeld(r.buf[:0], h)
		if _, err := r.w.Write(r.buf); err != nil {
			return fmt.Errorf("write relation runs %s: %w", r.f.Name(), err)
		}
		r.off += int64(len(r.buf))
	}
	r.ends = append(r.ends, r.off)
	return nil
}

// merge calls group with each group's relations of every run, the groups
// in compareHeld's order and each group's relations in the set's.
func (r *relRuns) merge(group func(kind, ref string, rels []scratchRel) error) error {
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("write relation runs %s: %w", r.f.Name(), err)
	}
	var h runHeap
	var start int64
	for _, end := range r.ends {
		c := &runCursor{r: bufio.NewReaderSize(io.NewSectionReader(r.f, start, end-start), runBuffer)}
		start = end
		if ok, err := c.next(); err != nil {
			return fmt.Errorf("read relation runs %s: %w", r.f.Name(), err)
		} else if ok {
			h = append(h, c)
		}
	}
	heap.Init(&h)
	var kind, ref string
	var rels []scratchRel
	for len(h) > 0 {
		c := h[0]
		if c.cur.kind != kind || c.cur.ref != ref {
			if rels != nil {
				if err := group(kind, ref, rels); err != nil {
					return err
				}
			}
			kind, ref, rels = c.cur.kind, c.cur.ref, rels[:0]
		}
		rels = append(rels, c.cur.rel)
		ok, err := c.next()
		if err != nil {
			return fmt.Errorf("read relation runs %s: %w", r.f.Name(), err)
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	if rels == nil {
		return nil
	}
	return group(kind, ref, rels)
}

// close removes the file.
func (r *relRuns) close() {
	r.f.Close()
	os.Remove(r.f.Name())
}

// removeRelRuns removes the runs files a crash left in the store's
// directory dir.
func removeRelRuns(dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, runPattern))
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := os.Remove(n); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove relation runs %s: %w", n, err)
		}
	}
	return nil
}

// compareHeld orders relations by group (kind, then ref), then by their
// place in the set.
func compareHeld(a, b heldRel) int {
	return cmp.Or(strings.Compare(a.kind, b.kind), strings.Compare(a.ref, b.ref), cmp.Compare(a.rel.Seq, b.rel.Seq))
}

// runCursor is the next relation of one run.
type runCursor struct {
	r   *bufio.Reader
	cur heldRel
}

func (c *runCursor) next() (bool, error) {
	h, err := readHeld(c.r)
	if err == io.EOF {
		return false, nil
	}
	c.cur = h
	return err == nil, err
}

// runHeap orders the runs by their next relation.
type runHeap []*runCursor

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return compareHeld(h[i].cur, h[j].cur) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runCursor)) }
func (h *runHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
