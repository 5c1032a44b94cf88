package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// maxAttempts bounds how often update runs a transaction that keeps losing
// to concurrent ones.
const maxAttempts = 10

// update runs fn in a read-write transaction. Badger refuses to commit one
// that read a key another transaction changed meanwhile (ErrConflict): of
// fifty stars clicked at once, all but a few would fail. So fn runs again,
// on fresh reads. Retries take turns (d.retries): losers no longer collide
// with each other, only with a newcomer's first try, so a burst of any size
// drains. fn must do all its reading inside txn and keep no state across
// runs. An error wrapping badger.ErrConflict means maxAttempts tries lost.
func (d *DB) update(ctx context.Context, fn func(txn *badger.Txn) error) error {
	err := d.db.Update(fn)
	if !errors.Is(err, badger.ErrConflict) {
		return err
	}
	d.retries.Lock()
	defer d.retries.Unlock()
	for range maxAttempts - 1 {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%w (and %w before trying again)", err, ctxErr)
		}
		if err = d.db.Update(fn); !errors.Is(err, badger.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("%w: still conflicting after %d attempts", err, maxAttempts)
}

// scanKeys is scan without reading values.
func scanKeys(txn *badger.Txn, prefix string, fn func(k []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := fn(it.Item().Key()); err != nil {
			return err
		}
	}
	return nil
}

func scan(txn *badger.Txn, prefix string, fn func(k, v []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	return scanAt(it, prefix, fn)
}

// scanAt is scan over the keys under prefix for an iterator kept across
// many prefixes: one seek, not one iterator, per prefix.
func scanAt(it *badger.Iterator, prefix string, fn func(k, v []byte) error) error {
	p := []byte(prefix)
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		item := it.Item()
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if err := fn(item.Key(), v); err != nil {
			return err
		}
	}
	return nil
}

func putJSON(txn *badger.Txn, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return txn.Set([]byte(key), b)
}

func getJSON(txn *badger.Txn, key string, v any) (bool, error) {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}
