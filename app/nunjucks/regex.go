package nunjucks

import (
	"regexp"
	"strconv"
	"strings"
)

// regex is a `r/…/flags` literal. JavaScript patterns are translated to Go's
// RE2 syntax; constructs RE2 lacks (lookaround, backreferences) fail to
// compile, where nunjitsu would accept them.
type regex struct {
	source, flags string
	re            *regexp.Regexp
}

func newRegex(source, flags string) (*regex, error) {
	re, err := compileRegex(source, flags)
	if err != nil {
		return nil, err
	}
	return &regex{source: source, flags: flags, re: re}, nil
}

func (r *regex) global() bool { return strings.Contains(r.flags, "g") }

// String is the regex's canonical spelling, as RegExp.prototype.toString.
func (r *regex) String() string {
	src := r.source
	if src == "" {
		src = "(?:)"
	}
	src = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\u2028", `\u2028`, "\u2029", `\u2029`).Replace(src)
	flags := ""
	for _, f := range "gimy" {
		if strings.ContainsRune(r.flags, f) {
			flags += string(f)
		}
	}
	return "/" + src + "/" + flags
}

// jsSpaceClass is the body of a character class matching JavaScript's \s.
const jsSpaceClass = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

func compileRegex(source, flags string) (*regexp.Regexp, error) {
	var b strings.Builder
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix += "i"
	}
	if strings.Contains(flags, "m") {
		prefix += "m"
	}
	if prefix != "" {
		b.WriteString("(?" + prefix + ")")
	}
	inClass := false
	for i := 0; i < len(source); i++ {
		c := source[i]
		switch {
		case c == '\\' && i+1 < len(source):
			i++
			e := source[i]
			switch {
			case e == 's' && inClass:
				b.WriteString(jsSpaceClass)
			case e == 's':
				b.WriteString("[" + jsSpaceClass + "]")
			case e == 'S' && !inClass:
				b.WriteString("[^" + jsSpaceClass + "]")
			case e == 'u' && i+4 < len(source) && isHex(source[i+1:i+5]):
				b.WriteString(`\x{` + source[i+1:i+5] + `}`)
				i += 4
			case e == '/':
				b.WriteString(`/`)
			case e == '-' && inClass:
				b.WriteString(`\-`)
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			if strings.HasPrefix(source[i+1:], "^") {
				b.WriteByte('^')
				i++
			}
			if strings.HasPrefix(source[i+1:], "]") {
				// JavaScript's [] matches nothing and [^] anything.
				b.WriteString(`\x{0}-\x{10FFFF}`)
			}
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		case c == '(' && strings.HasPrefix(source[i:], "(?<") && !strings.HasPrefix(source[i:], "(?<=") && !strings.HasPrefix(source[i:], "(?<!"):
			b.WriteString("(?P<")
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return regexp.Compile(b.String())
}

func isHex(s string) bool {
	_, err := strconv.ParseUint(s, 16, 32)
	return err == nil
}

// jsReplace is String.prototype.replace with a regex and a replacement
// string, including its $ patterns.
func jsReplace(s string, r *regex, repl string) string {
	matches := r.re.FindAllStringSubmatchIndex(s, -1)
	if !r.global() && len(matches) > 1 {
		matches = matches[:1]
	}
	var b strings.Builder
	last := 0
	for _, m := range matches {
		b.WriteString(s[last:m[0]])
		b.WriteString(expandReplacement(repl, s, m, r.re))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// jsReplaceString is String.prototype.replace with a string pattern: only
// the first occurrence, still with $ patterns.
func jsReplaceString(s, pattern, repl string) string {
	i := strings.Index(s, pattern)
	if i < 0 {
		return s
	}
	return s[:i] + expandReplacement(repl, s, []int{i, i + len(pattern)}, nil) + s[i+len(pattern):]
}

// expandReplacement applies GetSubstitution's patterns: $$, $&, $`, $', $n,
// $nn and $<name>.
func expandReplacement(repl, s string, m []int, re *regexp.Regexp) string {
	if !strings.Contains(repl, "$") {
		return repl
	}
	groups := len(m)/2 - 1
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '$' || i+1 >= len(repl) {
			b.WriteByte(c)
			continue
		}
		n := repl[i+1]
		switch {
		case n == '$':
			b.WriteByte('$')
			i++
		case n == '&':
			b.WriteString(s[m[0]:m[1]])
			i++
		case n == '`':
			b.WriteString(s[:m[0]])
			i++
		case n == '\'':
			b.WriteString(s[m[1]:])
			i++
		case isDigit(n):
			idx := int(n - '0')
			width := 1
			if i+2 < len(repl) && isDigit(repl[i+2]) {
				if two := idx*10 + int(repl[i+2]-'0'); two >= 1 && two <= groups {
					idx, width = two, 2
				}
			}
			if idx < 1 || idx > groups {
				b.WriteByte('$')
				continue
			}
			if m[2*idx] >= 0 {
				b.WriteString(s[m[2*idx]:m[2*idx+1]])
			}
			i += width
		case n == '<' && re != nil && len(re.SubexpNames()) > 0 && hasNamedGroups(re):
			end := strings.IndexByte(repl[i+2:], '>')
			if end < 0 {
				b.WriteByte('$')
				continue
			}
			name := repl[i+2 : i+2+end]
			if idx := re.SubexpIndex(name); idx > 0 && m[2*idx] >= 0 {
				b.WriteString(s[m[2*idx]:m[2*idx+1]])
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

func hasNamedGroups(re *regexp.Regexp) bool {
	for _, n := range re.SubexpNames() {
		if n != "" {
			return true
		}
	}
	return false
}

// jsRegexSplit is String.prototype.split with a regex: captured groups are
// spliced into the result.
func jsRegexSplit(s string, r *regex, limit int) []any {
	out := []any{}
	if limit == 0 {
		return out
	}
	if s == "" {
		if r.re.MatchString("") {
			return out
		}
		return []any{s}
	}
	last := 0
	for _, m := range r.re.FindAllStringSubmatchIndex(s, -1) {
		if m[1] == m[0] && (m[0] == 0 || m[0] >= len(s)) {
			continue
		}
		if m[1] == last && m[0] == m[1] {
			continue
		}
		out = append(out, s[last:m[0]])
		if limit > 0 && len(out) == limit {
			return out
		}
		for g := 1; g < len(m)/2; g++ {
			if m[2*g] < 0 {
				out = append(out, Undefined)
			} else {
				out = append(out, s[m[2*g]:m[2*g+1]])
			}
			if limit > 0 && len(out) == limit {
				return out
			}
		}
		last = m[1]
	}
	return append(out, s[last:])
}
