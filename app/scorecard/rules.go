package scorecard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
)

// MaxFileBytes is the most a rule reads of one file: a repository's files
// are untrusted, and a check over a larger one fails saying so.
const MaxFileBytes = 1 << 20

// Files is an entity's repository at its synced commit, names relative to
// its root. ReadFile and Size return an error wrapping fs.ErrNotExist for
// a missing file. catalog.Files is one.
type Files interface {
	ReadFile(name string) ([]byte, error)
	Size(name string) (int64, error)
}

// Hasher is a Files that knows a file's content hash without reading it
// (gitfetch.TreeFiles: the blob hash), so a result can say which version
// of each file it read.
type Hasher interface {
	Hash(name string) string
}

// Relation is one outgoing relation of an entity.
type Relation struct {
	Type   string
	Target string // a lower-cased ref, kind:namespace/name
}

// Fact is a value a plugin reported for an entity, and when.
type Fact struct {
	Value any       `json:"value"`
	At    time.Time `json:"at"`
}

// Subject is one entity as checks read it.
type Subject struct {
	Entity    *catalog.Entity
	Relations []Relation
	// Dir is the folder of the entity's file in its repository ("" the root).
	Dir string
	// Files is its repository; nil when it has none (a plugin's entities),
	// and file rules then fail.
	Files Files
	// Facts are the facts reported for it, by plugin.fact name.
	Facts map[string]Fact
}

// Exists says whether the catalog has an entity of that lower-cased ref.
type Exists func(ref string) bool

// evaluation is one subject's run through the checks of every scorecard
// that applies: files come from the run's cache, read once however many
// subjects and checks read them.
type evaluation struct {
	s      *Subject
	exists Exists
	shared *fileCache
	files  map[string]*sharedFile
	// named are the same files by the name a rule gives (relative to the
	// entity's folder, or / from the root), so the path is joined once
	// per file, not once per check.
	named map[string]*sharedFile
	// read are the files read, with their hash when Files knows it.
	read map[string]string
	// factsAt is when the oldest fact read was reported; checkFactsAt
	// the same for the check under way.
	factsAt, checkFactsAt time.Time
	facts                 []string
	// fc is the run's time and the facts plugins provide; missing counts
	// the facts read that no plugin reported; expires is when the first
	// passing check over a time stops passing.
	fc      *factContext
	missing int
	expires time.Time
}

type fileRead struct {
	data []byte
	err  error
}

type docRead struct {
	v   any
	err error
}

func newEvaluation(s *Subject, exists Exists, shared *fileCache) *evaluation {
	return &evaluation{s: s, exists: exists, shared: shared}
}

// check runs a rule; a failure says why, in words for the entity page.
func (ev *evaluation) check(r *catalog.Rule) (bool, string) {
	switch r.Kind {
	case catalog.RuleField:
		v, ok := fieldValue(ev.s.Entity.Raw, r.Field)
		return test(&r.Test, v, ok, r.Field)
	case catalog.RuleRelation:
		return ev.relation(r)
	case catalog.RuleFileExists:
		if _, err := ev.file(r.File); err != nil {
			return false, err.Error()
		}
		return true, ""
	case catalog.RuleFileContains:
		f, err := ev.file(r.File)
		if err != nil {
			return false, err.Error()
		}
		if !ev.shared.match(f, r.Pattern) {
			return false, fmt.Sprintf("%s has nothing matching %s", r.File, r.Pattern)
		}
		return true, ""
	case catalog.RuleYAMLPath, catalog.RuleJSONPath:
		doc, err := ev.document(r)
		if err != nil {
			return false, err.Error()
		}
		v, ok := walkPath(doc, r.Path)
		return test(&r.Test, v, ok, r.File+": "+r.Path)
	case catalog.RuleGoModVersion:
		f, err := ev.file(r.File)
		if err != nil {
			return false, err.Error()
		}
		v, ok := goDirective(f.read.data)
		return test(&r.Test, v, ok, "go.mod's go version")
	case catalog.RuleFact:
		return ev.fact(r)
	case catalog.RuleAny:
		var why []string
		for i := range r.Rules {
			ok, msg := ev.check(&r.Rules[i])
			if ok {
				return true, ""
			}
			why = append(why, msg)
		}
		return false, "none of: " + strings.Join(why, "; ")
	case catalog.RuleAll:
		for i := range r.Rules {
			if ok, msg := ev.check(&r.Rules[i]); !ok {
				return false, msg
			}
		}
		return true, ""
	case catalog.RuleNot:
		missing := ev.missing
		ok, msg := ev.check(&r.Rules[0])
		if ok {
			return false, "passes a rule it must not: " + describeRule(&r.Rules[0])
		}
		if ev.missing > missing {
			return false, msg // a fact not known yet is not a fact that fails
		}
		return true, ""
	}
	return false, fmt.Sprintf("unknown rule %q", r.Kind)
}

func (ev *evaluation) relation(r *catalog.Rule) (bool, string) {
	var found []string
	for _, rel := range ev.s.Relations {
		if rel.Type != r.Relation {
			continue
		}
		found = append(found, rel.Target)
		kind, _, _ := strings.Cut(rel.Target, ":")
		if (r.TargetKind == "" || strings.EqualFold(kind, r.TargetKind)) && (ev.exists == nil || ev.exists(rel.Target)) {
			return true, ""
		}
	}
	want := "an entity"
	if r.TargetKind != "" {
		want = "a " + r.TargetKind
	}
	if len(found) == 0 {
		return false, fmt.Sprintf("has no %s relation", r.Relation)
	}
	return false, fmt.Sprintf("%s %s, not %s in the catalog", r.Relation, strings.Join(found, ", "), want)
}

// file reads a file relative to the subject's folder, at most MaxFileBytes;
// an error says why it cannot be read.
func (ev *evaluation) file(name string) (*sharedFile, error) {
	if f, ok := ev.named[name]; ok {
		return f, f.read.err
	}
	p := path.Join(ev.s.Dir, name)
	if strings.HasPrefix(name, "/") {
		p = strings.TrimPrefix(path.Clean(name), "/")
	}
	f, ok := ev.files[p]
	if !ok {
		hash := fileHash(ev.s.Files, p)
		f = ev.shared.file(ev.s.Files, strings.TrimPrefix(hash, "-"), p, ev)
		f.once.Do(func() { f.read = ev.readFile(p) })
		if ev.files == nil {
			ev.files, ev.read = map[string]*sharedFile{}, map[string]string{}
		}
		ev.files[p], ev.read[p] = f, hash
	}
	if ev.named == nil {
		ev.named = map[string]*sharedFile{}
	}
	ev.named[name] = f
	return f, f.read.err
}

// fileHash is what a result records of a file it read: its hash, "-" for
// a file known to be missing, "" when the repository cannot say.
func fileHash(files Files, p string) string {
	h, ok := files.(Hasher)
	if !ok || files == nil {
		return ""
	}
	if x := h.Hash(p); x != "" {
		return x
	}
	return "-"
}

func (ev *evaluation) readFile(p string) fileRead {
	if ev.s.Files == nil {
		return fileRead{err: fmt.Errorf("%s: the entity has no repository to read", p)}
	}
	size, err := ev.s.Files.Size(p)
	if errors.Is(err, fs.ErrNotExist) {
		return fileRead{err: fmt.Errorf("%s does not exist", p)}
	}
	if err != nil {
		return fileRead{err: fmt.Errorf("read %s: %w", p, err)}
	}
	if size > MaxFileBytes {
		return fileRead{err: fmt.Errorf("%s is larger than %d KiB, the most a check reads", p, MaxFileBytes>>10)}
	}
	data, err := ev.s.Files.ReadFile(p)
	if err != nil {
		return fileRead{err: fmt.Errorf("read %s: %w", p, err)}
	}
	if len(data) > MaxFileBytes {
		return fileRead{err: fmt.Errorf("%s is larger than %d KiB, the most a check reads", p, MaxFileBytes>>10)}
	}
	return fileRead{data: data}
}

// document reads a YAML file's first document or a JSON file, parsed once
// per version of the file.
func (ev *evaluation) document(r *catalog.Rule) (any, error) {
	f, err := ev.file(r.File)
	if err != nil {
		return nil, err
	}
	i := 0
	if r.Kind == catalog.RuleJSONPath {
		i = 1
	}
	f.docOnce[i].Do(func() { f.docs[i].v, f.docs[i].err = parseDocument(f.read.data, i == 1) })
	if f.docs[i].err != nil {
		return nil, fmt.Errorf("%s %w", r.File, f.docs[i].err)
	}
	return f.docs[i].v, nil
}

// parseDocument reads JSON or a YAML file's first document; an error reads
// after the file's name.
func parseDocument(data []byte, isJSON bool) (any, error) {
	if isJSON {
		dec := json.NewDecoder(bytes.NewReader(data))
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("is not JSON: %w", err)
		}
		return v, nil
	}
	for d, err := range catalog.ReadYAML(data) {
		if err != nil {
			return nil, fmt.Errorf("is not YAML: %w", err)
		}
		v, err := d.Decode(nil)
		if err != nil {
			return nil, fmt.Errorf("is not YAML: %w", err)
		}
		return v, nil
	}
	return nil, errors.New("has no YAML document")
}

// fieldValue reads a dotted path of an entity's document; the keys of
// annotations and labels hold dots and slashes, so they are taken whole.
func fieldValue(raw map[string]any, field string) (any, bool) {
	for _, p := range []string{"metadata.annotations.", "metadata.labels."} {
		if key, ok := strings.CutPrefix(field, p); ok {
			parent, ok := walkPath(raw, p[:len(p)-1])
			m, _ := parent.(map[string]any)
			if !ok || m == nil {
				return nil, false
			}
			v, ok := m[key]
			return v, ok
		}
	}
	return walkPath(raw, field)
}

// walkPath follows a dotted path of mapping keys and list indexes.
func walkPath(v any, dotted string) (any, bool) {
	for rest, more := dotted, true; more; {
		var p string
		p, rest, more = strings.Cut(rest, ".")
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[p]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// test runs a rule's comparison on a value; what names it in a message.
func test(t *catalog.Test, v any, present bool, what string) (bool, string) {
	switch {
	case t.Exists != nil:
		has := present && !empty(v)
		if has == *t.Exists {
			return true, ""
		}
		if has {
			return false, what + " is set and must not be"
		}
		return false, what + " is not set"
	case !present:
		return false, what + " is not set"
	case t.Matches != nil:
		s, ok := v.(string)
		if !ok || !t.Matches.MatchString(s) {
			return false, fmt.Sprintf("%s is %s, which does not match %s", what, show(v), t.Matches)
		}
		return true, ""
	case t.OneOf != nil:
		for _, x := range t.OneOf {
			if strictEqual(v, x) {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%s is %s, not one of %s", what, show(v), show(t.OneOf))
	case t.NotOneOf != nil:
		for _, x := range t.NotOneOf {
			if strictEqual(v, x) {
				return false, fmt.Sprintf("%s is %s", what, show(v))
			}
		}
		return true, ""
	case t.Version:
		s, _ := v.(string)
		want, _ := t.Value.(string)
		if !versionHolds(t.Operator, compareVersions(s, want)) {
			return false, fmt.Sprintf("%s is %s, must be %s %s", what, s, opSymbol(t.Operator), want)
		}
		return true, ""
	}
	ok, err := compare(t.Operator, v, t.Value)
	if err != nil {
		return false, err.Error()
	}
	if !ok {
		return false, fmt.Sprintf("%s is %s, must be %s %s", what, show(v), opSymbol(t.Operator), show(t.Value))
	}
	return true, ""
}

func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil || len(b) > 80 {
		return fmt.Sprintf("%.80v", v)
	}
	return string(b)
}

// opSymbols are the operators as a failure's message says them: a
// package table, since a map literal in opSymbol cost an allocation per
// failed check.
var opSymbols = map[string]string{"equal": "==", "notEqual": "!=", "lessThan": "<", "lessThanInclusive": "<=",
	"greaterThan": ">", "greaterThanInclusive": ">=", "in": "in", "notIn": "not in",
	"contains": "a list containing", "doesNotContain": "a list without"}

func opSymbol(op string) string {
	if s, ok := opSymbols[op]; ok {
		return s
	}
	return op
}

// versionHolds says whether a version comparison's result c (-1, 0, 1)
// satisfies op.
func versionHolds(op string, c int) bool {
	switch op {
	case "equal":
		return c == 0
	case "notEqual":
		return c != 0
	case "lessThan":
		return c < 0
	case "lessThanInclusive":
		return c <= 0
	case "greaterThan":
		return c > 0
	case "greaterThanInclusive":
		return c >= 0
	}
	return false
}

func describeRule(r *catalog.Rule) string {
	switch r.Kind {
	case catalog.RuleField:
		return r.Field
	case catalog.RuleFileExists, catalog.RuleFileContains, catalog.RuleYAMLPath, catalog.RuleJSONPath, catalog.RuleGoModVersion:
		return string(r.Kind) + " " + r.File
	case catalog.RuleFact:
		return r.Fact
	case catalog.RuleRelation:
		return r.Relation + " " + r.TargetKind
	}
	return string(r.Kind)
}

// goDirective is go.mod's go version.
func goDirective(data []byte) (string, bool) {
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "go" {
			return f[1], true
		}
	}
	return "", false
}

// compareVersions orders dotted version numbers ("1.22", "1.22.3",
// "v1.2.0-rc1"): missing parts count as 0, and a pre-release suffix
// sorts before its release. Something that is no version sorts first.
func compareVersions(a, b string) int {
	pa, ra := splitVersion(a)
	pb, rb := splitVersion(b)
	for i := range 3 {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case ra == rb:
		return 0
	case ra == "":
		return 1
	case rb == "":
		return -1
	}
	return strings.Compare(ra, rb)
}

func splitVersion(v string) ([3]int, string) {
	var parts [3]int
	v = strings.TrimPrefix(v, "v")
	num := v
	rest := ""
	if i := strings.IndexFunc(v, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }); i >= 0 {
		num, rest = v[:i], v[i:]
	}
	for i, p := range strings.SplitN(num, ".", 3) {
		n, err := strconv.Atoi(p)
		if err != nil {
			return [3]int{-1, -1, -1}, ""
		}
		parts[i] = n
	}
	return parts, rest
}
