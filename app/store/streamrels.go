package store

import (
	"slices"

	"github.com/callboard/callboard/app/catalog"
)

// A generation written as processing goes (Generation.Add) gets its
// relations as they come, but a group's key must hold the group as the
// whole set orders it (chunks of relationChunk, in the order of the set's
// edges), so that a first sync writes the same keys as any other. So the
// relations are held a window at a time; a full window is sorted by group
// and written as a run to a temporary file (relruns.go), and finishing
// the generation merges the runs into the groups' keys. A set whose
// relations fit in one window never makes the file.
const scratchWindow = 1 << 14 // relations a generation holds (Generation.window)

// scratchRel is a relation with its place among the set's edges.
type scratchRel struct {
	Seq          uint64
	Type, Target string
}

// heldRel is a relation waiting in a generation for its run.
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

// spill writes the relations held as one run.
func (g *Generation) spill() error {
	if len(g.held) == 0 {
		return nil
	}
	if g.runs == nil {
		var err error
		if g.runs, err = newRelRuns(g.d.dir); err != nil {
			return err
		}
	}
	slices.SortFunc(g.held, compareHeld)
	if err := g.runs.add(g.held); err != nil {
		return err
	}
	g.held = g.held[:0]
	return nil
}

// mergeScratch writes the relation groups of the generation from what
// it holds and its runs, each followed by rest's relations of the same
// group (those not given as processing went: kept entities'); it takes
// the groups it writes out of rest. A relation of rest that a group
// already holds is not written again: a kept entity's stored relations
// include those the new set gives it.
func (g *Generation) mergeScratch(rest map[string]map[string][]Relation) error {
	for _, h := range g.orphans {
		if g.owned[h.edge.Source.String()] || g.owned[h.edge.Target.String()] {
			g.hold(h.edge, h.seq)
		}
	}
	g.orphans = nil
	write := func(kind, ref string, group []scratchRel) error {
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
		return setRelations(g.wb.Set, g.prefix, kind, ref, rels)
	}
	if g.runs != nil {
		if err := g.spill(); err != nil {
			return err
		}
		return g.runs.merge(write)
	}
	// One window: sorted and written without a file.
	slices.SortFunc(g.held, compareHeld)
	var group []scratchRel
	for i, h := range g.held {
		group = append(group, h.rel)
		if i+1 == len(g.held) || g.held[i+1].kind != h.kind || g.held[i+1].ref != h.ref {
			if err := write(h.kind, h.ref, group); err != nil {
				return err
			}
			group = group[:0]
		}
	}
	g.held = nil
	return nil
}

// closeRuns removes the generation's runs file, if it made one.
func (g *Generation) closeRuns() {
	if g.runs != nil {
		g.runs.close()
		g.runs = nil
	}
}
