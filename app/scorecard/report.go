package scorecard

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
)

// What the API and `callboard scorecard` show of a run: JSON in camelCase,
// times as RFC 3339 strings, lists never nil.

// Summary is a scorecard, its checks and how many entities reach each level.
type Summary struct {
	Ref    string      `json:"ref"`
	Title  string      `json:"title"`
	Levels []string    `json:"levels"`
	Checks []CheckInfo `json:"checks"`
	// Counts has one entry per level, lowest first, then "" (below the
	// first level): how many entities are at exactly that level.
	Counts []LevelCount `json:"counts"`
	Total  int          `json:"total"`
}

// CheckInfo is one check as its scorecard declares it.
type CheckInfo struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Level       string `json:"level"`
	Description string `json:"description,omitempty"`
	HowToFix    string `json:"howToFix,omitempty"`
	// Field is the entity field an entity-field check reads, so a failure
	// can offer to edit it at its line; "" for other checks.
	Field string `json:"field,omitempty"`
	// Facts are the facts (plugin.fact) the check reads, if any.
	Facts []string `json:"facts,omitempty"`
	// File is the file a file check reads (or must not match), as the
	// scorecard names it: relative to the entity's folder, "/" from the
	// repository's root; "" for other checks.
	File string `json:"file,omitempty"`
}

// LevelCount is how many entities are at one level ("" below the first).
type LevelCount struct {
	Level string `json:"level"`
	Count int    `json:"count"`
}

// EntityScore is one entity's standing on one scorecard.
type EntityScore struct {
	Scorecard string         `json:"scorecard"`
	Title     string         `json:"title"`
	Levels    []string       `json:"levels"`
	Entity    string         `json:"entity"`
	Owner     string         `json:"owner,omitempty"`
	Level     string         `json:"level"`
	Passed    int            `json:"passed"`
	Total     int            `json:"total"`
	Checks    []CheckOutcome `json:"checks"`
	// FactsAt is when the oldest fact read was reported, "" when none was.
	FactsAt string `json:"factsAt,omitempty"`
}

// CheckOutcome is a check and how it went; Message says why it failed.
type CheckOutcome struct {
	CheckInfo
	Passed  bool   `json:"passed"`
	Message string `json:"message,omitempty"`
	// Pending: not evaluated for want of a fact no plugin reported yet.
	Pending bool `json:"pending,omitempty"`
	// FactsAt is when the oldest fact the check read was reported, ""
	// when it read none: the pages say how old.
	FactsAt string `json:"factsAt,omitempty"`
	// Where a failure is fixed (Locate): Path is the file in the
	// repository, the entity's own for a field check; Line the field's
	// line there, or the line of the mapping it belongs in (0: unknown);
	// Missing says a file check's file is not there, to be created.
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line,omitempty"`
	Missing bool   `json:"missing,omitempty"`
}

// EntityLevel is one entity's level on a scorecard, for lists.
type EntityLevel struct {
	Entity string `json:"entity"`
	Owner  string `json:"owner,omitempty"`
	Level  string `json:"level"`
	Passed int    `json:"passed"`
	Total  int    `json:"total"`
}

// OwnerCounts is how one owner's entities spread over the levels.
type OwnerCounts struct {
	Owner  string       `json:"owner"`
	Counts []LevelCount `json:"counts"`
	Total  int          `json:"total"`
}

// Detail is a scorecard's page: the distribution per owner and the
// entities, best level first.
type Detail struct {
	Summary
	ByOwner  []OwnerCounts `json:"byOwner"`
	Entities []EntityLevel `json:"entities"`
}

// GroupRollup is how a group's entities stand on every scorecard.
type GroupRollup struct {
	Group      string        `json:"group"`
	Scorecards []GroupScores `json:"scorecards"`
}

// GroupScores is one scorecard's counts and entities for a group.
type GroupScores struct {
	Summary
	Entities []EntityLevel `json:"entities"`
}

// Book holds a run's results, indexed for the questions the pages ask.
// It is immutable once made; safe for concurrent reads.
type Book struct {
	cards    []*Card
	byCard   map[string]*Card
	byEntity map[string][]int // entity ref → indexes into results
	byCardR  map[string][]int // scorecard ref → indexes into results
	results  []Result
	owners   map[string]string
}

// NewBook indexes results; owners maps an entity ref to its owner's ref.
func NewBook(cards []*Card, results []Result, owners map[string]string) *Book {
	b := &Book{cards: cards, byCard: map[string]*Card{}, byEntity: map[string][]int{}, byCardR: map[string][]int{},
		results: results, owners: owners}
	for _, c := range cards {
		b.byCard[c.Ref] = c
	}
	for i, r := range results {
		b.byEntity[r.Entity] = append(b.byEntity[r.Entity], i)
		b.byCardR[r.Scorecard] = append(b.byCardR[r.Scorecard], i)
	}
	return b
}

// Owners maps every subject to the target of its first ownedBy relation.
func Owners(subjects []Subject) map[string]string {
	owners := make(map[string]string, len(subjects))
	for _, s := range subjects {
		for _, r := range s.Relations {
			if r.Type == catalog.RelOwnedBy {
				owners[s.Entity.Ref().String()] = r.Target
				break
			}
		}
	}
	return owners
}

// Scorecards lists every scorecard with its counts, by title.
func (b *Book) Scorecards() []Summary {
	out := make([]Summary, 0, len(b.cards))
	for _, c := range b.cards {
		out = append(out, b.info(c, b.byCardR[c.Ref]))
	}
	slices.SortFunc(out, func(x, y Summary) int {
		return cmp.Or(strings.Compare(x.Title, y.Title), strings.Compare(x.Ref, y.Ref))
	})
	return out
}

// Card finds a scorecard by ref, or by name when only one has it.
func (b *Book) Card(name string) (*Card, bool) {
	if c, ok := b.byCard[strings.ToLower(name)]; ok {
		return c, true
	}
	var found *Card
	for _, c := range b.cards {
		_, n, _ := strings.Cut(c.Ref, "/")
		if strings.EqualFold(n, name) {
			if found != nil {
				return nil, false
			}
			found = c
		}
	}
	return found, found != nil
}

// Entity is every scorecard's result for an entity, by scorecard title.
func (b *Book) Entity(ref string) []EntityScore {
	out := []EntityScore{}
	for _, i := range b.byEntity[ref] {
		out = append(out, b.score(&b.results[i]))
	}
	slices.SortFunc(out, func(x, y EntityScore) int { return strings.Compare(x.Title, y.Title) })
	return out
}

// Levels maps each entity to its level on one scorecard; entities it does
// not apply to are absent.
func (b *Book) Levels(card string) map[string]string {
	out := map[string]string{}
	for _, i := range b.byCardR[card] {
		out[b.results[i].Entity] = b.results[i].Level
	}
	return out
}

// Detail is a scorecard's page, its entities filtered by keep (nil: all).
func (b *Book) Detail(c *Card, keep func(entity, owner string) bool) Detail {
	var idx []int
	for _, i := range b.byCardR[c.Ref] {
		r := &b.results[i]
		if keep == nil || keep(r.Entity, b.owners[r.Entity]) {
			idx = append(idx, i)
		}
	}
	d := Detail{Summary: b.info(c, idx), ByOwner: []OwnerCounts{}, Entities: b.entityLevels(c, idx)}
	byOwner := map[string][]int{}
	for _, i := range idx {
		o := b.owners[b.results[i].Entity]
		byOwner[o] = append(byOwner[o], i)
	}
	for o, is := range byOwner {
		info := b.info(c, is)
		d.ByOwner = append(d.ByOwner, OwnerCounts{Owner: o, Counts: info.Counts, Total: info.Total})
	}
	slices.SortFunc(d.ByOwner, func(x, y OwnerCounts) int { return strings.Compare(x.Owner, y.Owner) })
	return d
}

// Group rolls up the entities a group owns, on every scorecard that
// applies to any of them.
func (b *Book) Group(group string) GroupRollup {
	g := GroupRollup{Group: group, Scorecards: []GroupScores{}}
	for _, sum := range b.Scorecards() {
		c := b.byCard[sum.Ref]
		var idx []int
		for _, i := range b.byCardR[c.Ref] {
			if b.owners[b.results[i].Entity] == group {
				idx = append(idx, i)
			}
		}
		if len(idx) > 0 {
			g.Scorecards = append(g.Scorecards, GroupScores{Summary: b.info(c, idx), Entities: b.entityLevels(c, idx)})
		}
	}
	return g
}

func (b *Book) info(c *Card, idx []int) Summary {
	info := Summary{Ref: c.Ref, Title: c.Title, Levels: slices.Clone(c.Spec.Levels), Checks: checkInfos(c), Total: len(idx)}
	counts := map[string]int{}
	for _, i := range idx {
		counts[b.results[i].Level]++
	}
	for _, l := range append(slices.Clone(c.Spec.Levels), "") {
		info.Counts = append(info.Counts, LevelCount{Level: l, Count: counts[l]})
	}
	return info
}

func (b *Book) entityLevels(c *Card, idx []int) []EntityLevel {
	out := make([]EntityLevel, 0, len(idx))
	for _, i := range idx {
		r := &b.results[i]
		out = append(out, EntityLevel{Entity: r.Entity, Owner: b.owners[r.Entity], Level: r.Level, Passed: r.Passed(), Total: len(r.Checks)})
	}
	rank := func(l string) int { return slices.Index(c.Spec.Levels, l) }
	slices.SortFunc(out, func(x, y EntityLevel) int {
		return cmp.Or(cmp.Compare(rank(y.Level), rank(x.Level)), cmp.Compare(y.Passed, x.Passed), strings.Compare(x.Entity, y.Entity))
	})
	return out
}

func (b *Book) score(r *Result) EntityScore {
	c := b.byCard[r.Scorecard]
	s := EntityScore{Scorecard: c.Ref, Title: c.Title, Levels: slices.Clone(c.Spec.Levels), Entity: r.Entity,
		Owner: b.owners[r.Entity], Level: r.Level, Passed: r.Passed(), Total: len(r.Checks), Checks: []CheckOutcome{}}
	infos := checkInfos(c)
	for i, ck := range r.Checks {
		o := CheckOutcome{CheckInfo: infos[i], Passed: ck.Passed, Message: ck.Message, Pending: ck.Pending}
		if !ck.FactsAt.IsZero() {
			o.FactsAt = ck.FactsAt.UTC().Format(time.RFC3339)
		}
		s.Checks = append(s.Checks, o)
	}
	if !r.FactsAt.IsZero() {
		s.FactsAt = r.FactsAt.UTC().Format(time.RFC3339)
	}
	return s
}

func checkInfos(c *Card) []CheckInfo {
	out := make([]CheckInfo, len(c.Spec.Checks))
	for i, ck := range c.Spec.Checks {
		out[i] = CheckInfo{ID: ck.ID, Title: ck.Title, Level: ck.Level, Description: ck.Description, HowToFix: ck.HowToFix}
		r := &ck.Rule
		if r.Kind == catalog.RuleNot {
			r = &r.Rules[0]
		}
		switch r.Kind {
		case catalog.RuleField:
			if ck.Rule.Kind == catalog.RuleField {
				out[i].Field = r.Field
			}
		case catalog.RuleFileExists, catalog.RuleFileContains, catalog.RuleYAMLPath, catalog.RuleJSONPath, catalog.RuleGoModVersion:
			out[i].File = r.File
		}
		out[i].Facts = factNames(&ck.Rule, nil)
	}
	return out
}

// AtLeast says whether level reaches min on a scorecard's levels.
func (c *Card) AtLeast(level, min string) bool {
	return level != "" && slices.Index(c.Spec.Levels, level) >= slices.Index(c.Spec.Levels, min)
}

// LevelTag is an entity's level on one scorecard, for the catalog's Level
// column.
type LevelTag struct {
	Scorecard string   `json:"scorecard"`
	Title     string   `json:"title"`
	Level     string   `json:"level"`
	Levels    []string `json:"levels"`
}

// Tags are an entity's levels on every scorecard applying to it, by title.
func (b *Book) Tags(entity string) []LevelTag {
	var out []LevelTag
	for _, i := range b.byEntity[entity] {
		r := &b.results[i]
		c := b.byCard[r.Scorecard]
		out = append(out, LevelTag{Scorecard: c.Ref, Title: c.Title, Level: r.Level, Levels: c.Spec.Levels})
	}
	slices.SortFunc(out, func(x, y LevelTag) int { return strings.Compare(x.Title, y.Title) })
	return out
}

// FacetValue names a level of a scorecard as the catalog's Level facet
// does: the scorecard's name (namespace/name outside the default
// namespace), a colon, the level ("" below the first).
func FacetValue(card, level string) string {
	name := strings.TrimPrefix(strings.TrimPrefix(card, "scorecard:"), catalog.DefaultNamespace+"/")
	return name + ":" + level
}

// FacetValues are every level of every scorecard as Level facet values,
// best level first, scorecards by title.
func (b *Book) FacetValues() []string {
	var out []string
	for _, s := range b.Scorecards() {
		for i := len(s.Levels) - 1; i >= 0; i-- {
			out = append(out, FacetValue(s.Ref, s.Levels[i]))
		}
		out = append(out, FacetValue(s.Ref, ""))
	}
	return out
}

// AtFacet are the entities at a Level facet value; nil when it names no
// scorecard's level.
func (b *Book) AtFacet(value string) map[string]bool {
	for _, c := range b.cards {
		name, level, ok := strings.Cut(value, ":")
		if !ok || FacetValue(c.Ref, "") != name+":" {
			continue
		}
		out := map[string]bool{}
		for _, i := range b.byCardR[c.Ref] {
			if b.results[i].Level == level {
				out[b.results[i].Entity] = true
			}
		}
		return out
	}
	return nil
}

// AtLevels counts the entities of refs at each Level facet value, by
// value; values no entity is at are left out.
func (b *Book) AtLevels(refs []string) map[string]int {
	type at struct{ card, level string }
	n := map[at]int{}
	for _, ref := range refs {
		for _, i := range b.byEntity[ref] {
			n[at{b.results[i].Scorecard, b.results[i].Level}]++
		}
	}
	out := make(map[string]int, len(n))
	for k, c := range n {
		out[FacetValue(k.card, k.level)] += c
	}
	return out
}

// Empty says whether there are no scorecards.
func (b *Book) Empty() bool { return len(b.cards) == 0 }
