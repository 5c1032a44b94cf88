package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Question keys. Questions are read again from the clones, so they are
// derived data; the votes a user cast are the user's record.
const (
	pQuestion      = "q/"  // q/<location>/<slug> → Question
	pQuestionState = "qs/" // qs/<location> → QuestionState: the commit the location's questions were read at
	pVote          = "qv/" // qv/<user>\x00<post> → empty: user voted on post from this app
)

// questionsVersion is the format of Question and QuestionState records; a
// record of another version reads as absent and is read again from git.
const questionsVersion = 1

// questionBatch is how many question records one transaction writes.
const questionBatch = 500

// Question is a question read from a location's questions/ folder, with
// its answers and what was wrong with its files.
type Question struct {
	V          int               `json:"v"`
	LocationID string            `json:"locationId"`
	Slug       string            `json:"slug"`
	Title      string            `json:"title,omitempty"`
	Author     string            `json:"author,omitempty"`
	Date       time.Time         `json:"date,omitzero"`
	Tags       []string          `json:"tags,omitempty"`
	EntityRefs []string          `json:"entityRefs,omitempty"`
	Accepted   string            `json:"accepted,omitempty"`
	Votes      int               `json:"votes,omitempty"`
	Body       string            `json:"body,omitempty"`
	Answers    []Answer          `json:"answers,omitempty"`
	Broken     bool              `json:"broken,omitempty"` // question.md is missing or refused: only Problems count
	Problems   []QuestionProblem `json:"problems,omitempty"`
	// Files are the blob hashes of the files it was read from, by path,
	// so a sync reads only the questions whose files changed.
	Files map[string]string `json:"files,omitempty"`
}

// Answer is one answer file of a question.
type Answer struct {
	Name   string    `json:"name"`
	Author string    `json:"author"`
	Date   time.Time `json:"date"`
	Votes  int       `json:"votes,omitempty"`
	Body   string    `json:"body,omitempty"`
}

// QuestionProblem is a question or answer file that was refused.
type QuestionProblem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// QuestionState says at which commit a location's questions were read.
type QuestionState struct {
	V      int    `json:"v"`
	Commit string `json:"commit"`
}

func questionKey(id, slug string) string { return pQuestion + id + "/" + slug }

// QuestionState returns the commit location id's questions were read at;
// ok is false when they never were (or in another format).
func (d *DB) QuestionState(ctx context.Context, id string) (QuestionState, bool, error) {
	var st QuestionState
	var ok bool
	err := d.db.View(func(txn *badger.Txn) error {
		var err error
		ok, err = getJSON(txn, pQuestionState+id, &st)
		return err
	})
	if err != nil {
		return st, false, fmt.Errorf("read the question state of %s: %w", id, err)
	}
	return st, ok && st.V == questionsVersion, nil
}

// Questions returns location id's questions by slug.
func (d *DB) Questions(ctx context.Context, id string) (map[string]Question, error) {
	out := map[string]Question{}
	err := d.db.View(func(txn *badger.Txn) error {
		return scan(txn, pQuestion+id+"/", func(k, v []byte) error {
			var q Question
			if err := json.Unmarshal(v, &q); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			if q.V == questionsVersion {
				out[q.Slug] = q
			}
			return ctx.Err()
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the questions of %s: %w", id, err)
	}
	return out, nil
}

// PutQuestions writes location id's changed questions and deletes those
// gone, then records commit as the one they were read at. Large sets go
// in several transactions: the state is written last, so a write cut
// short is made again by the next read, which finds the old commit.
func (d *DB) PutQuestions(ctx context.Context, id, commit string, put []Question, gone []string) error {
	for start := 0; start < max(len(put), len(gone)); start += questionBatch {
		err := d.update(ctx, func(txn *badger.Txn) error {
			for _, q := range put[min(start, len(put)):min(start+questionBatch, len(put))] {
				q.V, q.LocationID = questionsVersion, id
				if err := putJSON(txn, questionKey(id, q.Slug), q); err != nil {
					return err
				}
			}
			for _, slug := range gone[min(start, len(gone)):min(start+questionBatch, len(gone))] {
				if err := txn.Delete([]byte(questionKey(id, slug))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("write the questions of %s: %w", id, err)
		}
	}
	err := d.update(ctx, func(txn *badger.Txn) error {
		return putJSON(txn, pQuestionState+id, QuestionState{V: questionsVersion, Commit: commit})
	})
	if err != nil {
		return fmt.Errorf("write the question state of %s: %w", id, err)
	}
	return nil
}

// DropQuestions deletes every question of location id and its state.
func (d *DB) DropQuestions(ctx context.Context, id string) error {
	var keys [][]byte
	err := d.db.View(func(txn *badger.Txn) error {
		return scanKeys(txn, pQuestion+id+"/", func(k []byte) error { keys = append(keys, bytes.Clone(k)); return nil })
	})
	if err != nil {
		return fmt.Errorf("list the questions of %s: %w", id, err)
	}
	keys = append(keys, []byte(pQuestionState+id))
	for start := 0; start < len(keys); start += questionBatch {
		err := d.update(ctx, func(txn *badger.Txn) error {
			for _, k := range keys[start:min(start+questionBatch, len(keys))] {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("drop the questions of %s: %w", id, err)
		}
	}
	return nil
}

func voteKey(user, post string) string { return pVote + user + "\x00" + post }

// Voted says whether user voted on post (a question or answer's id) from
// this app.
func (d *DB) Voted(ctx context.Context, user, post string) (bool, error) {
	var ok bool
	err := d.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(voteKey(user, post)))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		ok = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("read a vote of %s: %w", user, err)
	}
	return ok, nil
}

// SetVoted records (or, with on false, forgets) that user voted on post.
// It reports whether that changed anything, so two votes at once count
// once.
func (d *DB) SetVoted(ctx context.Context, user, post string, on bool) (changed bool, err error) {
	err = d.update(ctx, func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(voteKey(user, post)))
		had := err == nil
		if err != nil && !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		changed = had != on
		switch {
		case !changed:
			return nil
		case on:
			return txn.Set([]byte(voteKey(user, post)), nil)
		default:
			return txn.Delete([]byte(voteKey(user, post)))
		}
	})
	if err != nil {
		return false, fmt.Errorf("record a vote of %s: %w", user, err)
	}
	return changed, nil
}

// Question returns question slug of location id; ok is false when there
// is none.
func (d *DB) Question(ctx context.Context, id, slug string) (Question, bool, error) {
	var q Question
	var ok bool
	err := d.db.View(func(txn *badger.Txn) error {
		var err error
		ok, err = getJSON(txn, questionKey(id, slug), &q)
		return err
	})
	if err != nil {
		return q, false, fmt.Errorf("read question %s/%s: %w", id, slug, err)
	}
	return q, ok && q.V == questionsVersion, nil
}
