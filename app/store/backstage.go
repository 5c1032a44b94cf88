package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Backstage locations: a location may be an organisation's Backstage,
// whose entities come from its backend's catalog API (sync/backstage)
// rather than from a repository. Its record says where the backend is and
// a summary of the last read; the state the next read compares against
// (each entity's etag), large for a large catalog, is kept apart (b/<id>)
// so reading every location stays cheap.

// Backstage marks a location as an organisation's Backstage.
type Backstage struct {
	// BaseURL is the backend's base URL, as https://backstage.example.
	BaseURL string `json:"baseUrl"`
	// ReadAt is when the backend last answered a whole read: the
	// entities are as it had them then.
	ReadAt time.Time `json:"readAt,omitzero"`
	// Requests is how many requests the last sync made, Changed how many
	// entities it read again and Removed how many it removed.
	Requests int `json:"requests,omitempty"`
	Changed  int `json:"changed,omitempty"`
	Removed  int `json:"removed,omitempty"`
}

// PutBackstageState stores the sync state of Backstage location id and
// the summary on its record, in one transaction.
func (d *DB) PutBackstageState(ctx context.Context, id string, state json.RawMessage, sum Backstage) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		var loc Location
		ok, err := getJSON(txn, pLocation+id, &loc)
		if err != nil {
			return err
		}
		if !ok || loc.Backstage == nil {
			return fmt.Errorf("location %s: %w", id, ErrNotBackstage)
		}
		sum.BaseURL = loc.Backstage.BaseURL
		loc.Backstage = &sum
		if err := putJSON(txn, pLocation+id, loc); err != nil {
			return err
		}
		return txn.Set([]byte(pBackstage+id), state)
	})
	if err != nil {
		return fmt.Errorf("store the state of Backstage location %s: %w", id, err)
	}
	return nil
}

// BackstageState returns the sync state last stored for Backstage
// location id; ok is false when there is none.
func (d *DB) BackstageState(ctx context.Context, id string) (state json.RawMessage, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(pBackstage + id))
		if err == badger.ErrKeyNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		state, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("read the state of Backstage location %s: %w", id, err)
	}
	return state, ok, nil
}

// LocationEntities calls fn with each entity location id provides, in
// uid order (UID), from one consistent snapshot, until fn returns false.
func (d *DB) LocationEntities(ctx context.Context, id string, fn func(Entity) bool) error {
	_, _, err := d.entitiesOf(ctx, id, func(_ string, record []byte) error {
		var e Entity
		if err := json.Unmarshal(record, &e); err != nil {
			return err
		}
		if !fn(e) {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return err
	}
	return nil
}

// backstageDocKey is where a file of entity ref's TechDocs, read from
// Backstage location id's TechDocs storage, is kept: under the location's
// state key, so removing the location or backing up the store treats it
// as the state.
func backstageDocKey(id, ref, file string) []byte {
	return []byte(pBackstage + id + "/docs/" + ref + "\x00" + file)
}

// PutBackstageDoc keeps a file of entity ref's TechDocs, read at readAt
// from Backstage location id's TechDocs storage, for offline reading.
func (d *DB) PutBackstageDoc(ctx context.Context, id, ref, file string, data []byte, readAt time.Time) error {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(data)), uint64(readAt.UnixNano()))
	err := d.update(ctx, func(txn *badger.Txn) error {
		return txn.Set(backstageDocKey(id, ref, file), append(v, data...))
	})
	if err != nil {
		return fmt.Errorf("keep %s of the TechDocs of %s: %w", file, ref, err)
	}
	return nil
}

// BackstageDoc returns the file of entity ref's TechDocs kept by
// PutBackstageDoc and when it was read; ok is false when none is kept.
func (d *DB) BackstageDoc(ctx context.Context, id, ref, file string) (data []byte, readAt time.Time, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(backstageDocKey(id, ref, file))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		if err != nil || len(v) < 8 {
			return err
		}
		ok, readAt, data = true, time.Unix(0, int64(binary.BigEndian.Uint64(v))), v[8:]
		return nil
	})
	if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("read %s of the TechDocs of %s: %w", file, ref, err)
	}
	return data, readAt, ok, nil
}
