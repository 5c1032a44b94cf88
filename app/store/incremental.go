package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

// maxInPlace bounds what an in-place update changes, so its one
// transaction stays well inside Badger's limits; bigger changes are
// written as a new generation.
const maxInPlace = 2000

// errTooBig says an in-place update would be too large; not an error for callers.
var errTooBig = errors.New("too many changes for an in-place update")

// replaceInPlace applies snap to the location's current generation in one
// transaction, writing only what changed: entities whose file changed
// (catalog.Processed.Reused is false), entities added and removed, and the
// relation groups of every entity at either end of their old or new
// relations. Entities an earlier location provides are refused as in a
// full replace. It returns errTooBig, having written nothing, when the
// change is large or the location has no generation yet.
func (d *DB) replaceInPlace(ctx context.Context, loc Location, snap Snapshot, now time.Time) error {
	if loc.Gen == 0 {
		return errTooBig
	}
	id, gen := loc.ID, loc.Gen
	prefix := genPrefix(id, gen)
	err := d.update(ctx, func(txn *badger.Txn) error {
		existing := map[string]bool{}
		err := scanKeys(txn, prefix+sEntity, func(k []byte) error {
			existing[entityRef(k[len(prefix)+len(sEntity):])] = true
			return ctx.Err()
		})
		if err != nil {
			return err
		}
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		errs := append([]catalog.Error(nil), snap.Errors...)
		owned := make(map[string]bool, len(snap.Entities))
		touched := map[string]bool{}
		type write struct {
			ref    string
			record []byte
		}
		var writes []write
		for _, p := range snap.Entities {
			ref := p.Entity.Ref().String()
			var b []byte
			if !p.Reused || p.Entity.Raw != nil {
				if b, err = json.Marshal(record(id, snap, p)); err != nil {
					return err
				}
			}
			if len(b) > d.maxEntity {
				errs = append(errs, d.tooLarge(p, len(b)))
				continue // and deleted below, when the generation has it
			}
			switch {
			case existing[ref]:
				owned[ref] = true
				if !p.Reused {
					touched[ref] = true
					writes = append(writes, write{ref, b})
				}
			default:
				claims, err := claimsOf(txn, ref, gens)
				if err != nil {
					return err
				}
				if len(claims) > 0 && claims[0].id != id {
					errs = append(errs, catalog.Error{File: p.Source.File, Line: p.Source.Line, Column: p.Source.Column, Field: "metadata.name", Entity: ref,
						Message: fmt.Sprintf("%s is already provided by location %s; the first location keeps it", ref, claims[0].id)})
					continue
				}
				if p.Reused && p.Entity.Raw == nil {
					return fmt.Errorf("%s: %w", ref, ErrStale)
				}
				owned[ref] = true
				touched[ref] = true
				writes = append(writes, write{ref, b})
				if err := txn.Set([]byte(claimKey(ref, id, gen)), binaryTime(now)); err != nil {
					return err
				}
			}
			if len(touched) > maxInPlace {
				return errTooBig
			}
		}
		for ref := range existing {
			if owned[ref] {
				continue
			}
			touched[ref] = true
			if err := txn.Delete([]byte(entityKey(prefix, ref))); err != nil {
				return err
			}
			if err := txn.Delete([]byte(claimKey(ref, id, gen))); err != nil {
				return err
			}
		}
		if len(touched) > maxInPlace {
			return errTooBig
		}
		for _, w := range writes {
			if err := txn.Set([]byte(entityKey(prefix, w.ref)), w.record); err != nil {
				return err
			}
		}
		// Every entity at either end of a touched entity's relations, old or new,
		// gets its relation groups rewritten from the new set.
		affected := map[string]bool{}
		for ref := range touched {
			affected[ref] = true
			for _, kind := range []string{sOut, sIn} {
				err := scan(txn, prefix+kind+ref+"\x00", func(_, v []byte) error {
					var rels []Relation
					if err := json.Unmarshal(v, &rels); err != nil {
						return err
					}
					for _, r := range rels {
						affected[r.Target] = true
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
		}
		ends := make([][2]string, len(snap.Edges))
		for i, e := range snap.Edges {
			src, dst := e.Source.String(), e.Target.String()
			ends[i] = [2]string{src, dst}
			if touched[src] || touched[dst] {
				affected[src], affected[dst] = true, true
			}
		}
		if len(affected) > maxInPlace {
			return errTooBig
		}
		out, in := map[string][]Relation{}, map[string][]Relation{}
		for i, e := range snap.Edges {
			src, dst := ends[i][0], ends[i][1]
			if !owned[src] && !owned[dst] || !affected[src] && !affected[dst] {
				continue
			}
			if affected[src] {
				out[src] = append(out[src], Relation{Type: e.Type, Target: dst})
			}
			if affected[dst] {
				in[dst] = append(in[dst], Relation{Type: e.Type, Target: src})
			}
		}
		for ref := range affected {
			for kind, group := range map[string]map[string][]Relation{sOut: out, sIn: in} {
				var old [][]byte
				err := scanKeys(txn, prefix+kind+ref+"\x00", func(k []byte) error {
					old = append(old, append([]byte(nil), k...))
					return nil
				})
				if err != nil {
					return err
				}
				for _, k := range old {
					if err := txn.Delete(k); err != nil {
						return err
					}
				}
				if err := setRelations(txn.Set, prefix, kind, ref, group[ref]); err != nil {
					return err
				}
			}
		}
		var cur Location
		if ok, err := getJSON(txn, pLocation+id, &cur); err != nil || !ok || cur.Gen != gen {
			return fmt.Errorf("location %s changed during the sync", id)
		}
		cur.HeadCommit = snap.Commit
		cur.synced(snap, now)
		cur.Entities, cur.Errors = len(owned), errs
		if err := putOutbox(txn, snap.Outbox); err != nil {
			return err
		}
		if snap.Files != nil {
			if err := updateFileStates(txn, prefix, snap.Files); err != nil {
				return err
			}
			if err := clearFileShape(txn, prefix); err != nil {
				return err
			}
			if err := writeFileShape(txn.Set, prefix, snap.Files, snap.Uncached); err != nil {
				return err
			}
		}
		if err := markFileStates(txn, prefix, snap.Files, cur.Version); err != nil {
			return err
		}
		return putJSON(txn, pLocation+id, cur)
	})
	if errors.Is(err, badger.ErrTxnTooBig) {
		return errTooBig
	}
	return err
}
