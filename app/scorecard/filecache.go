package scorecard

import (
	"bytes"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"sync"

	"github.com/callboard/callboard/app/catalog"
)

// Files shared by the subjects of a run (and by the commits of a history):
// a file is read, parsed and matched against each pattern once per version,
// however many entities and checks read it. A file whose repository knows
// its hash (a git blob) is keyed by that hash, so the same blob at many
// commits is read once; other files by their repository and path.

// fileCache is the files read so far. Safe for concurrent use.
type fileCache struct {
	mu    sync.Mutex
	files map[fileKey]*sharedFile
	// plans say, for each fileContains pattern, how to run it cheaply.
	plans map[*regexp.Regexp]plan
}

// plan is what a pattern's syntax says about its matches: a literal every
// match holds (nil when none), so files without it are passed over, and
// whether a match lies within one line, so the pattern runs only over the
// lines holding the literal. Go's regexp has no literal prefix to look for
// in "(?m)^..." and would try every position of the file.
type plan struct {
	literal []byte
	oneLine bool
}

// fileKey names one version of one file: by blob hash when known, else by
// the repository (a comparable Files) it was read from.
type fileKey struct {
	repo any
	hash string
	path string
}

// sharedFile is one version of a file and what checks made of it.
type sharedFile struct {
	once sync.Once
	read fileRead

	docOnce [2]sync.Once // YAML, JSON
	docs    [2]docRead

	mu      sync.Mutex
	matches map[*regexp.Regexp]bool
}

func newFileCache(cards []*Card) *fileCache {
	fc := &fileCache{files: map[fileKey]*sharedFile{}, plans: map[*regexp.Regexp]plan{}}
	for _, c := range cards {
		for i := range c.Spec.Checks {
			fc.addLiterals(&c.Spec.Checks[i].Rule)
		}
	}
	return fc
}

func (fc *fileCache) addLiterals(r *catalog.Rule) {
	if r.Pattern != nil {
		if _, ok := fc.plans[r.Pattern]; !ok {
			fc.plans[r.Pattern] = planFor(r.Pattern)
		}
	}
	for i := range r.Rules {
		fc.addLiterals(&r.Rules[i])
	}
}

// file returns the cache entry of path p in files; hash is its hash ("" when
// not known). A repository that cannot be a map key (a map of files, as
// tests use) shares nothing: key is then the subject's own evaluation.
func (fc *fileCache) file(files Files, hash, p string, own any) *sharedFile {
	k := fileKey{hash: hash, path: p}
	if hash == "" {
		if files != nil && reflect.TypeOf(files).Comparable() {
			k.repo = files
		} else {
			k.repo = own
		}
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	f := fc.files[k]
	if f == nil {
		f = &sharedFile{}
		fc.files[k] = f
	}
	return f
}

// match says whether pattern matches the file's data, running it once.
func (fc *fileCache) match(f *sharedFile, pattern *regexp.Regexp) bool {
	f.mu.Lock()
	ok, done := f.matches[pattern]
	f.mu.Unlock()
	if done {
		return ok
	}
	ok = fc.plans[pattern].match(pattern, f.read.data)
	f.mu.Lock()
	if f.matches == nil {
		f.matches = map[*regexp.Regexp]bool{}
	}
	f.matches[pattern] = ok
	f.mu.Unlock()
	return ok
}

func (p plan) match(re *regexp.Regexp, data []byte) bool {
	if p.literal == nil {
		return re.Match(data)
	}
	if !p.oneLine {
		return bytes.Contains(data, p.literal) && re.Match(data)
	}
	for rest := data; ; {
		i := bytes.Index(rest, p.literal)
		if i < 0 {
			return false
		}
		start := bytes.LastIndexByte(rest[:i], '\n') + 1
		end := len(rest)
		if j := bytes.IndexByte(rest[i:], '\n'); j >= 0 {
			end = i + j
		}
		if re.Match(rest[start:end]) {
			return true
		}
		if end == len(rest) {
			return false
		}
		rest = rest[end+1:]
	}
}

// planFor reads a pattern's syntax; a pattern it cannot read runs whole.
func planFor(re *regexp.Regexp) plan {
	parsed, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return plan{}
	}
	parsed = parsed.Simplify()
	lit := required(parsed)
	if lit == "" {
		return plan{}
	}
	return plan{literal: []byte(lit), oneLine: oneLine(parsed)}
}

// oneLine says whether every match of re lies within one line: it cannot
// match a newline, and what it asserts means the same at a line's ends as
// at a file's (^ and $ of multi-line mode, word boundaries; not \A or \z).
func oneLine(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpNoMatch, syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpAnyCharNotNL:
		return true
	case syntax.OpLiteral:
		return !slices.Contains(re.Rune, '\n')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return false
			}
		}
		return true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat, syntax.OpConcat, syntax.OpAlternate:
		for _, s := range re.Sub {
			if !oneLine(s) {
				return false
			}
		}
		return true
	}
	return false
}

// required is the longest case-sensitive literal every match of re
// contains, "" when there is none.
func required(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return ""
		}
		return string(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		best := ""
		for _, s := range re.Sub {
			if l := required(s); len(l) > len(best) {
				best = l
			}
		}
		return best
	}
	return ""
}
