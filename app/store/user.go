package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// recentMax is how many recently visited entities are remembered.
const recentMax = 20

// Stars returns the refs of the entities the user starred, sorted.
func (d *DB) Stars(ctx context.Context) ([]string, error) {
	return d.userList(starsKey)
}

// SetStar stars ref, or takes its star away.
func (d *DB) SetStar(ctx context.Context, ref string, on bool) error {
	return d.updateUserList(ctx, starsKey, func(refs []string) []string {
		refs = slices.DeleteFunc(refs, func(r string) bool { return r == ref })
		if on {
			refs = append(refs, ref)
			slices.Sort(refs)
		}
		return refs
	})
}

// Recent returns the refs of the entities the user visited last, newest first.
func (d *DB) Recent(ctx context.Context) ([]string, error) {
	return d.userList(recentKey)
}

// Visit notes that the user opened ref.
func (d *DB) Visit(ctx context.Context, ref string) error {
	return d.updateUserList(ctx, recentKey, func(refs []string) []string {
		refs = slices.DeleteFunc(refs, func(r string) bool { return r == ref })
		refs = append([]string{ref}, refs...)
		return refs[:min(len(refs), recentMax)]
	})
}

func (d *DB) userList(key string) ([]string, error) {
	out := []string{}
	err := d.db.View(func(txn *badger.Txn) error {
		_, err := getJSON(txn, key, &out)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return out, nil
}

func (d *DB) updateUserList(ctx context.Context, key string, change func([]string) []string) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		var refs []string
		if _, err := getJSON(txn, key, &refs); err != nil {
			return err
		}
		b, err := json.Marshal(change(refs))
		if err != nil {
			return err
		}
		return txn.Set([]byte(key), b)
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", key, err)
	}
	return nil
}
