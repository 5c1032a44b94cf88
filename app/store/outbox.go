package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Outbox entry states.
const (
	// StateWriting is a write under way: recorded before its commit joins
	// the outbox, so a write cut short is found and finished (or taken
	// back) when the location is next opened or synced.
	StateWriting  = "writing"
	StatePending  = "pending"  // committed locally and in the catalog, waiting for the remote
	StateConflict = "conflict" // kept on a branch: the remote changed the same files
	// StateClosed is a change whose pull request was closed unmerged: its
	// commit stays in the outbox (the catalog shows it) until the user
	// discards it or reopens the pull request.
	StateClosed = "closed"
)

// Queued says whether e's commit is one of the outbox's: the outbox
// holds one commit per queued entry, in order.
func (e OutboxEntry) Queued() bool { return e.State == StatePending || e.State == StateClosed }

// Pull request states, as OutboxReview.State holds them.
const (
	ReviewOpen             = "open"
	ReviewChangesRequested = "changesRequested"
	ReviewMerged           = "merged"
	ReviewClosed           = "closed"
)

// OutboxReview is the pull request (merge request on GitLab) an entry's
// change went to on a location that takes edits by review. Each field is
// recorded as soon as it is known, so a process killed part way finishes
// the job without opening a second pull request.
type OutboxReview struct {
	// Branch is the remote branch the change is pushed to,
	// callboard/edit/<entity>-<short id>.
	Branch string `json:"branch"`
	// Forge is the kind of forge the pull request is on (github, gitlab,
	// gitea).
	Forge string `json:"forge,omitempty"`
	// Number and URL are set once the pull request is open.
	Number int    `json:"number,omitempty"`
	URL    string `json:"url,omitempty"`
	State  string `json:"state,omitempty"`
	// Head is the branch's commit as last pushed or seen on the remote: a
	// reviewer's push moves it.
	Head string `json:"head,omitempty"`
	// Title is what the pull request was opened with.
	Title string `json:"title,omitempty"`
}

// OutboxEntry is one commit the user made through Callboard that the
// remote does not have yet.
type OutboxEntry struct {
	ID         string   `json:"id"` // <location>/<seq>
	LocationID string   `json:"locationId"`
	Commit     string   `json:"commit"` // as first committed; a rebase makes a new one
	Message    string   `json:"message"`
	Author     string   `json:"author"`
	Paths      []string `json:"paths"`
	// Changes are what the commit wrote, kept so the commit can be made
	// again should the clone be lost.
	Changes   []FileChange `json:"changes"`
	CreatedAt time.Time    `json:"createdAt"`
	State     string       `json:"state"`
	// LastError is why the last push failed (the remote unreachable, say).
	LastError string    `json:"lastError,omitempty"`
	LastTry   time.Time `json:"lastTry,omitzero"`
	// Conflict is set on the entry whose commit did not rebase; Branch is
	// set on it and on every entry kept with it.
	Conflict *OutboxConflict `json:"conflict,omitempty"`
	Branch   string          `json:"branch,omitempty"`
	// Review is set on an entry that goes to its location's branch by a
	// pull request.
	Review *OutboxReview `json:"review,omitempty"`
}

// FileChange is a file a commit wrote: its new contents, or nil for removal.
type FileChange struct {
	Path    string  `json:"path"`
	Content *string `json:"content,omitempty"`
}

// OutboxConflict holds both versions of every file the user and the
// remote changed differently. A nil version means the file is absent.
type OutboxConflict struct {
	Files []ConflictFile `json:"files"`
}

// ConflictFile is one conflicting file.
type ConflictFile struct {
	Path   string  `json:"path"`
	Base   *string `json:"base,omitempty"`
	Mine   *string `json:"mine,omitempty"`
	Theirs *string `json:"theirs,omitempty"`
}

// NewOutboxID returns the id of a new entry of location id made at t.
func NewOutboxID(id string, t time.Time) string {
	return fmt.Sprintf("%s/%016x", id, t.UnixNano())
}

// PutOutbox creates or updates outbox entries in one transaction.
func (d *DB) PutOutbox(ctx context.Context, entries ...OutboxEntry) error {
	if err := d.update(ctx, func(txn *badger.Txn) error { return putOutbox(txn, entries) }); err != nil {
		return fmt.Errorf("write the outbox: %w", err)
	}
	return nil
}

func putOutbox(txn *badger.Txn, entries []OutboxEntry) error {
	for _, e := range entries {
		if err := putJSON(txn, pOutbox+e.ID, e); err != nil {
			return err
		}
	}
	return nil
}

// DeleteOutbox removes outbox entries by id in one transaction.
func (d *DB) DeleteOutbox(ctx context.Context, ids ...string) error {
	err := d.update(ctx, func(txn *badger.Txn) error {
		for _, id := range ids {
			if err := txn.Delete([]byte(pOutbox + id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete from the outbox: %w", err)
	}
	return nil
}

// Outbox returns the entries of location id, or of every location when id
// is "", oldest first within a location.
func (d *DB) Outbox(ctx context.Context, id string) ([]OutboxEntry, error) {
	prefix := pOutbox
	if id != "" {
		prefix += id + "/"
	}
	var out []OutboxEntry
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, prefix, func(_, v []byte) error {
			var e OutboxEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the outbox: %w", err)
	}
	return out, nil
}
