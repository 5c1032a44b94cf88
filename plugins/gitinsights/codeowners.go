package gitinsights

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// codeownersPaths are where GitHub looks for a CODEOWNERS file, in the
// order it looks: the first one found is the only one used.
var codeownersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// ownersRule is one rule of a CODEOWNERS file.
type ownersRule struct {
	Line    int
	Pattern string
	// Owners are the rule's users, teams and e-mail addresses; none means
	// the paths it matches have no owner.
	Owners []string
	// segs are the pattern's path segments: globs, or "**" for any number
	// of segments.
	segs []string
	// descend is whether the pattern also matches everything below the
	// paths it names (it does unless its last segment is "*" or "**").
	descend bool
}

// parseCodeowners reads a CODEOWNERS file with GitHub's syntax:
// gitignore-style patterns without negation or character ranges, owners
// after them, # comments. Lines GitHub would reject are returned as
// problems and left out.
func parseCodeowners(data []byte) (rules []ownersRule, problems []string) {
	for i, line := range strings.Split(valid(string(data)), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		pattern, rest := splitPattern(line)
		switch {
		case pattern[0] == '!':
			problems = append(problems, fmt.Sprintf("line %d: negated patterns are not supported", n))
			continue
		case pattern[0] == '[' || pattern[0] == '^':
			problems = append(problems, fmt.Sprintf("line %d: sections are GitLab syntax, not GitHub's", n))
			continue
		case strings.Contains(pattern, "***"):
			problems = append(problems, fmt.Sprintf("line %d: a pattern cannot contain ***", n))
			continue
		}
		r := compileRule(pattern)
		r.Line = n
		for _, f := range strings.Fields(rest) {
			if f[0] == '#' {
				break
			}
			r.Owners = append(r.Owners, f)
		}
		rules = append(rules, r)
	}
	return rules, problems
}

// splitPattern splits a rule line into its pattern (where "\ " is a space
// and "\#" a hash) and the rest.
func splitPattern(line string) (pattern, rest string) {
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t' || line[i+1] == '#'):
			b.WriteByte(line[i+1])
			i++
		case c == ' ' || c == '\t':
			return b.String(), line[i:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// compileRule turns a pattern into segments, following GitHub: a pattern
// without a slash but at its end matches at any depth, any other is
// relative to the root; a trailing slash matches only what is below.
func compileRule(pattern string) ownersRule {
	r := ownersRule{Pattern: pattern}
	if pattern == "/" {
		return r // matches nothing
	}
	segs := strings.Split(pattern, "/")
	if segs[0] == "" {
		segs = segs[1:]
	} else if (len(segs) == 1 || (len(segs) == 2 && segs[1] == "")) && segs[0] != "**" {
		segs = append([]string{"**"}, segs...)
	}
	if len(segs) > 1 && segs[len(segs)-1] == "" {
		segs[len(segs)-1] = "**"
	}
	last := segs[len(segs)-1]
	r.segs, r.descend = segs, last != "*" && last != "**"
	return r
}

// match reports whether the rule matches the file at p (slash-separated,
// relative to the repository's root).
func (r *ownersRule) match(p string) bool { return r.matchParts(strings.Split(p, "/")) }

// matchParts is match of a path split at its slashes.
func (r *ownersRule) matchParts(parts []string) bool {
	return len(r.segs) > 0 && r.matchFrom(0, parts)
}

func (r *ownersRule) matchFrom(si int, parts []string) bool {
	for ; si < len(r.segs); si++ {
		seg := r.segs[si]
		if seg == "**" {
			if si == len(r.segs)-1 {
				return len(parts) > 0 // at least one segment below
			}
			for k := 0; k <= len(parts); k++ {
				if r.matchFrom(si+1, parts[k:]) {
					return true
				}
			}
			return false
		}
		if len(parts) == 0 || !globMatch(seg, parts[0]) {
			return false
		}
		parts = parts[1:]
	}
	return len(parts) == 0 || r.descend
}

// globMatch matches one path segment against a glob of *, ? and
// backslash-escaped characters.
func globMatch(glob, name string) bool {
	for len(glob) > 0 {
		switch glob[0] {
		case '*':
			for len(glob) > 0 && glob[0] == '*' {
				glob = glob[1:]
			}
			if glob == "" {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if globMatch(glob, name[i:]) {
					return true
				}
			}
			return false
		case '?':
			if name == "" {
				return false
			}
			_, size := utf8.DecodeRuneInString(name)
			glob, name = glob[1:], name[size:]
		case '\\':
			if len(glob) > 1 {
				glob = glob[1:]
			}
			fallthrough
		default:
			if name == "" || name[0] != glob[0] {
				return false
			}
			glob, name = glob[1:], name[1:]
		}
	}
	return name == ""
}

// winner returns the index of the rule that decides p's owners: the last
// that matches it, or -1.
func winner(rules []ownersRule, p string) int {
	parts := strings.Split(p, "/")
	for i := len(rules) - 1; i >= 0; i-- {
		if rules[i].matchParts(parts) {
			return i
		}
	}
	return -1
}

// folderProbe is a path standing for "a file directly in folder that no
// rule names": the rules matching it are the ones that apply to the folder
// as a whole. A NUL never occurs in a pattern.
func folderProbe(folder string) string {
	if folder == "" {
		return "\x00"
	}
	return folder + "/\x00"
}

// maxOwnedFiles bounds the files whose owners are worked out one by one.
const maxOwnedFiles = 20000

// ownership is what a CODEOWNERS file says about one folder.
type ownership struct {
	// File is the CODEOWNERS file's path.
	File     string
	Rules    []ownersRule
	Problems []string
	// Folder is the index of the rule that decides the folder's owners,
	// -1 when none does; Matching are the indexes of all that match it.
	Folder   int
	Matching []int
	// Files counts the files under the folder; Wins counts, by rule index
	// (-1: no rule), the files each rule decides. Wins is nil when there
	// are more than maxOwnedFiles files.
	Files int
	Wins  map[int]int
}

// ownershipOf applies a CODEOWNERS file to folder and the files under it.
func ownershipOf(file string, data []byte, folder string, files []string) *ownership {
	o := &ownership{File: file, Folder: -1, Files: len(files)}
	o.Rules, o.Problems = parseCodeowners(data)
	probe := folderProbe(folder)
	for i := range o.Rules {
		if o.Rules[i].match(probe) {
			o.Matching = append(o.Matching, i)
			o.Folder = i
		}
	}
	if len(files) <= maxOwnedFiles {
		o.Wins = map[int]int{}
		for _, f := range files {
			o.Wins[winner(o.Rules, f)]++
		}
	}
	return o
}
