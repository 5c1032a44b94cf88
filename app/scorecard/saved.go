package scorecard

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// An engine's results outlive the process: Unsaved encodes what a run
// evaluated, a store keeps it, and Restore gives it to the next process's
// engine, whose first run then reuses every entity whose inputs did not
// change. The encoding is small (savedcodec.go): a check's id comes from
// its scorecard (a result is reused only with the same version of it), so
// only failures are written.

// savedEntry is one entity's cached results as stored.
type savedEntry struct {
	Cards   uint64               `json:"c"`
	Entity  uint64               `json:"e"`
	Files   map[string]string    `json:"f,omitempty"`
	Facts   map[string]time.Time `json:"t,omitempty"`
	Expires time.Time            `json:"x,omitzero"`
	// Pending and Provided: cached.pending and cached.provided.
	Pending  bool          `json:"m,omitempty"`
	Provided uint64        `json:"p,omitempty"`
	Results  []savedResult `json:"r,omitempty"`
}

type savedResult struct {
	Scorecard string         `json:"s"`
	Level     string         `json:"l,omitempty"`
	Checks    int            `json:"n"`
	Failed    []savedFailure `json:"x,omitempty"`
	// Dated are the passed checks that read facts, with their age.
	Dated   []savedFailure `json:"d,omitempty"`
	FactsAt time.Time      `json:"a,omitzero"`
}

type savedFailure struct {
	Check   int       `json:"i"`
	Message string    `json:"m"`
	Pending bool      `json:"p,omitempty"`
	FactsAt time.Time `json:"a,omitzero"`
}

func encodeEntry(c *cached) ([]byte, error) {
	s := savedEntry{Cards: c.cards, Entity: c.entity, Files: c.files, Facts: c.facts, Expires: c.expires, Pending: c.pending, Provided: c.provided}
	for _, r := range c.results {
		sr := savedResult{Scorecard: r.Scorecard, Level: r.Level, Checks: len(r.Checks), FactsAt: r.FactsAt}
		for i, ck := range r.Checks {
			if ck.Passed && !ck.FactsAt.IsZero() {
				sr.Dated = append(sr.Dated, savedFailure{Check: i, FactsAt: ck.FactsAt})
			}
			if !ck.Passed {
				sr.Failed = append(sr.Failed, savedFailure{Check: i, Message: ck.Message, Pending: ck.Pending, FactsAt: ck.FactsAt})
			}
		}
		s.Results = append(s.Results, sr)
	}
	return marshalSaved(&s), nil
}

// expand makes a restored entry's results whole with its scorecards'
// check ids; false when one is missing or has another shape.
func (c *cached) expand(ref string, cards map[string]*Card) (*cached, bool) {
	out := *c
	out.saved, out.results = nil, make([]Result, len(c.saved.Results))
	for i, sr := range c.saved.Results {
		card := cards[sr.Scorecard]
		if card == nil || len(card.Spec.Checks) != sr.Checks {
			return nil, false
		}
		r := Result{Scorecard: sr.Scorecard, Entity: ref, Level: sr.Level, FactsAt: sr.FactsAt, Checks: make([]CheckResult, sr.Checks)}
		for j := range r.Checks {
			r.Checks[j] = CheckResult{ID: card.Spec.Checks[j].ID, Passed: true}
		}
		for _, d := range sr.Dated {
			if d.Check < 0 || d.Check >= sr.Checks {
				return nil, false
			}
			r.Checks[d.Check].FactsAt = d.FactsAt
		}
		for _, f := range sr.Failed {
			if f.Check < 0 || f.Check >= sr.Checks {
				return nil, false
			}
			r.Checks[f.Check] = CheckResult{ID: r.Checks[f.Check].ID, Message: f.Message, Pending: f.Pending, FactsAt: f.FactsAt}
		}
		out.results[i] = r
	}
	return &out, true
}

// Restore gives the engine an entity's results as Unsaved encoded them in
// an earlier process. Call it before the first Run; data that does not
// decode is an error and nothing is kept of it.
func (en *Engine) Restore(ref string, data []byte) error {
	s, err := unmarshalSaved(data)
	if err != nil {
		return fmt.Errorf("restore scorecard results of %s: %w", ref, err)
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	en.cache[ref] = &cached{cards: s.Cards, entity: s.Entity, files: s.Files, facts: s.Facts, expires: s.Expires, pending: s.Pending, provided: s.Provided, saved: s}
	return nil
}

// Unsaved returns the entities evaluated since the last call, encoded for
// Restore, and the refs forgotten since (sorted).
func (en *Engine) Unsaved() (map[string][]byte, []string, error) {
	en.mu.Lock()
	dirty, gone := en.dirty, en.gone
	en.dirty, en.gone = map[string]*cached{}, map[string]bool{}
	en.mu.Unlock()
	put := make(map[string][]byte, len(dirty))
	for ref, c := range dirty {
		b, err := encodeEntry(c)
		if err != nil {
			return nil, nil, fmt.Errorf("encode scorecard results of %s: %w", ref, err)
		}
		put[ref] = b
	}
	return put, slices.Sorted(maps.Keys(gone)), nil
}
