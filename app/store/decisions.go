package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Decision record keys. Records are read again from the clones, so they
// are derived data.
const (
	pDecision      = "adr/"  // adr/<location>/<entity ref>\x00<file> → Decision
	pDecisionState = "adrs/" // adrs/<location> → DecisionState: the commit the location's records were read at
)

// decisionsVersion is the format of Decision and DecisionState records; a
// record of another version reads as absent and is read again from git.
const decisionsVersion = 1

// decisionBatch is how many decision records one transaction writes.
const decisionBatch = 500

// Decision is one architecture decision record of an entity's
// backstage.io/adr-location folder, or a file of it that was refused.
type Decision struct {
	V          int    `json:"v"`
	LocationID string `json:"locationId"`
	EntityRef  string `json:"entityRef"`
	// File is the record's path within the folder; Dir is the folder's
	// path in the repository.
	File         string   `json:"file"`
	Dir          string   `json:"dir"`
	Number       int      `json:"number"`
	Title        string   `json:"title,omitempty"`
	Status       string   `json:"status,omitempty"`
	StatusText   string   `json:"statusText,omitempty"`
	Format       string   `json:"format,omitempty"`
	Date         string   `json:"date,omitempty"`
	SupersededBy string   `json:"supersededBy,omitempty"`
	Successor    string   `json:"successor,omitempty"`
	Deciders     []string `json:"deciders,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Body         string   `json:"body,omitempty"`
	// Problem is why the file was refused; such a record has no other
	// fields but its place.
	Problem *QuestionProblem `json:"problem,omitempty"`
}

// DecisionState says at which commit a location's decision records were
// read.
type DecisionState struct {
	V      int    `json:"v"`
	Commit string `json:"commit"`
}

func decisionKey(id, ref, file string) string { return pDecision + id + "/" + ref + "\x00" + file }

// DecisionState returns the commit location id's decision records were
// read at; ok is false when they never were (or in another format).
func (d *DB) DecisionState(ctx context.Context, id string) (DecisionState, bool, error) {
	var st DecisionState
	var ok bool
	err := d.db.View(func(txn *badger.Txn) error {
		var err error
		ok, err = getJSON(txn, pDecisionState+id, &st)
		return err
	})
	if err != nil {
		return st, false, fmt.Errorf("read the decision state of %s: %w", id, err)
	}
	return st, ok && st.V == decisionsVersion, nil
}

// Decisions calls fn with each decision record of location id, in entity
// and file order, bodies left out unless withBody.
func (d *DB) Decisions(ctx context.Context, id string, withBody bool, fn func(Decision)) error {
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pDecision+id+"/", func(k, v []byte) error {
			var r Decision
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			if r.V == decisionsVersion {
				if !withBody {
					r.Body = ""
				}
				fn(r)
			}
			return ctx.Err()
		})
	})
	if err != nil {
		return fmt.Errorf("read the decision records of %s: %w", id, err)
	}
	return nil
}

// Decision returns the decision record file of entity ref in location
// id; ok is false when there is none.
func (d *DB) Decision(ctx context.Context, id, ref, file string) (Decision, bool, error) {
	var r Decision
	var ok bool
	err := d.db.View(func(txn *badger.Txn) error {
		var err error
		ok, err = getJSON(txn, decisionKey(id, ref, file), &r)
		return err
	})
	if err != nil {
		return r, false, fmt.Errorf("read decision record %s of %s: %w", file, ref, err)
	}
	return r, ok && r.V == decisionsVersion, nil
}

// PutDecisions replaces location id's decision records with records and
// records commit as the one they were read at. Large sets go in several
// transactions: the state is written last, so a write cut short is made
// again by the next read, which finds the old commit.
func (d *DB) PutDecisions(ctx context.Context, id, commit string, records []Decision) error {
	keep := make(map[string]bool, len(records))
	for _, r := range records {
		keep[decisionKey(id, r.EntityRef, r.File)] = true
	}
	var gone [][]byte
	err := d.db.View(func(txn *badger.Txn) error {
		return scanKeys(txn, pDecision+id+"/", func(k []byte) error {
			if !keep[string(k)] {
				gone = append(gone, bytes.Clone(k))
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("list the decision records of %s: %w", id, err)
	}
	for start := 0; start < max(len(records), len(gone)); start += decisionBatch {
		err := d.update(ctx, func(txn *badger.Txn) error {
			for _, r := range records[min(start, len(records)):min(start+decisionBatch, len(records))] {
				if strings.Contains(r.EntityRef, "\x00") {
					return fmt.Errorf("entity ref %q has a NUL", r.EntityRef)
				}
				r.V, r.LocationID = decisionsVersion, id
				if err := putJSON(txn, decisionKey(id, r.EntityRef, r.File), r); err != nil {
					return err
				}
			}
			for _, k := range gone[min(start, len(gone)):min(start+decisionBatch, len(gone))] {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("write the decision records of %s: %w", id, err)
		}
	}
	err = d.update(ctx, func(txn *badger.Txn) error {
		return putJSON(txn, pDecisionState+id, DecisionState{V: decisionsVersion, Commit: commit})
	})
	if err != nil {
		return fmt.Errorf("write the decision state of %s: %w", id, err)
	}
	return nil
}
