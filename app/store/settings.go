package store

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Settings returns the user's settings; zero values mean the defaults.
func (d *DB) Settings(ctx context.Context) (Settings, error) {
	var s Settings
	err := d.db.View(func(txn *badger.Txn) error {
		_, err := getJSON(txn, settingsKey, &s)
		return err
	})
	if err != nil {
		return Settings{}, fmt.Errorf("read settings: %w", err)
	}
	return s, nil
}

// UpdateSettings applies change to the user's settings in one transaction,
// so two changes made at once (two plugins' settings saved together) both
// land. An error from change is returned and nothing is written.
func (d *DB) UpdateSettings(ctx context.Context, change func(*Settings) error) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		var s Settings
		if _, err := getJSON(txn, settingsKey, &s); err != nil {
			return err
		}
		if err := change(&s); err != nil {
			return err
		}
		return putJSON(txn, settingsKey, s)
	})
	if err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	return nil
}
