package scorecard

import (
	"bytes"
	"reflect"
	"regexp"
	"regexp/syntax"
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
	// literals are, for each fileContains pattern, a string every match
	// holds, so most files that cannot match are passed over without
	// running the pattern.
	literals map[*regexp.Regexp][]byte
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
	fc := &fileCache{files: map[fileKey]*sharedFile{}, literals: map[*regexp.Regexp][]byte{}}
	for _, c := range cards {
		for i := range c.Spec.Checks {
			fc.addLiterals(&c.Spec.Checks[i].Rule)
		}
	}
	return fc
}

func (fc *fileCache) addLiterals(r *catalog.Rule) {
	if r.Pattern != nil {
		if _, ok := fc.literals[r.Pattern]; !ok {
			fc.literals[r.Pattern] = requiredLiteral(r.Pattern)
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
	lit, known := fc.literals[pattern]
	if !known {
		lit = nil
	}
	ok = (lit == nil || bytes.Contains(f.read.data, lit)) && pattern.Match(f.read.data)
	f.mu.Lock()
	if f.matches == nil {
		f.matches = map[*regexp.Regexp]bool{}
	}
	f.matches[pattern] = ok
	f.mu.Unlock()
	return ok
}

// requiredLiteral is the longest case-sensitive literal every match of re
// contains, nil when there is none.
func requiredLiteral(re *regexp.Regexp) []byte {
	parsed, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	lit := required(parsed.Simplify())
	if lit == "" {
		return nil
	}
	return []byte(lit)
}

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
