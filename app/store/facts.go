package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Facts plugins reported about entities are kept per entity and plugin
// (pf/), with when they were read, so scorecards evaluate offline from the
// last known values and say how old they are. A plugin's new report
// replaces its last one whole.

const (
	pFacts = "pf/" // pf/<ref>\x00<plugin> → factsRecord
	// factsVersion is the version of pf/ records; a record of another
	// version is not read (the plugin reports again).
	factsVersion = 1
)

// StoredFact is one fact as kept.
type StoredFact struct {
	Name string `json:"name"`
	// Type is number, text, flag or time (an RFC 3339 string).
	Type  string `json:"type"`
	Value any    `json:"value"`
	// AsOf is when the value held when the plugin said so; zero means
	// when it was read.
	AsOf        time.Time `json:"asOf,omitzero"`
	Description string    `json:"description,omitempty"`
}

// PluginFacts is what one plugin last reported about an entity.
type PluginFacts struct {
	Plugin string
	ReadAt time.Time
	Facts  []StoredFact
}

type factsRecord struct {
	Version int          `json:"v"`
	ReadAt  time.Time    `json:"readAt"`
	Facts   []StoredFact `json:"facts"`
}

func factsKey(ref, plugin string) string { return pFacts + ref + "\x00" + plugin }

// PutFacts keeps what plugin reported about ref at readAt, in place of
// what it reported before.
func (d *DB) PutFacts(ctx context.Context, ref, plugin string, readAt time.Time, facts []StoredFact) error {
	if err := d.CheckSpace(); err != nil {
		return fmt.Errorf("keep %s's facts about %s: %w", plugin, ref, err)
	}
	rec := factsRecord{Version: factsVersion, ReadAt: readAt.UTC(), Facts: facts}
	err := d.update(ctx, func(txn *badger.Txn) error { return putJSON(txn, factsKey(ref, plugin), rec) })
	if err != nil {
		return fmt.Errorf("keep %s's facts about %s: %w", plugin, ref, err)
	}
	return nil
}

// DeleteFacts forgets what plugin reported about ref.
func (d *DB) DeleteFacts(ctx context.Context, ref, plugin string) error {
	err := d.update(ctx, func(txn *badger.Txn) error { return txn.Delete([]byte(factsKey(ref, plugin))) })
	if err != nil {
		return fmt.Errorf("forget %s's facts about %s: %w", plugin, ref, err)
	}
	return nil
}

// Facts returns what each plugin last reported about ref, by plugin name.
func (d *DB) Facts(ctx context.Context, ref string) ([]PluginFacts, error) {
	var out []PluginFacts
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pFacts+ref+"\x00", func(k, v []byte) error {
			if pf, ok := readFacts(k, v); ok {
				out = append(out, pf)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the facts about %s: %w", ref, err)
	}
	return out, nil
}

// FactsOf returns the facts about each of refs, by ref, from one
// consistent snapshot; refs with none are left out.
func (d *DB) FactsOf(ctx context.Context, refs []string) (map[string][]PluginFacts, error) {
	out := map[string][]PluginFacts{}
	err := d.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pFacts)})
		defer it.Close()
		for _, ref := range slices.Compact(slices.Sorted(slices.Values(refs))) {
			if err := ctx.Err(); err != nil {
				return err
			}
			err := scanAt(it, pFacts+ref+"\x00", func(k, v []byte) error {
				if pf, ok := readFacts(k, v); ok {
					out[ref] = append(out[ref], pf)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the facts about %d entities: %w", len(refs), err)
	}
	return out, nil
}

// AllFacts returns every entity's facts by ref, in one pass.
func (d *DB) AllFacts(ctx context.Context) (map[string][]PluginFacts, error) {
	out := map[string][]PluginFacts{}
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pFacts, func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			ref, _, _ := strings.Cut(string(k[len(pFacts):]), "\x00")
			if pf, ok := readFacts(k, v); ok {
				out[ref] = append(out[ref], pf)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the facts: %w", err)
	}
	return out, nil
}

// readFacts reads a pf/ record; ok is false for one of another version.
func readFacts(k, v []byte) (PluginFacts, bool) {
	var rec factsRecord
	if json.Unmarshal(v, &rec) != nil || rec.Version != factsVersion {
		return PluginFacts{}, false
	}
	_, plugin, _ := strings.Cut(string(k[len(pFacts):]), "\x00")
	return PluginFacts{Plugin: plugin, ReadAt: rec.ReadAt, Facts: rec.Facts}, true
}
