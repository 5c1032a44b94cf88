package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

// A generation written as processing goes (Generation.Add) gets its
// relations as they come, but a group's key must hold the group as the
// whole set orders it (chunks of relationChunk, in the order of the set's
// edges), so that a first sync writes the same keys as any other. So the
// relations go first to scratch keys, g/<id>/<gen>/t<kind><ref>\x00<n>,
// each holding a window's relations of one group with their place in the
// set; finishing the generation merges each group's scratch keys into its
// keys and deletes them. A crash leaves them in a generation no location
// points at, which Open sweeps with the rest.
const (
	sScratch = "t" // g/<id>/<gen>/t<kind><ref>\x00<window> → scratchRels, encoded by appendScratch

	// scratchWindow is how many relations a generation holds before it
	// writes them to scratch keys (Generation.window).
	scratchWindow = 1 << 16
)

// scratchRel is a relation with its place among the set's edges.
type scratchRel struct {
	Seq          uint64
	Type, Target string
}

// appendScratch encodes r as its place and its two strings, each a
// uvarint and the string's bytes: scratch keys live for one write, and
// JSON was a fifth of a first sync's own CPU.
func appendScratch(b []byte, r scratchRel) []byte {
	b = binary.AppendUvarint(b, r.Seq)
	b = binary.AppendUvarint(b, uint64(len(r.Type)))
	b = append(b, r.Type...)
	b = binary.AppendUvarint(b, uint64(len(r.Target)))
	return append(b, r.Target...)
}

// readScratch appends the relations encoded in b to rels.
func readScratch(rels []scratchRel, b []byte) ([]scratchRel, error) {
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	for len(b) > 0 {
		seq, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, errScratch
		}
		b = b[k:]
		typ, ok1 := str()
		target, ok2 := str()
		if !ok1 || !ok2 {
			return nil, errScratch
		}
		rels = append(rels, scratchRel{seq, typ, target})
	}
	return rels, nil
}

var errScratch = errors.New("a scratch relation key is cut short")

// heldRel is a relation waiting in a generation for its scratch key.
type heldRel struct {
	kind, ref string
	rel       scratchRel
}

// heldEdge is an edge of an entity the generation refused: it belongs to
// the set only if its other end is one of the set's, known at the end.
type heldEdge struct {
	edge catalog.Edge
	seq  uint64
}

// addEdges takes the relations of p, an entity just given to the
// generation, in the set's order.
func (g *Generation) addEdges(p catalog.Processed) error {
	owned := g.owned[p.Entity.Ref().String()]
	for _, e := range p.Edges {
		g.seq++
		if !owned {
			g.orphans = append(g.orphans, heldEdge{edge: e, seq: g.seq})
			continue
		}
		g.hold(e, g.seq)
	}
	if len(g.held) >= g.window {
		return g.spill()
	}
	return nil
}

func (g *Generation) hold(e catalog.Edge, seq uint64) {
	src, dst := e.Source.String(), e.Target.String()
	g.held = append(g.held, heldRel{sOut, src, scratchRel{seq, e.Type, dst}}, heldRel{sIn, dst, scratchRel{seq, e.Type, src}})
}

// spill writes the relations held to scratch keys, one per group.
func (g *Generation) spill() error {
	if len(g.held) == 0 {
		return nil
	}
	slices.SortFunc(g.held, func(a, b heldRel) int {
		return cmp.Or(strings.Compare(a.kind, b.kind), strings.Compare(a.ref, b.ref), cmp.Compare(a.rel.Seq, b.rel.Seq))
	})
	g.spills++
	for i := 0; i < len(g.held); {
		j := i + 1
		for j < len(g.held) && g.held[j].kind == g.held[i].kind && g.held[j].ref == g.held[i].ref {
			j++
		}
		var b []byte
		for _, h := range g.held[i:j] {
			b = appendScratch(b, h.rel)
		}
		if err := g.wb.Set(fmt.Appendf(nil, "%s%s%s%s\x00%08x", g.prefix, sScratch, g.held[i].kind, g.held[i].ref, g.spills), b); err != nil {
			return err
		}
		i = j
	}
	g.held = g.held[:0]
	return nil
}

// mergeScratch writes the relation groups of the generation from its
// scratch keys, each followed by rest's relations of the same group
// (those not given as processing went: kept entities'), and deletes the
// scratch keys; it takes the groups it writes out of rest. A relation of
// rest that a group already holds is not written again: a kept entity's
// stored relations include those the new set gives it.
func (g *Generation) mergeScratch(rest map[string]map[string][]Relation) error {
	for _, h := range g.orphans {
		if g.owned[h.edge.Source.String()] || g.owned[h.edge.Target.String()] {
			g.hold(h.edge, h.seq)
		}
	}
	g.orphans = nil
	if err := g.spill(); err != nil {
		return err
	}
	if g.spills == 0 {
		return nil
	}
	if err := g.wb.Flush(); err != nil {
		return err
	}
	g.wb = g.d.db.NewWriteBatch()
	scratch := []byte(g.prefix + sScratch)
	var kind, ref string
	var group []scratchRel
	write := func() error {
		if group == nil {
			return nil
		}
		// A group's relations each have a place of their own.
		slices.SortFunc(group, func(a, b scratchRel) int { return cmp.Compare(a.Seq, b.Seq) })
		rels := make([]Relation, 0, len(group))
		have := make(map[Relation]bool, len(group))
		for _, r := range group {
			rel := Relation{Type: r.Type, Target: r.Target}
			rels = append(rels, rel)
			have[rel] = true
		}
		for _, r := range rest[kind][ref] {
			if !have[r] {
				rels = append(rels, r)
			}
		}
		delete(rest[kind], ref)
		group = nil
		return setRelations(g.wb.Set, g.prefix, kind, ref, rels)
	}
	return g.d.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: scratch, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			key := item.KeyCopy(nil)
			name, _, _ := bytes.Cut(key[len(scratch):], []byte{0})
			k, r := string(name[:len(sOut)]), string(name[len(sOut):])
			if k != kind || r != ref {
				if err := write(); err != nil {
					return err
				}
				kind, ref = k, r
			}
			err := item.Value(func(v []byte) error {
				var err error
				group, err = readScratch(group, v)
				return err
			})
			if err != nil {
				return err
			}
			if err := g.wb.Delete(key); err != nil {
				return err
			}
		}
		return write()
	})
}
