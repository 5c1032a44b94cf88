package store

import (
	"context"
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
