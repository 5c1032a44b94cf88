package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// maxRuns is how many template runs the history keeps.
const maxRuns = 200

// PutRun stores a template run's record under id (ids sort by start
// time), dropping the oldest records beyond maxRuns.
func (d *DB) PutRun(ctx context.Context, id string, record []byte) error {
	err := d.db.Update(func(txn *badger.Txn) error {
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

// Run returns one run's record, or ok=false when the store has none.
func (d *DB) Run(ctx context.Context, id string) (record []byte, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(pRun + id))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		record, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("read run %s: %w", id, err)
	}
	return record, ok, nil
}

// Runs calls fn with each stored run's record, newest first, one at a
// time: records are read as fn asks for them, never all at once. fn runs
// inside a read transaction and may write to the store.
func (d *DB) Runs(ctx context.Context, fn func(record []byte) error) error {
	var fnErr error
	err := d.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pRun), Reverse: true})
		defer it.Close()
		// Reverse iteration starts at the last key at or before the seek key.
		for it.Seek([]byte(pRun + "\xff")); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if fnErr = fn(v); fnErr != nil {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the runs: %w", err)
	}
	return fnErr
}
