package scorecard

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"hash/fnv"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/catalog"
)

// Card is a scorecard, read from its entity.
type Card struct {
	Ref   string
	Title string
	Spec  *catalog.Scorecard
	// version fingerprints the spec, so a cached result of another
	// version of the scorecard is not reused.
	version uint64
}

// NewCard reads a Scorecard entity.
func NewCard(e *catalog.Entity) (*Card, error) {
	spec, err := catalog.ReadScorecard(e)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(e.Spec)
	if err != nil {
		return nil, fmt.Errorf("scorecard %s: %w", e.Ref(), err)
	}
	title := e.Metadata.Title
	if title == "" {
		title = e.Metadata.Name
	}
	return &Card{Ref: e.Ref().String(), Title: title, Spec: spec, version: hashBytes(b)}, nil
}

// Applies says whether the scorecard's appliesTo matches the entity.
func (c *Card) Applies(e *catalog.Entity) bool {
	if len(c.Spec.AppliesTo) == 0 {
		return true
	}
	for _, f := range c.Spec.AppliesTo {
		if matches(f, e.Raw) {
			return true
		}
	}
	return false
}

// matches is one filter: every field has one of its values, compared
// case-insensitively; a list field matches when any item does.
func matches(f catalog.Filter, raw map[string]any) bool {
	for field, want := range f {
		v, ok := fieldValue(raw, field)
		if !ok {
			return false
		}
		var have []any
		if l, isList := v.([]any); isList {
			have = l
		} else {
			have = []any{v}
		}
		if !slices.ContainsFunc(have, func(x any) bool {
			s := toString(x)
			return slices.ContainsFunc(want, func(w string) bool { return strings.EqualFold(s, w) })
		}) {
			return false
		}
	}
	return true
}

// Result is one entity's standing on one scorecard.
type Result struct {
	Scorecard string `json:"scorecard"`
	Entity    string `json:"entity"`
	// Level is the highest level whose checks, and those of every level
	// below, all pass; "" when the first level's do not.
	Level  string        `json:"level"`
	Checks []CheckResult `json:"checks"`
	// FactsAt is when the oldest fact the checks read was reported (zero
	// when they read none), so an offline answer says how old it is.
	FactsAt time.Time `json:"factsAt,omitzero"`
}

// CheckResult is one check's outcome; Message says why it failed.
type CheckResult struct {
	ID      string `json:"id"`
	Passed  bool   `json:"passed"`
	Message string `json:"message,omitempty"`
	// Pending: it failed for want of a fact no plugin has reported yet,
	// which is not evaluated rather than failed (it still holds the level).
	Pending bool `json:"pending,omitempty"`
	// FactsAt is when the oldest fact it read was reported.
	FactsAt time.Time `json:"factsAt,omitzero"`
}

// Passed counts the checks passed.
func (r *Result) Passed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Passed {
			n++
		}
	}
	return n
}

// Engine evaluates scorecards over subjects and keeps each subject's
// results with what they read, so the next run reevaluates only subjects
// whose inputs changed. Safe for concurrent use.
type Engine struct {
	mu    sync.Mutex
	cache map[string]*cached
	facts factContext // facts.go
	// order is the last Run's subjects, in its order, and cards the
	// version of the scorecards it evaluated: what Update keeps.
	order []string
	cards uint64
	// providedAt is the provided facts' version every result is up to
	// date with (Stale).
	providedAt uint64
	// gen counts Runs and Updates, so an Update that another overtook
	// is dropped rather than undo it.
	gen uint64
	// dirty and gone are what changed since Unsaved last said.
	dirty map[string]*cached
	gone  map[string]bool
}

// cached is a subject's results and the fingerprint of what they read.
type cached struct {
	cards  uint64 // the versions of the scorecards evaluated
	entity uint64 // the entity's document and relations
	files  map[string]string
	facts  map[string]time.Time
	// expires is when a check over a time ("within 90d") that passed
	// stops passing; zero when none did.
	expires time.Time
	// pending: a check read a fact no plugin had reported, so the
	// results hold only under the provided facts' version they were
	// evaluated with.
	pending  bool
	provided uint64
	results  []Result
	// saved is a restored entry's results before their check ids are
	// filled in from the scorecards (results is then nil).
	saved *savedEntry
}

// NewEngine returns an engine with nothing cached.
func NewEngine() *Engine {
	return &Engine{cache: map[string]*cached{}, dirty: map[string]*cached{}, gone: map[string]bool{}, facts: factContext{now: time.Now}}
}

// Stats says how much of a run was evaluated and how much reused.
type Stats struct {
	Evaluated int `json:"evaluated"`
	Reused    int `json:"reused"`
}

// Run evaluates every card over every subject on every CPU, reusing the
// results of a subject whose entity, relations (and whether their targets
// exist), files read (by hash; files without one are read again) and facts
// did not change. Results come in subject order, then card order; a
// subject no card applies to has none. Subjects not given are forgotten.
func (en *Engine) Run(ctx context.Context, cards []*Card, subjects []Subject, exists Exists) ([]Result, Stats, error) {
	en.mu.Lock()
	old, fc := en.cache, en.facts
	en.mu.Unlock()
	fc.at = fc.now()
	version := cardsVersion(cards)
	entries, reused, st, err := evaluateAll(ctx, cards, subjects, exists, old, version, &fc)
	if err != nil {
		return nil, Stats{}, err
	}
	next := make(map[string]*cached, len(subjects))
	order := make([]string, len(subjects))
	n := 0
	en.mu.Lock()
	for i, c := range entries {
		ref := subjects[i].Entity.Ref().String()
		next[ref], order[i] = c, ref
		n += len(c.results)
		if !reused[i] {
			en.dirty[ref] = c
			delete(en.gone, ref)
		}
	}
	for ref := range old {
		if next[ref] == nil {
			en.gone[ref] = true
			delete(en.dirty, ref)
		}
	}
	en.cache, en.order, en.cards, en.providedAt = next, order, version, fc.version
	en.gen++
	en.facts.expires = earliest(entries)
	en.mu.Unlock()
	out := make([]Result, 0, n)
	for _, c := range entries {
		out = append(out, c.results...)
	}
	return out, st, nil
}

// Update evaluates again the subjects given, as Run would, and keeps the
// last Run's results of every other subject: for a change only these saw
// (facts reported about them). A subject the last Run did not have is
// ignored. It returns every result, in the last Run's order, and false,
// evaluating nothing, when Run is needed instead: the scorecards changed,
// or a result expired. After the facts plugins provide changed, the
// entities Stale lists are the ones to give.
func (en *Engine) Update(ctx context.Context, cards []*Card, subjects []Subject, exists Exists) ([]Result, Stats, bool, error) {
	en.mu.Lock()
	old, fc, order, last, gen := en.cache, en.facts, en.order, en.cards, en.gen
	en.mu.Unlock()
	fc.at = fc.now()
	version := cardsVersion(cards)
	if order == nil || version != last || (!fc.expires.IsZero() && !fc.at.Before(fc.expires)) {
		return nil, Stats{}, false, nil
	}
	known := subjects[:0:0]
	for _, s := range subjects {
		if old[s.Entity.Ref().String()] != nil {
			known = append(known, s)
		}
	}
	entries, reused, st, err := evaluateAll(ctx, cards, known, exists, old, version, &fc)
	if err != nil {
		return nil, Stats{}, false, err
	}
	en.mu.Lock()
	if en.gen != gen {
		// A Run or Update came in between: its results are the newer.
		en.mu.Unlock()
		return nil, Stats{}, false, nil
	}
	next := maps.Clone(old)
	for i, c := range entries {
		ref := known[i].Entity.Ref().String()
		next[ref] = c
		if !reused[i] {
			en.dirty[ref] = c
			delete(en.gone, ref)
		}
	}
	en.cache = next
	en.gen++
	// The earlier of the two: a replaced result that held the first
	// expiry only makes the next Update give way to a Run.
	if first := earliest(entries); !first.IsZero() && (en.facts.expires.IsZero() || first.Before(en.facts.expires)) {
		en.facts.expires = first
	}
	en.mu.Unlock()
	n := 0
	for _, ref := range order {
		n += len(next[ref].results)
	}
	out := make([]Result, 0, n)
	for _, ref := range order {
		out = append(out, next[ref].results...)
	}
	st.Reused += len(order) - len(known)
	return out, st, true, nil
}

// cardsVersion fingerprints the scorecards: a cached result of other
// ones is evaluated again.
func cardsVersion(cards []*Card) uint64 {
	h := fnv.New64a()
	h.Write([]byte("cards/2")) // 2: the facts provided left out
	for _, c := range cards {
		_ = binary.Write(h, binary.LittleEndian, c.version)
		h.Write([]byte(c.Ref))
	}
	return h.Sum64()
}

// evaluateAll evaluates every card over every subject on every CPU,
// reusing old's results where the subject's inputs did not change.
func evaluateAll(ctx context.Context, cards []*Card, subjects []Subject, exists Exists, old map[string]*cached, version uint64, fc *factContext) ([]*cached, []bool, Stats, error) {
	entries := make([]*cached, len(subjects))
	reused := make([]bool, len(subjects))
	byRef := make(map[string]*Card, len(cards))
	for _, c := range cards {
		byRef[c.Ref] = c
	}
	shared := newFileCache(cards)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range jobs {
				s := &subjects[i]
				ref := s.Entity.Ref().String()
				fp := fingerprint(s, exists)
				if c := old[ref]; c != nil && c.cards == version && c.entity == fp && unchanged(c, s) && !fc.expired(c) && (!c.pending || c.provided == fc.version) {
					if c.saved == nil {
						entries[i], reused[i] = c, true
						continue
					}
					if whole, ok := c.expand(ref, byRef); ok {
						entries[i], reused[i] = whole, true
						continue
					}
				}
				entries[i] = evaluate(cards, s, ref, exists, shared, fc)
				entries[i].cards, entries[i].entity = version, fp
			}
		})
	}
	var err error
feed:
	for i := range subjects {
		select {
		case jobs <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, nil, Stats{}, fmt.Errorf("evaluate scorecards: %w", err)
	}
	var st Stats
	for _, r := range reused {
		if r {
			st.Reused++
		} else {
			st.Evaluated++
		}
	}
	return entries, reused, st, nil
}

// evaluate runs every applying card's checks on one subject, and says
// what they read.
func evaluate(cards []*Card, s *Subject, ref string, exists Exists, shared *fileCache, fc *factContext) *cached {
	ev := newEvaluation(s, exists, shared)
	ev.fc = fc
	c := &cached{}
	for _, card := range cards {
		if card.Applies(s.Entity) {
			c.results = append(c.results, ev.card(card, ref))
		}
	}
	c.files, c.expires = ev.read, ev.expires
	if ev.missing > 0 {
		c.pending, c.provided = true, fc.version
	}
	if len(ev.facts) > 0 {
		c.facts = make(map[string]time.Time, len(ev.facts))
		for _, name := range ev.facts {
			c.facts[name] = s.Facts[name].At
		}
	}
	return c
}

func (ev *evaluation) card(c *Card, ref string) Result {
	r := Result{Scorecard: c.Ref, Entity: ref, Checks: make([]CheckResult, len(c.Spec.Checks))}
	failedAt := len(c.Spec.Levels)
	ev.factsAt = time.Time{}
	for i := range c.Spec.Checks {
		ck := &c.Spec.Checks[i]
		ev.checkFactsAt = time.Time{}
		missing := ev.missing
		ok, msg := ev.check(&ck.Rule)
		r.Checks[i] = CheckResult{ID: ck.ID, Passed: ok, Message: msg, Pending: !ok && ev.missing > missing, FactsAt: ev.checkFactsAt}
		if !ok {
			failedAt = min(failedAt, slices.Index(c.Spec.Levels, ck.Level))
		}
	}
	r.FactsAt = ev.factsAt
	if failedAt > 0 {
		r.Level = c.Spec.Levels[failedAt-1]
	}
	return r
}

// fingerprint hashes what a subject's results depend on besides files and
// facts: its document, its relations and whether their targets exist.
func fingerprint(s *Subject, exists Exists) uint64 {
	h := fnv.New64a()
	hashValue(h, s.Entity.Raw)
	h.Write([]byte(s.Dir))
	for _, r := range s.Relations {
		h.Write([]byte(r.Type))
		h.Write([]byte{0})
		h.Write([]byte(r.Target))
		if exists != nil && exists(r.Target) {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{0})
		}
	}
	return h.Sum64()
}

// unchanged says whether the files and facts a cached result read are the
// same now: a file without a hash cannot be known to be.
func unchanged(c *cached, s *Subject) bool {
	for p, was := range c.files {
		if was == "" || fileHash(s.Files, p) != was {
			return false
		}
	}
	for name, at := range c.facts {
		f, ok := s.Facts[name]
		if ok == at.IsZero() || !f.At.Equal(at) {
			return false
		}
	}
	return true
}

func hashBytes(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

// hashValue writes a decoded document into h, mapping keys in order, each
// value tagged with its type so that "1" and 1 differ.
func hashValue(h hash.Hash64, v any) {
	var buf [9]byte
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf[0] = 'm'
		binary.LittleEndian.PutUint64(buf[1:], uint64(len(x)))
		h.Write(buf[:])
		for _, k := range keys {
			h.Write([]byte(k))
			h.Write([]byte{0})
			hashValue(h, x[k])
		}
	case []any:
		buf[0] = 'l'
		binary.LittleEndian.PutUint64(buf[1:], uint64(len(x)))
		h.Write(buf[:])
		for _, e := range x {
			hashValue(h, e)
		}
	case string:
		buf[0] = 's'
		binary.LittleEndian.PutUint64(buf[1:], uint64(len(x)))
		h.Write(buf[:])
		h.Write([]byte(x))
	default:
		// Numbers, booleans and null are few and short.
		b, _ := json.Marshal(x)
		h.Write([]byte{'v', byte(len(b))})
		h.Write(b)
	}
}
