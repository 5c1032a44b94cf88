package store

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Orphans are what plugins reported about entities (pf/) and their
// scorecard results (sc/) once no location provides the entity any more
// (its location removed, its file deleted, its plugin's location gone),
// and the facts of a plugin no longer installed. SweepOrphans forgets
// them; the portal runs it after syncs, location removals and plugin
// changes.

// Swept counts what SweepOrphans forgot.
type Swept struct {
	Facts   int // pf/ records
	Results int // sc/ records
}

// SweepOrphans forgets the facts and scorecard results of entities no
// location provides, and the facts of plugins keepPlugin refuses (nil
// keeps every plugin's). It reads one snapshot and deletes in batches,
// not one transaction: an entity that comes back meanwhile only has its
// facts asked for and its results evaluated again. A store opened
// read-only sweeps nothing.
func (d *DB) SweepOrphans(ctx context.Context, keepPlugin func(name string) bool) (Swept, error) {
	var n Swept
	if d.db.Opts().ReadOnly {
		return n, nil
	}
	var gone [][]byte
	err := d.db.View(func(txn *badger.Txn) error {
		gens, err := currentGens(txn)
		if err != nil {
			return err
		}
		exists := map[string]bool{}
		provided := func(ref string) (bool, error) {
			if ok, seen := exists[ref]; seen {
				return ok, nil
			}
			claims, err := claimsOf(txn, ref, gens)
			exists[ref] = len(claims) > 0
			return exists[ref], err
		}
		err = scanKeys(txn, pFacts, func(k []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			ref, plugin, _ := strings.Cut(string(k[len(pFacts):]), "\x00")
			ok, err := provided(ref)
			if err != nil {
				return err
			}
			if !ok || keepPlugin != nil && !keepPlugin(plugin) {
				gone, n.Facts = append(gone, bytes.Clone(k)), n.Facts+1
			}
			return nil
		})
		if err != nil {
			return err
		}
		return scanKeys(txn, pScorecard, func(k []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			ok, err := provided(string(k[len(pScorecard):]))
			if err != nil {
				return err
			}
			if !ok {
				gone, n.Results = append(gone, bytes.Clone(k)), n.Results+1
			}
			return nil
		})
	})
	if err != nil {
		return Swept{}, fmt.Errorf("find orphaned facts and scorecard results: %w", err)
	}
	if len(gone) == 0 {
		return n, nil
	}
	wb := d.db.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range gone {
		if err := wb.Delete(k); err != nil {
			return Swept{}, fmt.Errorf("forget orphaned facts and scorecard results: %w", err)
		}
	}
	if err := wb.Flush(); err != nil {
		return Swept{}, fmt.Errorf("forget orphaned facts and scorecard results: %w", err)
	}
	return n, nil
}
