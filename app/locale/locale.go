// Package locale finds the user's language in the environment, the way the
// C library and gettext do, as a BCP 47 tag the window's Intl accepts.
// It also says durations in words for messages (Age).
package locale

import (
	"strings"

	"golang.org/x/text/language"
)

// FromEnv returns the user's language as a BCP 47 tag ("de-DE", "pt-BR"),
// or "" when the environment names none: unset, C, POSIX, C.UTF-8 or a
// value that is no language at all. GNU's LANGUAGE list comes first (it is
// what gettext and WebKit honour), then the locale in force: LC_ALL, else
// LC_MESSAGES, else LANG.
func FromEnv(getenv func(string) string) string {
	var candidates []string
	candidates = append(candidates, strings.Split(getenv("LANGUAGE"), ":")...)
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			candidates = append(candidates, v)
			break
		}
	}
	for _, c := range candidates {
		if tag := Tag(c); tag != "" {
			return tag
		}
	}
	return ""
}

// Tag turns a POSIX locale name ("de_DE.UTF-8@euro", "en_US", "fr") or a
// BCP 47 tag into a canonical BCP 47 tag, or "" for C, POSIX and anything
// that does not name a language.
func Tag(name string) string {
	name, _, _ = strings.Cut(name, "@") // modifier: @euro, @latin
	name, _, _ = strings.Cut(name, ".") // codeset: .UTF-8
	name = strings.ReplaceAll(strings.TrimSpace(name), "_", "-")
	switch strings.ToLower(name) {
	case "", "c", "posix":
		return ""
	}
	tag, err := language.Parse(name)
	if err != nil {
		return ""
	}
	if base, conf := tag.Base(); conf == language.No || base.String() == "und" {
		return ""
	}
	return tag.String()
}
