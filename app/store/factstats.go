package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// FactStats is what one plugin's kept reports hold: how many entities
// they are about, when the oldest and the newest were read, and each
// fact's type as last reported.
type FactStats struct {
	Entities       int
	Oldest, Newest time.Time
	Types          map[string]string
}

// FactStats sums up the kept facts by plugin, in one pass.
func (d *DB) FactStats(ctx context.Context) (map[string]FactStats, error) {
	out := map[string]FactStats{}
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pFacts, func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			var rec factsRecord
			if json.Unmarshal(v, &rec) != nil || rec.Version != factsVersion {
				return nil
			}
			_, plugin, _ := strings.Cut(string(k[len(pFacts):]), "\x00")
			s := out[plugin]
			if s.Types == nil {
				s.Types = map[string]string{}
			}
			s.Entities++
			if s.Oldest.IsZero() || rec.ReadAt.Before(s.Oldest) {
				s.Oldest = rec.ReadAt
			}
			if rec.ReadAt.After(s.Newest) {
				s.Newest = rec.ReadAt
			}
			for _, f := range rec.Facts {
				s.Types[f.Name] = f.Type
			}
			out[plugin] = s
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("sum up the facts: %w", err)
	}
	return out, nil
}
