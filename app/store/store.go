package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/callboard/callboard/app/catalog"
)

// Key prefixes. A location's entity and relation keys are indexed under
// the location so that its whole set can be replaced in one transaction.
const (
	pLocation    = "l/"  // l/<id> → Location
	pEntity      = "e/"  // e/<ref> → Entity
	pRelation    = "r/"  // r/<source>\x00<type>\x00<target> → location id
	pLocEntity   = "le/" // le/<location>\x00<ref> → nil
	pLocRelation = "lr/" // lr/<location>\x00<relation key> → nil
)

// DB is the Badger-backed store of one data dir.
type DB struct {
	db  *badger.DB
	log *slog.Logger
}

// Open opens the store in dir, or in memory when dir is "". It returns an
// error wrapping ErrLocked when another process has dir open.
func Open(ctx context.Context, dir string, log *slog.Logger) (*DB, error) {
	opts := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithLoggingLevel(badger.WARNING).
		WithNumVersionsToKeep(1).
		WithValueLogFileSize(64 << 20)
	if dir == "" {
		opts = opts.WithInMemory(true)
	}
	db, err := badger.Open(opts)
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, fmt.Errorf("open store %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return &DB{db: db, log: log}, ctx.Err()
}

// Close flushes and closes the store.
func (d *DB) Close() error {
	return d.db.Close()
}

// PutLocation creates or updates a location's record.
func (d *DB) PutLocation(ctx context.Context, loc Location) error {
	return d.db.Update(func(txn *badger.Txn) error {
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

// Snapshot is a location's complete processed output at one commit.
type Snapshot struct {
	Commit   string
	Entities []catalog.Processed
	Edges    []catalog.Edge
	Errors   []catalog.Error
}

// ReplaceLocation swaps location id's entities and relations for snap in one
// transaction, so a reader or a crash sees the old set or the new, never a
// mix. An entity another location already owns is not taken over: it becomes
// a processing error of this location, as in Backstage.
func (d *DB) ReplaceLocation(ctx context.Context, id string, snap Snapshot, now time.Time) error {
	err := d.db.Update(func(txn *badger.Txn) error {
		var loc Location
		ok, err := getJSON(txn, pLocation+id, &loc)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("location %s is not registered", id)
		}
		if err := deleteIndexed(txn, pLocEntity+id+"\x00", pEntity); err != nil {
			return err
		}
		if err := deleteIndexed(txn, pLocRelation+id+"\x00", ""); err != nil {
			return err
		}
		errs := append([]catalog.Error(nil), snap.Errors...)
		owned := map[string]bool{}
		for _, p := range snap.Entities {
			ref := p.Entity.Ref().String()
			var other Entity
			taken, err := getJSON(txn, pEntity+ref, &other)
			if err != nil {
				return err
			}
			if taken && other.LocationID != id {
				errs = append(errs, catalog.Error{File: p.Source.File, Line: p.Source.Line, Field: "metadata.name",
					Message: fmt.Sprintf("%s is already provided by location %s", ref, other.LocationID)})
				continue
			}
			owned[ref] = true
			if err := putJSON(txn, pEntity+ref, Entity{Entity: p.Entity, LocationID: id, Commit: snap.Commit, Source: p.Source}); err != nil {
				return err
			}
			if err := txn.Set([]byte(pLocEntity+id+"\x00"+ref), nil); err != nil {
				return err
			}
		}
		for _, e := range snap.Edges {
			// An edge belongs to this location when it touches one of its entities.
			if !owned[e.Source.String()] && !owned[e.Target.String()] {
				continue
			}
			rk := pRelation + e.Source.String() + "\x00" + e.Type + "\x00" + e.Target.String()
			if err := txn.Set([]byte(rk), []byte(id)); err != nil {
				return err
			}
			if err := txn.Set([]byte(pLocRelation+id+"\x00"+rk), nil); err != nil {
				return err
			}
		}
		loc.HeadCommit = snap.Commit
		loc.LastSuccess, loc.LastAttempt = now, now
		loc.LastError, loc.StaleSince = "", time.Time{}
		loc.Entities, loc.Errors = len(owned), errs
		return putJSON(txn, pLocation+id, loc)
	})
	if err != nil {
		return fmt.Errorf("replace entities of location %s: %w", id, err)
	}
	return nil
}

// MarkFailed records a failed sync without touching the location's entities;
// they stay, marked stale since the first failure after a success.
func (d *DB) MarkFailed(ctx context.Context, id string, cause error, now time.Time) error {
	return d.db.Update(func(txn *badger.Txn) error {
		var loc Location
		ok, err := getJSON(txn, pLocation+id, &loc)
		if err != nil || !ok {
			return err
		}
		loc.LastAttempt, loc.LastError = now, cause.Error()
		if loc.StaleSince.IsZero() && !loc.LastSuccess.IsZero() {
			loc.StaleSince = now
		}
		return putJSON(txn, pLocation+id, loc)
	})
}

// Entity returns the entity with canonical ref; ok is false when absent.
func (d *DB) Entity(ctx context.Context, ref string) (e Entity, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		ok, err = getJSON(txn, pEntity+ref, &e)
		return err
	})
	return e, ok, err
}

// Entities calls fn for every entity in ref order until fn returns false.
func (d *DB) Entities(ctx context.Context, fn func(Entity) bool) error {
	stop := errors.New("stop")
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pEntity, func(_, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			var e Entity
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			if !fn(e) {
				return stop
			}
			return nil
		})
	})
	if err != nil && !errors.Is(err, stop) {
		return fmt.Errorf("scan entities: %w", err)
	}
	return nil
}

// Relations returns the outgoing relations of the entity with canonical ref.
func (d *DB) Relations(ctx context.Context, ref string) ([]Relation, error) {
	var out []Relation
	prefix := pRelation + ref + "\x00"
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, prefix, func(k, _ []byte) error {
			typ, target, _ := strings.Cut(string(k[len(prefix):]), "\x00")
			out = append(out, Relation{Type: typ, Target: target})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("relations of %s: %w", ref, err)
	}
	return out, nil
}

// deleteIndexed deletes every index key under prefix and, when target is
// set, the key target+suffix each one names; with target "" the suffix
// itself is the key to delete.
func deleteIndexed(txn *badger.Txn, prefix, target string) error {
	var keys [][]byte
	err := scan(txn, prefix, func(k, _ []byte) error {
		keys = append(keys, bytes.Clone(k))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := txn.Delete(k); err != nil {
			return err
		}
		if err := txn.Delete([]byte(target + string(k[len(prefix):]))); err != nil {
			return err
		}
	}
	return nil
}

func scan(txn *badger.Txn, prefix string, fn func(k, v []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
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

// badgerLogger routes Badger's own logging into slog.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) Errorf(f string, a ...any)   { l.log.Error("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Warningf(f string, a ...any) { l.log.Warn("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Infof(f string, a ...any)    { l.log.Debug("badger", "msg", fmt.Sprintf(f, a...)) }
func (l badgerLogger) Debugf(f string, a ...any)   { l.log.Debug("badger", "msg", fmt.Sprintf(f, a...)) }
