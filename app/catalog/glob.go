package catalog

import (
	"path"
	"strings"
)

// isGlob says whether a Location target is a pattern.
func isGlob(s string) bool { return strings.ContainsAny(s, "*?[{") }

// globMatch matches a slash-separated name against a glob pattern with
// "**" (any number of directories) and {a,b} alternatives, the syntax
// Backstage's glob targets use.
func globMatch(pattern, name string) bool { return MatchGlob(pattern, name, false) }

// MatchGlob is globMatch; with dot, wildcards match hidden names too (as
// globby's dot option, which the scaffolder's copyWithoutTemplating uses).
func MatchGlob(pattern, name string, dot bool) bool {
	for _, p := range expandBraces(pattern) {
		if matchSegments(strings.Split(p, "/"), strings.Split(name, "/"), dot) {
			return true
		}
	}
	return false
}

func matchSegments(pat, name []string, dot bool) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:], dot) {
					return true
				}
				if i < len(name) && strings.HasPrefix(name[i], ".") && !dot {
					return false // ** does not enter hidden directories
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); err != nil || !ok || strings.HasPrefix(name[0], ".") && !strings.HasPrefix(pat[0], ".") && !dot {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// expandBraces turns "a/{b,c}.yaml" into "a/b.yaml" and "a/c.yaml".
func expandBraces(p string) []string {
	open := strings.IndexByte(p, '{')
	if open < 0 {
		return []string{p}
	}
	depth := 0
	for i := open; i < len(p); i++ {
		switch p[i] {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				var out []string
				for _, alt := range splitTop(p[open+1 : i]) {
					out = append(out, expandBraces(p[:open]+alt+p[i+1:])...)
				}
				return out
			}
		}
	}
	return []string{p}
}

// splitTop splits on commas not nested in braces.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}
