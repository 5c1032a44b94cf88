package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

// Generation is a location's next generation being written as its
// entities come (NewGeneration, Add), so that a sync holds a window of
// files rather than the catalog; ReplaceLocationWith finishes it with the
// rest of the set and swaps it in. Until then readers do not see it, and
// a crash leaves keys that Open sweeps. Not safe for concurrent use.
type Generation struct {
	d       *DB
	loc     Location // as when the generation began
	gen     uint64
	prefix  string
	wb      *badger.WriteBatch
	winners map[string]claim // every ref's winning claim when the generation began
	now     time.Time
	owned   map[string]bool // refs written
	errs    []catalog.Error // entities refused: another location's, or too large
	err     error           // the first write that failed
	// The relations given with the entities (streamrels.go): seq counts
	// them, held wait for their run, orphans are those of refused
	// entities, runs is the file of the windows written.
	window  int
	seq     uint64
	held    []heldRel
	orphans []heldEdge
	runs    *relRuns
}

// NewGeneration begins location id's next generation. Entities another
// location provides are refused as ReplaceLocation refuses them, judged
// by the claims as they are now.
func (d *DB) NewGeneration(ctx context.Context, id string, now time.Time) (*Generation, error) {
	loc, ok, err := d.Location(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("begin a generation of location %s: %w", id, err)
	}
	if !ok {
		return nil, fmt.Errorf("begin a generation of location %s: location %s is not registered", id, id)
	}
	return d.newGeneration(ctx, loc, now)
}

func (d *DB) newGeneration(ctx context.Context, loc Location, now time.Time) (*Generation, error) {
	// A generation of this number dropped while the instance closed may
	// have left keys (dropGen): they must not become part of this one.
	if err := d.deleteGen(ctx, loc.ID, loc.Gen+1); err != nil {
		return nil, fmt.Errorf("begin a generation of location %s: %w", loc.ID, err)
	}
	g := &Generation{d: d, loc: loc, gen: loc.Gen + 1, prefix: genPrefix(loc.ID, loc.Gen+1), now: now, owned: map[string]bool{}, window: scratchWindow}
	err := d.db.View(func(txn *badger.Txn) error {
		var err error
		g.winners, err = allWinners(txn)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("begin a generation of location %s: %w", loc.ID, err)
	}
	g.wb = d.db.NewWriteBatch()
	return g, nil
}

// Add writes entities, accepted by processing and none of them kept, with
// their relations (Processed.Edges, in the set's order), to the
// generation; ReplaceLocationWith is then given them marked Handed, and
// none of those relations.
func (g *Generation) Add(ctx context.Context, ps []catalog.Processed) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, p := range ps {
		b, err := json.Marshal(record(g.loc.ID, Snapshot{}, p))
		if err != nil {
			return fmt.Errorf("encode %s: %w", p.Entity.Ref(), err)
		}
		if g.errs = g.put(p, b, g.errs); g.err != nil {
			return fmt.Errorf("write generation %d of location %s: %w", g.gen, g.loc.ID, g.err)
		}
		if err := g.addEdges(p); err != nil {
			return fmt.Errorf("write generation %d of location %s: %w", g.gen, g.loc.ID, err)
		}
	}
	return nil
}

// put writes p, encoded as b, unless another location provides it or it
// is too large, which errs then says. A write that fails is kept in g.err.
func (g *Generation) put(p catalog.Processed, b []byte, errs []catalog.Error) []catalog.Error {
	ref := p.Entity.Ref().String()
	since := uint64(g.now.UnixNano())
	if w, ok := g.winners[ref]; ok {
		if w.id != g.loc.ID {
			return append(errs, catalog.Error{File: p.Source.File, Line: p.Source.Line, Column: p.Source.Column, Field: "metadata.name", Entity: ref,
				Message: fmt.Sprintf("%s is already provided by location %s; the first location keeps it", ref, w.id)})
		}
		since = w.since // keep the original claim across generations
	}
	if len(b) > g.d.maxEntity {
		return append(errs, g.d.tooLarge(p, len(b)))
	}
	g.owned[ref] = true
	if err := g.wb.Set([]byte(entityKey(g.prefix, ref)), b); err != nil {
		g.err = err
		return errs
	}
	if err := g.wb.Set([]byte(claimKey(ref, g.loc.ID, g.gen)), binary.BigEndian.AppendUint64(nil, since)); err != nil {
		g.err = err
	}
	return errs
}

// AddFile writes the file state of one file the run reached: its cache
// entry, or, when entry is nil, that the run kept none of it. The set
// then goes to ReplaceLocationWith with Files empty (not nil, so the
// state is marked as the set's) and no Uncached: the generation has them.
func (g *Generation) AddFile(ctx context.Context, file string, entry *catalog.CachedFile) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var err error
	if entry == nil {
		err = writeFileShape(g.wb.Set, g.prefix, nil, []string{file})
	} else if err = g.wb.Set([]byte(g.prefix+sFile+file), entry.Data); err == nil {
		err = writeFileShape(g.wb.Set, g.prefix, []catalog.CachedFile{*entry}, nil)
	}
	if err != nil {
		return fmt.Errorf("write generation %d of location %s: %w", g.gen, g.loc.ID, err)
	}
	return nil
}

// Cancel drops what the generation wrote; a sync that fails calls it.
// When ctx has ended (the sync was cancelled), the drop stops early and
// what is left waits for the next generation or open.
func (g *Generation) Cancel(ctx context.Context) {
	g.wb.Cancel()
	g.closeRuns()
	g.d.dropGen(ctx, g.loc.ID, g.gen)
}

// ReplaceLocationWith is ReplaceLocation for a set whose entities marked
// Handed were written to g as they came: it always writes a new
// generation, finished from snap and swapped in. On error g is dropped.
func (d *DB) ReplaceLocationWith(ctx context.Context, id string, g *Generation, snap Snapshot, now time.Time) error {
	d.writes.Lock()
	defer d.writes.Unlock()
	if err := d.CheckSpace(); err != nil {
		g.Cancel(ctx)
		return fmt.Errorf("replace entities of location %s: %w", id, err)
	}
	loc, ok, err := d.Location(ctx, id)
	if err == nil && !ok {
		err = fmt.Errorf("location %s is not registered", id)
	}
	if err != nil {
		g.Cancel(ctx)
		return fmt.Errorf("replace entities of location %s: %w", id, err)
	}
	if err := d.replace(ctx, loc, snap, now, g); err != nil {
		return fmt.Errorf("replace entities of location %s: %w", id, err)
	}
	return nil
}
