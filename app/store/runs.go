package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// maxRuns is how many template runs the history keeps.
const maxRuns = 200

// MaxRunRecord bounds one run's record. The Create page reads the history
// whole and every sync reads it again (to retry first pushes); a run's
// logs and files are bounded by the runner, but not its step count, file
// list or output texts.
const MaxRunRecord = 4 << 20

// runFormat is the format of the run records written now, kept in each
// record as "v", so that a later change of the record can still read the
// runs kept before it. Records without "v" were written before the format
// was recorded; their fields are those of format 1.
const runFormat = 1

// Run is a template run's record. It is what the store keeps, not what a
// front end is sent: the portal converts between the two, so either can
// change without the other.
type Run struct {
	// Format is the record's format; PutRun sets it.
	Format   int    `json:"v,omitempty"`
	ID       string `json:"id"`
	Template string `json:"template"`
	Title    string `json:"title"`
	// Target is the project's folder; "" for a dry run.
	Target string `json:"target,omitempty"`
	DryRun bool   `json:"dryRun,omitempty"`
	// Values are the form's values (never its secrets), for starting
	// over with them; none when they were too large to keep.
	Values json.RawMessage `json:"values,omitempty"`
	// Status is running, pending, completed, failed, cancelled or
	// interrupted (scaffold.Status).
	Status     string       `json:"status"`
	Error      string       `json:"error,omitempty"`
	Started    time.Time    `json:"started"`
	Finished   time.Time    `json:"finished,omitzero"`
	Steps      []RunStep    `json:"steps"`
	Links      []RunLink    `json:"links"`
	Texts      []RunText    `json:"texts"`
	Files      []RunFile    `json:"files"`
	Publish    []RunPublish `json:"publish,omitempty"`
	Registered []string     `json:"registered,omitempty"`
}

// RunStep is how one step of a run went.
type RunStep struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Action     string   `json:"action"`
	Status     string   `json:"status"`
	Error      string   `json:"error,omitempty"`
	DurationMS int64    `json:"durationMs"`
	Log        []string `json:"log"`
}

// RunLink and RunText are a run's rendered spec.output entries.
type RunLink struct {
	Title     string `json:"title,omitempty"`
	URL       string `json:"url,omitempty"`
	EntityRef string `json:"entityRef,omitempty"`
	Icon      string `json:"icon,omitempty"`
}

type RunText struct {
	Title   string `json:"title,omitempty"`
	Content string `json:"content"`
	Default bool   `json:"default,omitempty"`
}

// RunFile is a file or folder of the project a run made; Content is kept
// for dry runs only.
type RunFile struct {
	Path    string      `json:"path"`
	Dir     bool        `json:"dir,omitempty"`
	Size    int64       `json:"size"`
	Mode    fs.FileMode `json:"mode"`
	Link    string      `json:"link,omitempty"`
	Binary  bool        `json:"binary,omitempty"`
	Content string      `json:"content,omitempty"`
}

// RunPublish is where the first push of a project a run published stands.
type RunPublish struct {
	Remote string `json:"remote,omitempty"`
	Branch string `json:"branch"`
	// Status is pushed, pending (retried at each sync) or local.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// decodeRun reads a run's record of any format this code knows.
func decodeRun(b []byte) (Run, error) {
	var r Run
	if err := json.Unmarshal(b, &r); err != nil {
		return Run{}, err
	}
	if r.Format > runFormat {
		return Run{}, fmt.Errorf("run %s: %w: format %d, this Callboard reads up to %d", r.ID, ErrNewerRecord, r.Format, runFormat)
	}
	r.Format = runFormat
	return r, nil
}

// PutRun stores a template run's record under its id (ids sort by start
// time), dropping the oldest records beyond maxRuns. A record over
// MaxRunRecord is refused with an error wrapping ErrTooLarge.
func (d *DB) PutRun(ctx context.Context, r Run) error {
	r.Format = runFormat
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode run %s: %w", r.ID, err)
	}
	if len(b) > MaxRunRecord {
		return fmt.Errorf("store run %s: %w: its record of %d bytes is over %d", r.ID, ErrTooLarge, len(b), MaxRunRecord)
	}
	err = d.update(ctx, func(txn *badger.Txn) error {
		if err := txn.Set([]byte(pRun+r.ID), b); err != nil {
			return err
		}
		var keys [][]byte
		if err := scanKeys(txn, pRun, func(k []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for i := 0; i+maxRuns < len(keys); i++ {
			if err := txn.Delete(keys[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store run %s: %w", r.ID, err)
	}
	return nil
}

// Run returns one run's record, or ok=false when the store has none.
func (d *DB) Run(ctx context.Context, id string) (r Run, ok bool, err error) {
	err = d.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(pRun + id))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		return item.Value(func(b []byte) error {
			r, err = decodeRun(b)
			return err
		})
	})
	if err != nil {
		return Run{}, false, fmt.Errorf("read run %s: %w", id, err)
	}
	return r, ok, nil
}

// Runs calls fn with each stored run, newest first, one at a time:
// records are read as fn asks for them, never all at once. A record of a
// newer format than this code reads is left out, with a warning. fn runs
// inside a read transaction and may write to the store.
func (d *DB) Runs(ctx context.Context, fn func(Run) error) error {
	return d.runs(func(b []byte) error {
		r, ok, err := d.decodeKnown(b)
		if err != nil || !ok {
			return err
		}
		return fn(r)
	})
}

// decodeKnown decodes a run's record, or says ok=false, with a warning,
// for one of a newer format than this code reads.
func (d *DB) decodeKnown(b []byte) (r Run, ok bool, err error) {
	r, err = decodeRun(b)
	if errors.Is(err, ErrNewerRecord) {
		d.log.Warn("a template run's record is left out", "err", err)
		return Run{}, false, nil
	}
	return r, err == nil, err
}

// RunsWithStatus returns the stored runs whose status is one of
// statuses, newest first, leaving out those of a newer format as Runs
// does. Only the status of the others is decoded, so large records cost
// little.
func (d *DB) RunsWithStatus(ctx context.Context, statuses ...string) ([]Run, error) {
	var out []Run
	err := d.runs(func(b []byte) error {
		var head struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return err
		}
		if !slices.Contains(statuses, head.Status) {
			return nil
		}
		r, ok, err := d.decodeKnown(b)
		if ok {
			out = append(out, r)
		}
		return err
	})
	return out, err
}

// runs calls fn with each run's encoded record, newest first, until fn
// returns an error, which runs returns as it is.
func (d *DB) runs(fn func(b []byte) error) error {
	var fnErr error
	err := d.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pRun), Reverse: true})
		defer it.Close()
		// Reverse iteration starts at the last key at or before the seek key.
		for it.Seek([]byte(pRun + "\xff")); it.Valid(); it.Next() {
			if err := it.Item().Value(func(b []byte) error { fnErr = fn(b); return nil }); err != nil {
				return err
			}
			if fnErr != nil {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the runs: %w", err)
	}
	return fnErr
}
