package scorecard

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/locale"
)

// StaleAfter is the age past which the pages and `callboard scorecard`
// call a fact stale: plugins report again on each page visit and sync.
const StaleAfter = 24 * time.Hour

// factContext is what fact checks read besides the subject: the run's
// time and which facts the enabled plugins provide.
type factContext struct {
	now func() time.Time
	// at is the run's time, read once so every check agrees.
	at time.Time
	// provided are the plugin.fact names the enabled plugins announce;
	// nil when unknown (no plugins to ask: `callboard scorecard`).
	provided map[string]bool
	// version fingerprints provided (0: not known), the same in every
	// process: a result that read a fact no plugin had reported says
	// which it was evaluated with, and is evaluated again under another.
	version uint64
	// expires is when the first result of the last run expires.
	expires time.Time
}

// SetClock sets what tells the time "within" checks measure from
// (time.Now by default).
func (en *Engine) SetClock(now func() time.Time) {
	en.mu.Lock()
	defer en.mu.Unlock()
	en.facts.now = now
}

// SetProvided says which facts (plugin.fact) the enabled plugins provide,
// so a check can tell a fact nothing provides from one not reported yet.
// Nil means not known.
func (en *Engine) SetProvided(names []string) {
	var m map[string]bool
	if names != nil {
		m = make(map[string]bool, len(names))
		for _, n := range names {
			m[n] = true
		}
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	keys := func(m map[string]bool) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	if (en.facts.provided == nil) != (m == nil) || !slices.Equal(keys(en.facts.provided), keys(m)) {
		en.facts.provided = m
		en.facts.version = 0
		if m != nil {
			h := fnv.New64a()
			h.Write([]byte("provided"))
			for _, k := range keys(m) {
				h.Write([]byte{0})
				h.Write([]byte(k))
			}
			en.facts.version = h.Sum64()
		}
	}
}

// Stale lists the entities whose results read a fact no plugin had
// reported and were evaluated when the plugins provided other facts than
// now: an Update given them brings every result up to date.
func (en *Engine) Stale() []string {
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.facts.version == en.providedAt {
		return nil
	}
	var refs []string
	for ref, c := range en.cache {
		if c.pending && c.provided != en.facts.version {
			refs = append(refs, ref)
		}
	}
	if len(refs) == 0 {
		en.providedAt = en.facts.version
	}
	slices.Sort(refs)
	return refs
}

// expired says whether a cached result's checks over a time may have
// stopped passing.
func (fc *factContext) expired(c *cached) bool {
	return !c.expires.IsZero() && !fc.at.Before(c.expires)
}

// fact runs a fact rule. A fact no plugin reported fails as pending,
// saying whether a plugin provides it.
func (ev *evaluation) fact(r *catalog.Rule) (bool, string) {
	ev.facts = append(ev.facts, r.Fact)
	f, ok := ev.s.Facts[r.Fact]
	if !ok {
		ev.missing++
		plugin, _, _ := strings.Cut(r.Fact, ".")
		if ev.fc != nil && ev.fc.provided != nil && !ev.fc.provided[r.Fact] {
			return false, fmt.Sprintf("no fact %s: no enabled plugin provides it", r.Fact)
		}
		return false, fmt.Sprintf("no fact %s yet (%s has not reported it)", r.Fact, plugin)
	}
	if ev.factsAt.IsZero() || f.At.Before(ev.factsAt) {
		ev.factsAt = f.At
	}
	if ev.checkFactsAt.IsZero() || f.At.Before(ev.checkFactsAt) {
		ev.checkFactsAt = f.At
	}
	if r.Test.Within > 0 {
		return ev.within(r.Test.Within, f.Value, r.Fact)
	}
	return test(&r.Test, f.Value, true, r.Fact)
}

// within passes a time at most d before the run's time (or after it).
func (ev *evaluation) within(d time.Duration, v any, what string) (bool, string) {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return false, fmt.Sprintf("%s is %s, not a time", what, show(v))
	}
	now := time.Now()
	if ev.fc != nil {
		now = ev.fc.at
	}
	until := t.Add(d)
	if !now.Before(until) {
		return false, fmt.Sprintf("%s is %s, %s ago; must be within %s", what, t.UTC().Format(time.RFC3339), locale.Age(now.Sub(t)), locale.Age(d))
	}
	if ev.expires.IsZero() || until.Before(ev.expires) {
		ev.expires = until
	}
	return true, ""
}

// factNames appends the facts a rule reads, each once, to names.
func factNames(r *catalog.Rule, names []string) []string {
	if r.Kind == catalog.RuleFact && !slices.Contains(names, r.Fact) {
		names = append(names, r.Fact)
	}
	for i := range r.Rules {
		names = factNames(&r.Rules[i], names)
	}
	return names
}

// Expired says whether a result of the last run may have changed since
// with time alone: a "within" check that passed has come to its end.
func (en *Engine) Expired() bool {
	en.mu.Lock()
	defer en.mu.Unlock()
	return !en.facts.expires.IsZero() && !en.facts.now().Before(en.facts.expires)
}

// earliest is the first time a cached result expires, zero for none.
func earliest(entries []*cached) time.Time {
	var t time.Time
	for _, c := range entries {
		if !c.expires.IsZero() && (t.IsZero() || c.expires.Before(t)) {
			t = c.expires
		}
	}
	return t
}
