package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// PutLocation creates or updates a location's record.
func (d *DB) PutLocation(ctx context.Context, loc Location) error {
	return d.update(ctx, func(txn *badger.Txn) error {
		return putJSON(txn, pLocation+loc.ID, loc)
	})
}

// Location returns a location; ok is false when there is none with that id.
func (d *DB) Location(ctx context.Context, id string) (loc Location, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		ok, err = getJSON(txn, pLocation+id, &loc)
		return err
	})
	return loc, ok, err
}

// Locations returns every location, ordered by id.
func (d *DB) Locations(ctx context.Context) ([]Location, error) {
	var out []Location
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pLocation, func(_, v []byte) error {
			var l Location
			if err := json.Unmarshal(v, &l); err != nil {
				return err
			}
			out = append(out, l)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	return out, nil
}

// RemoveLocation unregisters a location; its entities and relations
// disappear with the record, in one transaction, and their keys are swept
// after. Removing an unknown location is not an error.
func (d *DB) RemoveLocation(ctx context.Context, id string) error {
	d.writes.Lock()
	defer d.writes.Unlock()
	loc, ok, err := d.Location(ctx, id)
	if err != nil || !ok {
		return err
	}
	err = d.update(ctx, func(txn *badger.Txn) error {
		var keys [][]byte
		for _, prefix := range []string{pOutbox + id + "/", pBackstage + id + "/"} {
			if err := scanKeys(txn, prefix, func(k []byte) error { keys = append(keys, bytes.Clone(k)); return nil }); err != nil {
				return err
			}
		}
		for _, k := range append(keys, []byte(pLocation+id), []byte(pOrgListing+id), []byte(pBackstage+id)) {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove location %s: %w", id, err)
	}
	d.dropGen(ctx, id, loc.Gen)
	return nil
}

// SetFullHistory marks location id's clone to be kept whole (see
// Location.FullHistory); ok is false when there is no such location.
func (d *DB) SetFullHistory(ctx context.Context, id string) (ok bool, err error) {
	err = d.update(ctx, func(txn *badger.Txn) error {
		var loc Location
		if ok, err = getJSON(txn, pLocation+id, &loc); err != nil || !ok {
			return err
		}
		loc.FullHistory = true
		return putJSON(txn, pLocation+id, loc)
	})
	if err != nil {
		return false, fmt.Errorf("keep the full history of location %s: %w", id, err)
	}
	return ok, nil
}

// MarkSynced records a sync that found the stored set current.
func (d *DB) MarkSynced(ctx context.Context, id string, now time.Time) error {
	return d.update(ctx, func(txn *badger.Txn) error {
		var loc Location
		ok, err := getJSON(txn, pLocation+id, &loc)
		if err != nil || !ok {
			return err
		}
		loc.LastSuccess, loc.LastAttempt = now, now
		loc.LastError, loc.StaleSince, loc.Failures = "", time.Time{}, 0
		return putJSON(txn, pLocation+id, loc)
	})
}

// MarkFailed records a failed sync without touching the location's entities;
// they stay, marked stale since the first failure after a success.
func (d *DB) MarkFailed(ctx context.Context, id string, cause error, now time.Time) error {
	return d.update(ctx, func(txn *badger.Txn) error { return markFailed(txn, id, cause, now) })
}

func markFailed(txn *badger.Txn, id string, cause error, now time.Time) error {
	var loc Location
	ok, err := getJSON(txn, pLocation+id, &loc)
	if err != nil || !ok {
		return err
	}
	loc.LastAttempt, loc.LastError = now, cause.Error()
	loc.Failures++
	if loc.StaleSince.IsZero() && !loc.LastSuccess.IsZero() {
		loc.StaleSince = now
	}
	return putJSON(txn, pLocation+id, loc)
}

// currentGens maps each location to its current generation.
func currentGens(txn *badger.Txn) (map[string]uint64, error) {
	gens := map[string]uint64{}
	err := scan(txn, pLocation, func(_, v []byte) error {
		var l Location
		if err := json.Unmarshal(v, &l); err != nil {
			return err
		}
		gens[l.ID] = l.Gen
		return nil
	})
	return gens, err
}

// SetReview changes how location id's edits reach its branch with fn,
// in one transaction (a sync recording what it detected must not undo
// the user's choice made meanwhile); ok is false when there is no such
// location.
func (d *DB) SetReview(ctx context.Context, id string, fn func(*Review)) (ok bool, err error) {
	err = d.update(ctx, func(txn *badger.Txn) error {
		var loc Location
		if ok, err = getJSON(txn, pLocation+id, &loc); err != nil || !ok {
			return err
		}
		fn(&loc.Review)
		return putJSON(txn, pLocation+id, loc)
	})
	if err != nil {
		return false, fmt.Errorf("set the review mode of location %s: %w", id, err)
	}
	return ok, nil
}
