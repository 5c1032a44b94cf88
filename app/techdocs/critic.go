package techdocs

import (
	"regexp"
	"strings"
	"sync"
)

// pymdownx.critic runs before everything else, code blocks included, so
// its marks become private-use placeholders in the source and tags in the
// output: the text between them is still Markdown, and code shows them as
// mkdocs does.
const (
	criticFirst = '\uE100'
	criticLast  = '\uE10A'
)

type criticMark struct {
	prefix string // what every match starts with
	re     *regexp.Regexp
	open   string
	mid    string
	end    string
}

var criticMarks = sync.OnceValue(func() []criticMark {
	return []criticMark{
		{"{++", regexp.MustCompile(`(?s)\{\+\+(.*?)\+\+\}`), "\uE100", "", "\uE101"},
		{"{--", regexp.MustCompile(`(?s)\{--(.*?)--\}`), "\uE102", "", "\uE103"},
		{"{~~", regexp.MustCompile(`(?s)\{~~(.*?)~>(.*?)~~\}`), "\uE104", "\uE105", "\uE106"},
		{"{==", regexp.MustCompile(`(?s)\{==(.*?)==\}`), "\uE107", "", "\uE108"},
		{"{>>", regexp.MustCompile(`(?s)\{>>(.*?)<<\}`), "\uE109", "", "\uE10A"},
	}
})

var criticTags = strings.NewReplacer(
	"\uE100", `<ins class="critic">`, "\uE101", `</ins>`,
	"\uE102", `<del class="critic">`, "\uE103", `</del>`,
	"\uE104", `<del class="critic">`, "\uE105", `</del><ins class="critic">`, "\uE106", `</ins>`,
	"\uE107", `<mark class="critic">`, "\uE108", `</mark>`,
	"\uE109", `<span class="critic comment">`, "\uE10A", `</span>`,
)

// withCriticTags makes critic placeholders tags; a page without any (the
// Replacer would copy it all the same) is returned as it is.
func withCriticTags(h string) string {
	if !strings.ContainsFunc(h, isCritic) {
		return h
	}
	return criticTags.Replace(h)
}

// criticMarkup replaces critic marks with placeholders; placeholders the
// author wrote themselves are neutralised first so they cannot open tags.
func criticMarkup(src []byte) []byte {
	s := string(src)
	if strings.ContainsFunc(s, isCritic) {
		s = strings.Map(func(r rune) rune {
			if isCritic(r) {
				return '\uFFFD'
			}
			return r
		}, s)
	}
	// ReplaceAllStringFunc copies the page even when nothing matches, and
	// code is full of braces: a mark's regexp runs only where its
	// opening is.
	for _, m := range criticMarks() {
		if !strings.Contains(s, m.prefix) {
			continue
		}
		s = m.re.ReplaceAllStringFunc(s, func(match string) string {
			sub := m.re.FindStringSubmatch(match)
			if m.mid != "" {
				return m.open + sub[1] + m.mid + sub[2] + m.end
			}
			return m.open + sub[1] + m.end
		})
	}
	return []byte(s)
}

func isCritic(r rune) bool { return r >= criticFirst && r <= criticLast }

// dropCritic removes placeholders from text used for ids and titles.
func dropCritic(s string) string {
	if !strings.ContainsFunc(s, isCritic) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isCritic(r) {
			return -1
		}
		return r
	}, s)
}
