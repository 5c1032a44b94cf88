package store

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// maxRuns is how many template runs the history keeps.
const maxRuns = 200

// PutRun stores a template run's record under id (ids sort by start
// time), dropping the oldest records beyond maxRuns.
func (d *DB) PutRun(ctx context.Context, id string, record []byte) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		if err := txn.Set([]byte(pRun+id), record); err != nil {
			return err
		}
		var keys [][]byte
		if err := scanKeys(txn, pRun, func(k []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for i := 0; i+maxRuns < len(keys); i++ {
			if err := txn.Delete(keys[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store run %s: %w", id, err)
	}
	return nil
}

// Runs calls fn with each stored run's record, newest first.
func (d *DB) Runs(ctx context.Context, fn func(record []byte) error) error {
	var records [][]byte
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pRun, func(_, v []byte) error {
			records = append(records, v)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("read the runs: %w", err)
	}
	for i := len(records) - 1; i >= 0; i-- {
		if err := fn(records[i]); err != nil {
			return err
		}
	}
	return nil
}
