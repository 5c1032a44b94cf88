package catalog

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Scorecard kind (callboard.dev/v1alpha1): which entities a scorecard
// applies to, its levels and its checks, each a rule. Backstage has no
// such kind, so it is Callboard's own apiVersion. The schema below checks
// the shape; checkScorecard checks what a schema cannot say (levels that
// exist, ids used once, rules of a known form, patterns that compile), each
// at its field, so a mistake reads as file:line like any other.

const (
	// ScorecardAPIVersion is the apiVersion of the Scorecard kind.
	ScorecardAPIVersion = "callboard.dev/v1alpha1"
	// KindScorecard is the Scorecard kind's name.
	KindScorecard = "Scorecard"
)

// Operators are json-rules-engine's default operators, the ones Backstage
// Tech Insights' fact checkers compare facts with.
func Operators() []string {
	return []string{
		"equal", "notEqual", "lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive",
		"in", "notIn", "contains", "doesNotContain",
	}
}

// compareOps are the short forms a fact or version comparison may be
// written with ("git-insights.lastCommitAgeDays <= 90").
var compareOps = []struct{ sym, op string }{
	{"<=", "lessThanInclusive"}, {">=", "greaterThanInclusive"}, {"==", "equal"}, {"!=", "notEqual"},
	{"<", "lessThan"}, {">", "greaterThan"},
}

func scorecardKind() kindDef {
	return kindDef{name: KindScorecard, versions: []kindVersion{{
		apiVersions: []string{ScorecardAPIVersion},
		spec: obj(req("levels", "checks"), map[string]*schema{
			"owner":     str(),
			"appliesTo": {oneOf: []*schema{object(), {types: tArray, items: object()}}},
			"levels":    {types: tArray, minItems: 1, items: str()},
			"checks": {types: tArray, minItems: 1, items: obj(req("id", "level", "rule"), map[string]*schema{
				"id": str(), "title": str(), "level": str(), "description": anyStr(), "howToFix": str(),
				"rule": object(),
			})},
		}),
		relations: []relationField{ownerField()},
		check:     checkScorecard,
	}}}
}

// Scorecard is a Scorecard entity's spec, read.
type Scorecard struct {
	// AppliesTo is a list of filters, any of which an entity must match;
	// none means every entity.
	AppliesTo []Filter
	Levels    []string
	Checks    []Check
}

// Filter is one of appliesTo's mappings: for each dotted field path the
// values an entity may have there (any of them, case-insensitively, as in
// Backstage's catalog filters); a list field matches when any item does.
type Filter map[string][]string

// Check is one check of a scorecard.
type Check struct {
	ID          string
	Title       string
	Level       string
	Description string
	HowToFix    string
	Rule        Rule
}

// Rule is one rule of a check; Kind says which of its fields are set.
type Rule struct {
	Kind RuleKind
	// Field: the dotted path read (Kind field); annotation and label keys
	// are taken whole after metadata.annotations. and metadata.labels.
	Field string
	// Test is what a field, a file's path value, a fact or a version is
	// compared with.
	Test Test
	// OwnerKind and Relation (Kind relation): an existing target of the
	// relation, of this kind when set.
	Relation   string
	TargetKind string
	// File is a path relative to the entity's file's folder ("/" from the
	// repository root), for the file kinds.
	File string
	// Pattern is fileContains' regular expression (RE2).
	Pattern *regexp.Regexp
	// Path is a yamlPath's or jsonPath's dotted path in the file.
	Path string
	// Fact is a fact's name: plugin.fact.
	Fact string
	// Rules are the rules of any, all and not (one).
	Rules []Rule
}

// RuleKind is the form of a rule.
type RuleKind string

// The rule kinds.
const (
	RuleField        RuleKind = "field"
	RuleRelation     RuleKind = "relation"
	RuleFileExists   RuleKind = "fileExists"
	RuleFileContains RuleKind = "fileContains"
	RuleYAMLPath     RuleKind = "yamlPath"
	RuleJSONPath     RuleKind = "jsonPath"
	RuleGoModVersion RuleKind = "goModVersion"
	RuleFact         RuleKind = "fact"
	RuleAny          RuleKind = "any"
	RuleAll          RuleKind = "all"
	RuleNot          RuleKind = "not"
)

// Test is a comparison of one value: exactly one of its forms.
type Test struct {
	// Exists, when set, asks whether the value is there (true) or not.
	Exists *bool
	// Matches is a regular expression a string value must match.
	Matches *regexp.Regexp
	// OneOf and NotOneOf list values compared with strict equality.
	OneOf    []any
	NotOneOf []any
	// Operator (one of Operators()) compares the value with Value as
	// json-rules-engine does; equals: X is Operator "equal".
	Operator string
	Value    any
	// Version compares a version number instead (goModVersion).
	Version bool
	// Within, when set, asks for a time (RFC 3339) at most this long
	// before the evaluation (a fact's "within 90d").
	Within time.Duration
}

// ReadScorecard reads a processed Scorecard entity's spec. An entity that
// passed processing always reads; the error is for any other.
func ReadScorecard(e *Entity) (*Scorecard, error) {
	if e.Kind != KindScorecard || e.APIVersion != ScorecardAPIVersion {
		return nil, fmt.Errorf("%s is not a %s %s", e.Ref(), ScorecardAPIVersion, KindScorecard)
	}
	sc, vs := parseScorecard(e.Spec)
	if len(vs) > 0 {
		v := vs[0]
		return nil, fmt.Errorf("%s: %s: %s", e.Ref(), strings.Join(v.path, "."), v.msg)
	}
	return sc, nil
}

func checkScorecard(spec map[string]any) []violation {
	_, vs := parseScorecard(spec)
	return vs
}

// parseScorecard reads a spec the schema accepted.
func parseScorecard(spec map[string]any) (*Scorecard, []violation) {
	var vs []violation
	bad := func(msg string, p ...string) {
		vs = append(vs, violation{path: append([]string{"spec"}, p...), msg: msg})
	}
	sc := &Scorecard{}
	switch a := spec["appliesTo"].(type) {
	case map[string]any:
		sc.AppliesTo = append(sc.AppliesTo, parseFilter(a, bad, "appliesTo"))
	case []any:
		for i, f := range a {
			m, _ := f.(map[string]any)
			sc.AppliesTo = append(sc.AppliesTo, parseFilter(m, bad, "appliesTo", strconv.Itoa(i)))
		}
	}
	levels, _ := spec["levels"].([]any)
	for i, l := range levels {
		s, _ := l.(string)
		if slices.Contains(sc.Levels, s) {
			bad(fmt.Sprintf("names level %q twice", s), "levels", strconv.Itoa(i))
		}
		sc.Levels = append(sc.Levels, s)
	}
	checks, _ := spec["checks"].([]any)
	seen := map[string]bool{}
	for i, c := range checks {
		m, _ := c.(map[string]any)
		at := []string{"checks", strconv.Itoa(i)}
		ck := Check{}
		ck.ID, _ = m["id"].(string)
		ck.Title, _ = m["title"].(string)
		ck.Level, _ = m["level"].(string)
		ck.Description, _ = m["description"].(string)
		ck.HowToFix, _ = m["howToFix"].(string)
		if ck.Title == "" {
			ck.Title = ck.ID
		}
		if seen[ck.ID] {
			bad(fmt.Sprintf("check id %q is used twice", ck.ID), append(at, "id")...)
		}
		seen[ck.ID] = true
		if !slices.Contains(sc.Levels, ck.Level) {
			bad(fmt.Sprintf("is not one of the levels: %s", quoteList(sc.Levels)), append(at, "level")...)
		}
		rule, _ := m["rule"].(map[string]any)
		ck.Rule = parseRule(rule, bad, append(at, "rule")...)
		sc.Checks = append(sc.Checks, ck)
	}
	return sc, vs
}

func parseFilter(m map[string]any, bad func(string, ...string), at ...string) Filter {
	f := Filter{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			f[k] = []string{v}
		case []any:
			for i, x := range v {
				s, ok := x.(string)
				if !ok {
					bad("must be a string"+describe(x), append(slices.Clone(at), k, strconv.Itoa(i))...)
				}
				f[k] = append(f[k], s)
			}
		default:
			bad("must be a string or a list of strings"+describe(v), append(slices.Clone(at), k)...)
		}
	}
	return f
}

// ruleKeys are the keys that say a rule's kind, in the order they are
// looked for.
var ruleKeys = []RuleKind{
	RuleField, "annotation", "ownerKind", RuleRelation, RuleFileExists, RuleFileContains,
	RuleYAMLPath, RuleJSONPath, RuleGoModVersion, RuleFact, RuleAny, RuleAll, RuleNot,
}

const maxRuleDepth = 16

func parseRule(m map[string]any, bad func(string, ...string), at ...string) Rule {
	return parseRuleDepth(m, bad, 0, at...)
}

func parseRuleDepth(m map[string]any, bad func(string, ...string), depth int, at ...string) Rule {
	sub := func(p ...string) []string { return append(slices.Clone(at), p...) }
	var found []string
	for _, k := range ruleKeys {
		if _, ok := m[string(k)]; ok {
			found = append(found, string(k))
		}
	}
	if len(found) != 1 {
		names := make([]string, len(ruleKeys))
		for i, k := range ruleKeys {
			names[i] = string(k)
		}
		msg := "must have exactly one of " + strings.Join(names, ", ")
		if len(found) > 1 {
			msg += "; has " + strings.Join(found, " and ")
		}
		bad(msg, at...)
		return Rule{}
	}
	if depth >= maxRuleDepth {
		bad(fmt.Sprintf("nests rules more than %d deep", maxRuleDepth), at...)
		return Rule{}
	}
	key := found[0]
	v := m[key]
	str := func(k string) string {
		s, ok := m[k].(string)
		if !ok || s == "" {
			bad("must be a non-empty string"+describe(m[k]), sub(k)...)
		}
		return s
	}
	var r Rule
	switch RuleKind(key) {
	case RuleField, "annotation":
		r.Kind = RuleField
		r.Field = str(key)
		if key == "annotation" {
			r.Field = "metadata.annotations." + r.Field
		}
		r.Test = parseTest(m, bad, []string{key}, at)
	case "ownerKind":
		r.Kind, r.Relation, r.TargetKind = RuleRelation, RelOwnedBy, str(key)
		noOthers(m, bad, []string{key}, at)
	case RuleRelation:
		r.Kind = RuleRelation
		r.Relation = str(key)
		if _, ok := m["kind"]; ok {
			r.TargetKind = str("kind")
		}
		noOthers(m, bad, []string{key, "kind"}, at)
	case RuleFileExists:
		r.Kind = RuleFileExists
		r.File = filePath(str(key), bad, sub(key))
		noOthers(m, bad, []string{key}, at)
	case RuleFileContains, RuleYAMLPath, RuleJSONPath:
		r.Kind = RuleKind(key)
		fm, ok := v.(map[string]any)
		if !ok {
			bad("must be a mapping"+describe(v), sub(key)...)
			return r
		}
		noOthers(m, bad, []string{key}, at)
		fat := sub(key)
		fs, _ := fm["file"].(string)
		if fs == "" {
			bad("must be a non-empty string"+describe(fm["file"]), append(slices.Clone(fat), "file")...)
		}
		r.File = filePath(fs, bad, append(slices.Clone(fat), "file"))
		if r.Kind == RuleFileContains {
			p, _ := fm["pattern"].(string)
			re, err := regexp.Compile(p)
			if err != nil || p == "" {
				bad("must be a regular expression (RE2)"+errText(err), append(slices.Clone(fat), "pattern")...)
			}
			r.Pattern = re
			noOthers(fm, bad, []string{"file", "pattern"}, fat)
			break
		}
		r.Path, _ = fm["path"].(string)
		if r.Path == "" {
			bad("must be a non-empty dotted path"+describe(fm["path"]), append(slices.Clone(fat), "path")...)
		}
		r.Test = parseTest(fm, bad, []string{"file", "path"}, fat)
	case RuleGoModVersion:
		r.Kind = RuleGoModVersion
		r.File = "go.mod"
		op, val, ok := splitComparison(str(key))
		if !ok || !isVersion(val) {
			bad(`must be a comparison with a version, like ">= 1.22"`+describe(v), sub(key)...)
		}
		r.Test = Test{Operator: op, Value: val, Version: true}
		noOthers(m, bad, []string{key}, at)
	case RuleFact:
		r.Kind = RuleFact
		switch f := v.(type) {
		case string:
			name, val, ok := strings.Cut(f, " ")
			if d, isWithin := strings.CutPrefix(strings.TrimSpace(val), "within "); ok && isWithin {
				r.Fact, r.Test = name, Test{Within: parseWithin(d, bad, sub(key))}
				break
			}
			op, rhs, ok2 := splitComparison(val)
			if !ok || !ok2 {
				bad(`must be "plugin.fact OP value" (OP one of <, <=, >, >=, ==, !=), "plugin.fact within DURATION" or a mapping`+describe(v), sub(key)...)
				break
			}
			r.Fact = name
			r.Test = Test{Operator: op, Value: literal(rhs)}
		case map[string]any:
			r.Fact, _ = f["name"].(string)
			if d, ok := f["within"]; ok {
				ds, _ := d.(string)
				r.Test = Test{Within: parseWithin(ds, bad, sub(key, "within"))}
				noOthers(f, bad, []string{"name", "within"}, sub(key))
				break
			}
			r.Test = parseTest(f, bad, []string{"name"}, sub(key))
		default:
			bad("must be a string or a mapping"+describe(v), sub(key)...)
		}
		if r.Fact != "" && !strings.Contains(r.Fact, ".") {
			bad(fmt.Sprintf("fact %q must be named plugin.fact", r.Fact), sub(key)...)
		}
		noOthers(m, bad, []string{key}, at)
	case RuleAny, RuleAll:
		r.Kind = RuleKind(key)
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			bad("must be a non-empty list of rules"+describe(v), sub(key)...)
			return r
		}
		for i, x := range list {
			xm, ok := x.(map[string]any)
			if !ok {
				bad("must be a rule (a mapping)"+describe(x), sub(key, strconv.Itoa(i))...)
				continue
			}
			r.Rules = append(r.Rules, parseRuleDepth(xm, bad, depth+1, sub(key, strconv.Itoa(i))...))
		}
		noOthers(m, bad, []string{key}, at)
	case RuleNot:
		r.Kind = RuleNot
		xm, ok := v.(map[string]any)
		if !ok {
			bad("must be a rule (a mapping)"+describe(v), sub(key)...)
			return r
		}
		r.Rules = []Rule{parseRuleDepth(xm, bad, depth+1, sub(key)...)}
		noOthers(m, bad, []string{key}, at)
	}
	return r
}

// parseTest reads the comparison of a rule whose other keys are known.
func parseTest(m map[string]any, bad func(string, ...string), known []string, at []string) Test {
	var t Test
	var forms []string
	for _, k := range []string{"exists", "equals", "matches", "oneOf", "notOneOf", "operator"} {
		if _, ok := m[k]; ok {
			forms = append(forms, k)
		}
	}
	if len(forms) != 1 {
		msg := "needs exactly one test: exists, equals, matches, oneOf, notOneOf or operator with value"
		if len(forms) > 1 {
			msg += "; has " + strings.Join(forms, " and ")
		}
		bad(msg, at...)
		return t
	}
	k := forms[0]
	sub := append(slices.Clone(at), k)
	allowed := append(slices.Clone(known), k)
	switch k {
	case "exists":
		b, ok := m[k].(bool)
		if !ok {
			bad("must be true or false"+describe(m[k]), sub...)
		}
		t.Exists = &b
	case "equals":
		t.Operator, t.Value = "equal", m[k]
	case "matches":
		p, _ := m[k].(string)
		re, err := regexp.Compile(p)
		if err != nil || p == "" {
			bad("must be a regular expression (RE2)"+errText(err), sub...)
		}
		t.Matches = re
	case "oneOf", "notOneOf":
		l, ok := m[k].([]any)
		if !ok {
			bad("must be a list"+describe(m[k]), sub...)
		}
		if k == "oneOf" {
			t.OneOf = l
		} else {
			t.NotOneOf = l
		}
	case "operator":
		allowed = append(allowed, "value")
		t.Operator, _ = m[k].(string)
		t.Value = m["value"]
		if !slices.Contains(Operators(), t.Operator) {
			bad("must be one of "+strings.Join(Operators(), ", ")+describe(m[k]), sub...)
		}
		if _, ok := m["value"]; !ok {
			bad("is required", append(slices.Clone(at), "value")...)
		}
		// json-rules-engine throws on in and notIn with a value that has
		// no indexOf; refusing it here keeps evaluation total.
		if t.Operator == "in" || t.Operator == "notIn" {
			switch t.Value.(type) {
			case []any, string:
			default:
				bad(t.Operator+" needs a list or a string"+describe(t.Value), append(slices.Clone(at), "value")...)
			}
		}
	}
	noOthers(m, bad, allowed, at)
	return t
}

func noOthers(m map[string]any, bad func(string, ...string), allowed []string, at []string) {
	for _, k := range sortedKeys(m) {
		if !slices.Contains(allowed, k) {
			bad("is not a field of this rule", append(slices.Clone(at), k)...)
		}
	}
}

// filePath checks a path a rule reads: relative to the entity's folder,
// or from the repository root with a leading "/", never above it.
func filePath(p string, bad func(string, ...string), at []string) string {
	if p == "" {
		return ""
	}
	clean := path.Clean(strings.TrimPrefix(p, "/"))
	if clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(p, "\\") {
		bad("must stay inside the repository", at...)
	}
	if strings.HasPrefix(p, "/") {
		return "/" + clean
	}
	return p
}

// splitComparison reads "OP value" with OP one of compareOps.
func splitComparison(s string) (op, value string, ok bool) {
	s = strings.TrimSpace(s)
	for _, c := range compareOps {
		if rest, found := strings.CutPrefix(s, c.sym); found {
			v := strings.TrimSpace(rest)
			return c.op, v, v != ""
		}
	}
	return "", "", false
}

// literal reads the value of a short comparison: a number, true, false or
// null as in JSON, anything else a string (quotes taken off).
func literal(s string) any {
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && floatRE().MatchString(s) {
		return f
	}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

var versionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v?[0-9]+(\.[0-9]+){0,2}([-a-z0-9.+]*)$`) })

func isVersion(s string) bool { return versionRE().MatchString(s) }

func errText(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

// parseWithin reads a fact's "within" duration: a whole number of days
// ("90d") or weeks ("2w"), or a Go duration ("36h", "90m").
func parseWithin(s string, bad func(string, ...string), at []string) time.Duration {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	if n, unit := strings.TrimRight(s, "dw"), strings.TrimLeft(s, "0123456789"); (unit == "d" || unit == "w") && n != "" {
		var days int
		days, err = strconv.Atoi(n)
		if unit == "w" && days <= 36500 {
			days *= 7
		}
		if days > 36500 {
			days = -1 // beyond the bound below, without overflowing
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 || d > 100*365*24*time.Hour {
		bad(`must be a duration like "90d", "2w" or "36h"`+describe(s), at...)
		return 0
	}
	return d
}

// KeyLine is the file line where the key at path is written (mapping keys,
// list indexes), or, when it is not, that of its deepest ancestor present:
// where a scorecard's failed field check says to add it.
func (d YAMLDocument) KeyLine(path ...string) int {
	line, _ := d.d.keyPosition(path...)
	return line
}
