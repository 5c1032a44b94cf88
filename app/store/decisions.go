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
	pDecision       = "adr/"  // adr/<location>/<entity ref>\x00<file> → Decision
	pDecisionFolder = "adrf/" // adrf/<location>/<entity ref>\x00<part> → DecisionFolder: a part of the list the tab shows
	pDecisionState  = "adrs/" // adrs/<location> → DecisionState: the commit the location's records were read at
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
	// fields but its place and Hash.
	Problem *DecisionProblem `json:"problem,omitempty"`
	// Hash is the file's blob id when it was read, so that a file whose
	// blob did not move is not read again; "" when unknown.
	Hash string `json:"hash,omitempty"`
}

// DecisionProblem is a file of an ADR folder that was refused, at a line
// and field when one is known: the same record as a refused question file.
type DecisionProblem = QuestionProblem

// DecisionFolder is an entity's decision records as the tab lists them,
// kept apart from the records so that a list reads one small value.
type DecisionFolder struct {
	V         int               `json:"v"`
	EntityRef string            `json:"entityRef"`
	Dir       string            `json:"dir"`
	Items     []DecisionSummary `json:"items"`
	Problems  []DecisionProblem `json:"problems,omitempty"`
}

// DecisionSummary is a decision record without its text.
type DecisionSummary struct {
	File       string `json:"file"`
	Number     int    `json:"number"`
	Title      string `json:"title,omitempty"`
	Status     string `json:"status,omitempty"`
	StatusText string `json:"statusText,omitempty"`
	Date       string `json:"date,omitempty"`
	Successor  string `json:"successor,omitempty"`
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
// and file order.
func (d *DB) Decisions(ctx context.Context, id string, fn func(Decision)) error {
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pDecision+id+"/", func(k, v []byte) error {
			var r Decision
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			if r.V == decisionsVersion {
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

// DecisionFolder returns entity ref's list of decision records in
// location id; ok is false when it has none (or in another format).
func (d *DB) DecisionFolder(ctx context.Context, id, ref string) (DecisionFolder, bool, error) {
	f := DecisionFolder{EntityRef: ref}
	var ok bool
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, folderPrefix(id, ref), func(k, v []byte) error {
			var part DecisionFolder
			if err := json.Unmarshal(v, &part); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			if part.V != decisionsVersion {
				return nil
			}
			ok = true
			f.V, f.Dir = part.V, part.Dir
			f.Items = append(f.Items, part.Items...)
			f.Problems = append(f.Problems, part.Problems...)
			return ctx.Err()
		})
	})
	if err != nil {
		return f, false, fmt.Errorf("read the decision records of %s: %w", ref, err)
	}
	return f, ok, nil
}

// DecisionFolders calls fn with every entity's list of decision records
// in location id, in entity order: the lists are small, so this is how
// the Problems page finds the files refused without reading the records.
func (d *DB) DecisionFolders(ctx context.Context, id string, fn func(DecisionFolder)) error {
	var cur DecisionFolder
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pDecisionFolder+id+"/", func(k, v []byte) error {
			var part DecisionFolder
			if err := json.Unmarshal(v, &part); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			if part.V != decisionsVersion {
				return nil
			}
			if part.EntityRef != cur.EntityRef && cur.EntityRef != "" {
				fn(cur)
				cur = DecisionFolder{}
			}
			cur.V, cur.EntityRef, cur.Dir = part.V, part.EntityRef, part.Dir
			cur.Items = append(cur.Items, part.Items...)
			cur.Problems = append(cur.Problems, part.Problems...)
			return ctx.Err()
		})
	})
	if err != nil {
		return fmt.Errorf("read the decision lists of %s: %w", id, err)
	}
	if cur.EntityRef != "" {
		fn(cur)
	}
	return nil
}

// folderPrefix is the prefix of entity ref's list in location id; the
// list is kept in parts of folderPart entries, so that no value is too
// large for one transaction.
func folderPrefix(id, ref string) string { return pDecisionFolder + id + "/" + ref + "\x00" }

const folderPart = 200

// folderParts splits f into the values stored under folderPrefix.
func folderParts(id string, f DecisionFolder) (keys []string, parts []DecisionFolder) {
	for i := 0; i == 0 || i < len(f.Items)+len(f.Problems); i += folderPart {
		part := DecisionFolder{V: decisionsVersion, EntityRef: f.EntityRef, Dir: f.Dir}
		for j := i; j < min(i+folderPart, len(f.Items)+len(f.Problems)); j++ {
			if j < len(f.Items) {
				part.Items = append(part.Items, f.Items[j])
			} else {
				part.Problems = append(part.Problems, f.Problems[j-len(f.Items)])
			}
		}
		keys = append(keys, fmt.Sprintf("%s%04x", folderPrefix(id, f.EntityRef), i/folderPart))
		parts = append(parts, part)
	}
	return keys, parts
}

// txnBytes bounds what one transaction writes: Badger refuses one past
// 15% of its memtable (614 KiB of memTableSize's 4 MiB), a record may
// hold 256 KiB, and a batch's deletions and Badger's per-entry overhead
// take up to ~60 KiB more.
const txnBytes = 384 << 10

// PutDecisions replaces location id's decision records with records and
// its entities' lists with folders, and records commit as the one they
// were read at. Large sets go in several transactions: the state is
// written last, so a write cut short is made again by the next read,
// which finds the old commit.
func (d *DB) PutDecisions(ctx context.Context, id, commit string, records []Decision, folders []DecisionFolder) error {
	type kv struct {
		k string
		v []byte
	}
	var puts []kv
	keep := map[string]bool{}
	for _, r := range records {
		if strings.Contains(r.EntityRef, "\x00") {
			return fmt.Errorf("write the decision records of %s: entity ref %q has a NUL", id, r.EntityRef)
		}
		r.V, r.LocationID = decisionsVersion, id
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode decision record %s: %w", r.File, err)
		}
		puts = append(puts, kv{decisionKey(id, r.EntityRef, r.File), b})
	}
	for _, f := range folders {
		keys, parts := folderParts(id, f)
		for i, k := range keys {
			b, err := json.Marshal(parts[i])
			if err != nil {
				return fmt.Errorf("encode the decision records of %s: %w", f.EntityRef, err)
			}
			puts = append(puts, kv{k, b})
		}
	}
	for _, p := range puts {
		keep[p.k] = true
	}
	var gone [][]byte
	err := d.db.View(func(txn *badger.Txn) error {
		for _, prefix := range []string{pDecision + id + "/", pDecisionFolder + id + "/"} {
			err := scanKeys(txn, prefix, func(k []byte) error {
				if !keep[string(k)] {
					gone = append(gone, bytes.Clone(k))
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
		return fmt.Errorf("list the decision records of %s: %w", id, err)
	}
	for len(puts) > 0 || len(gone) > 0 {
		n, m, size := 0, 0, 0
		for n < len(puts) && n+m < decisionBatch && (n == 0 || size+len(puts[n].v) <= txnBytes) {
			size += len(puts[n].k) + len(puts[n].v)
			n++
		}
		for m < len(gone) && n+m < decisionBatch {
			m++
		}
		err := d.update(ctx, func(txn *badger.Txn) error {
			for _, p := range puts[:n] {
				if err := txn.Set([]byte(p.k), p.v); err != nil {
					return err
				}
			}
			for _, k := range gone[:m] {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("write the decision records of %s: %w", id, err)
		}
		puts, gone = puts[n:], gone[m:]
	}
	err = d.update(ctx, func(txn *badger.Txn) error {
		return putJSON(txn, pDecisionState+id, DecisionState{V: decisionsVersion, Commit: commit})
	})
	if err != nil {
		return fmt.Errorf("write the decision state of %s: %w", id, err)
	}
	return nil
}
