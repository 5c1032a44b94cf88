package highlight

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// backupSuffixes are chroma's ignoredSuffixes (registry.go, v2.14.0,
// MIT): a file pattern matches a file name with one of them appended.
var backupSuffixes = [...]string{
	"~", ".bak", ".old", ".orig",
	".dpkg-dist", ".dpkg-old", ".ucf-dist", ".ucf-new", ".ucf-old",
	".rpmnew", ".rpmorig", ".rpmsave",
	".in",
}

// knownNames is every name and alias the registry maps directly, as
// given and lower-cased, as chroma's Register keys them.
func knownNames(reg *chroma.LexerRegistry) map[string]bool {
	known := map[string]bool{}
	for _, l := range reg.Lexers {
		c := l.Config()
		known[c.Name], known[strings.ToLower(c.Name)] = true, true
		for _, a := range c.Aliases {
			known[a], known[strings.ToLower(a)] = true, true
		}
	}
	return known
}

// get is chroma's LexerRegistry.Get. For a name that is no lexer's name
// or alias, chroma's Match tries every file pattern of every lexer, each
// again with every backup suffix appended — 6 ms a name, a dozen names
// in a build of real READMEs; match tries a suffix only on a name that
// ends with it, the one way a pattern ending in it can match.
func get(reg *chroma.LexerRegistry, known map[string]bool, name string) chroma.Lexer {
	if known[name] || known[strings.ToLower(name)] {
		return reg.Get(name)
	}
	var candidates chroma.PrioritisedLexers
	if l := match(reg, "filename."+name); l != nil {
		candidates = append(candidates, l)
	}
	if l := match(reg, name); l != nil {
		candidates = append(candidates, l)
	}
	if len(candidates) == 0 {
		return nil
	}
	sort.Sort(candidates)
	return candidates[0]
}

// match is chroma's LexerRegistry.Match: the primary file patterns
// first, then the alias ones, the highest priority of those that match.
// A pattern chroma could not parse is taken as not matching (chroma
// panics; the embedded definitions have none, TestMatchAsChroma).
func match(reg *chroma.LexerRegistry, filename string) chroma.Lexer {
	filename = filepath.Base(filename)
	for _, aliases := range []bool{false, true} {
		var matched chroma.PrioritisedLexers
		for _, l := range reg.Lexers {
			globs := l.Config().Filenames
			if aliases {
				globs = l.Config().AliasFilenames
			}
			for _, glob := range globs {
				if globMatches(glob, filename) {
					matched = append(matched, l)
				}
			}
		}
		if len(matched) > 0 {
			sort.Sort(matched)
			return matched[0]
		}
	}
	return nil
}

func globMatches(glob, filename string) bool {
	if ok, _ := filepath.Match(glob, filename); ok {
		return true
	}
	for _, suf := range backupSuffixes {
		if !strings.HasSuffix(filename, suf) {
			continue
		}
		if ok, _ := filepath.Match(glob+suf, filename); ok {
			return true
		}
	}
	return false
}
