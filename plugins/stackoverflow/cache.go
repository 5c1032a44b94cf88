package stackoverflow

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// cacheVersion is the cache file's format; a file of another is ignored.
const cacheVersion = 1

// cached is what is kept on disk for one set of settings (cacheKey).
type cached struct {
	Version int    `json:"v"`
	Key     string `json:"key"`
	// AttemptedAt is the last fetch's start, whatever became of it;
	// FetchedAt the last one's that got questions.
	AttemptedAt time.Time `json:"attemptedAt"`
	FetchedAt   time.Time `json:"fetchedAt"`
	// NotBefore is when the API may be asked again: its backoff, or the
	// next day once the quota is spent.
	NotBefore time.Time `json:"notBefore"`
	// LastError says why the last fetch stopped early ("" when it did not).
	LastError string     `json:"lastError,omitempty"`
	Questions []question `json:"questions"`
}

// due says whether the API should be asked now.
func (c cached) due(now time.Time, refresh time.Duration) bool {
	return !now.Before(c.NotBefore) && (c.AttemptedAt.IsZero() || now.Sub(c.AttemptedAt) >= refresh)
}

// with is c after fetch r started at now: a complete fetch replaces the
// questions, a partial one adds to them (by id, the newer copy wins).
// Questions stay most recently active first, at most maxQuestions.
func (c cached) with(r fetched, now time.Time) cached {
	c.AttemptedAt = now
	c.NotBefore = r.notBefore
	c.LastError = ""
	if r.err != nil {
		c.LastError = r.err.Error()
	}
	if len(r.questions) > 0 || r.complete {
		c.FetchedAt = now
	}
	qs := r.questions
	if !r.complete {
		have := make(map[int64]bool, len(r.questions))
		for _, q := range r.questions {
			have[q.ID] = true
		}
		qs = slices.Clone(r.questions)
		for _, q := range c.Questions {
			if !have[q.ID] {
				qs = append(qs, q)
			}
		}
	}
	slices.SortStableFunc(qs, func(a, b question) int {
		return cmp.Or(b.ActivityAt.Compare(a.ActivityAt), cmp.Compare(b.ID, a.ID))
	})
	c.Questions = qs[:min(len(qs), maxQuestions)]
	return c
}

// questionCache keeps each set of settings' questions in a file of dir.
type questionCache struct {
	dir string
}

func (qc questionCache) path(key string) string {
	return filepath.Join(qc.dir, "questions-"+key+".json")
}

// modTime is when key's file was last written (zero when there is none).
func (qc questionCache) modTime(key string) time.Time {
	if qc.dir == "" {
		return time.Time{}
	}
	fi, err := os.Stat(qc.path(key))
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

// load returns the questions kept for key; a missing file, or one of
// another format, is an empty cache. A file that cannot be read is an error.
func (qc questionCache) load(key string) (cached, error) {
	empty := cached{Version: cacheVersion, Key: key}
	if qc.dir == "" {
		return empty, nil
	}
	data, err := os.ReadFile(qc.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return empty, nil
	}
	if err != nil {
		return empty, fmt.Errorf("read the question cache: %w", err)
	}
	var c cached
	if err := json.Unmarshal(data, &c); err != nil {
		return empty, fmt.Errorf("decode the question cache %s: %w", qc.path(key), err)
	}
	if c.Version != cacheVersion || c.Key != key {
		return empty, nil
	}
	return c, nil
}

// store writes c whole, through a temporary file, so a reader never sees
// half of it.
func (qc questionCache) store(c cached) error {
	if qc.dir == "" {
		return nil
	}
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode the question cache: %w", err)
	}
	if err := os.MkdirAll(qc.dir, 0o700); err != nil {
		return fmt.Errorf("question cache folder: %w", err)
	}
	f, err := os.CreateTemp(qc.dir, ".questions-*.tmp")
	if err != nil {
		return fmt.Errorf("write the question cache: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, qc.path(c.Key))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write the question cache: %w", err)
	}
	return nil
}
