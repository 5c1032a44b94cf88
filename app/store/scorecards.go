package store

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Scorecard results are kept so that a restart shows them without
// evaluating again, and the first evaluation after it is incremental. The
// store holds them as bytes it does not read: the scorecard package
// encodes them, with what each entity's results read.

// ScorecardResults calls fn with each entity's stored results, by ref.
func (d *DB) ScorecardResults(ctx context.Context, fn func(ref string, data []byte) error) error {
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pScorecard, func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return fn(string(k[len(pScorecard):]), v)
		})
	})
	if err != nil {
		return fmt.Errorf("read scorecard results: %w", err)
	}
	return nil
}

// UpdateScorecardResults stores the results of the refs in put and
// forgets those in gone. It writes in batches, not one transaction: a
// cold evaluation stores every entity's, more than a transaction holds,
// and results cut short are only evaluated again. A store opened
// read-only (a one-shot command's) keeps none, without an error: its
// reader evaluates for itself and the window stores its own.
func (d *DB) UpdateScorecardResults(ctx context.Context, put map[string][]byte, gone []string) error {
	if d.db.Opts().ReadOnly {
		return nil
	}
	wb := d.db.NewWriteBatch()
	defer wb.Cancel()
	for ref, data := range put {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("write scorecard results: %w", err)
		}
		if err := wb.Set([]byte(pScorecard+ref), data); err != nil {
			return fmt.Errorf("write scorecard results of %s: %w", ref, err)
		}
	}
	for _, ref := range gone {
		if err := wb.Delete([]byte(pScorecard + ref)); err != nil {
			return fmt.Errorf("forget scorecard results of %s: %w", ref, err)
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("write scorecard results: %w", err)
	}
	return nil
}
