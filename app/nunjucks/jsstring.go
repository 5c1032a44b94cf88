package nunjucks

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// JavaScript strings are sequences of UTF-16 code units: lengths, indices and
// slices count those, so a character outside the Basic Multilingual Plane
// counts twice. These helpers keep ASCII on a fast path.

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func units(s string) []uint16 { return utf16.Encode([]rune(s)) }

func fromUnits(u []uint16) string { return string(utf16.Decode(u)) }

// strLen is String.prototype.length.
func strLen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// strSlice returns code units [from, to) with 0 <= from <= to <= strLen(s).
func strSlice(s string, from, to int) string {
	if isASCII(s) {
		return s[from:to]
	}
	return fromUnits(units(s)[from:to])
}

// strAt returns the code unit at i as a string, and false when out of range.
func strAt(s string, i int) (string, bool) {
	if i < 0 || i >= strLen(s) {
		return "", false
	}
	return strSlice(s, i, i+1), true
}

// strUnits splits s into its code units, as s.split(”) does.
func strUnits(s string) []string {
	if isASCII(s) {
		out := make([]string, len(s))
		for i := range out {
			out[i] = s[i : i+1]
		}
		return out
	}
	u := units(s)
	out := make([]string, len(u))
	for i := range u {
		out[i] = fromUnits(u[i : i+1])
	}
	return out
}

// relIndex resolves a relative index (negative counts from the end) clamped
// to [0, n], as slice() does.
func relIndex(f float64, n int) int {
	f = toIntegerOrInfinity(f)
	if f < 0 {
		f += float64(n)
		if f < 0 {
			return 0
		}
		return int(f)
	}
	if f > float64(n) {
		return n
	}
	return int(f)
}

// clampIndex clamps to [0, n], as substring() and indexOf's position do.
func clampIndex(f float64, n int) int {
	f = toIntegerOrInfinity(f)
	if f < 0 {
		return 0
	}
	if f > float64(n) {
		return n
	}
	return int(f)
}

// strIndexOf is indexOf(needle, from) in code units.
func strIndexOf(s, needle string, from int) int {
	if isASCII(s) && isASCII(needle) {
		if from > len(s) {
			from = len(s)
		}
		i := strings.Index(s[from:], needle)
		if i < 0 {
			return -1
		}
		return i + from
	}
	hs, nd := units(s), units(needle)
	for i := from; i+len(nd) <= len(hs); i++ {
		if unitsEqual(hs[i:i+len(nd)], nd) {
			return i
		}
	}
	return -1
}

// strLastIndexOf is lastIndexOf(needle, from) in code units.
func strLastIndexOf(s, needle string, from int) int {
	hs, nd := units(s), units(needle)
	if from > len(hs)-len(nd) {
		from = len(hs) - len(nd)
	}
	for i := from; i >= 0; i-- {
		if unitsEqual(hs[i:i+len(nd)], nd) {
			return i
		}
	}
	return -1
}

func unitsEqual(a, b []uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// compareStrings orders by UTF-16 code units, as JavaScript's < does; it
// differs from Go's byte order only for supplementary characters.
func compareStrings(a, b string) int {
	if isASCII(a) && isASCII(b) {
		return strings.Compare(a, b)
	}
	ua, ub := units(a), units(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(ua) < len(ub):
		return -1
	case len(ua) > len(ub):
		return 1
	}
	return 0
}

// jsSplit is String.prototype.split(sep, limit) for a string separator.
func jsSplit(s, sep string, limit int) []string {
	var parts []string
	if sep == "" {
		parts = strUnits(s)
	} else {
		parts = strings.Split(s, sep)
	}
	if limit >= 0 && len(parts) > limit {
		parts = parts[:limit]
	}
	return parts
}

// jsUpper and jsLower follow toUpperCase/toLowerCase, which use Unicode's
// full case mappings (ß → SS) where Go's maps one rune to one rune.
func jsUpper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 'ß':
			b.WriteString("SS")
		case 'ŉ':
			b.WriteString("ʼN")
		case 'ﬀ':
			b.WriteString("FF")
		case 'ﬁ':
			b.WriteString("FI")
		case 'ﬂ':
			b.WriteString("FL")
		default:
			b.WriteString(strings.ToUpper(string(r)))
		}
	}
	return b.String()
}

func jsLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range s {
		if r == 'İ' {
			b.WriteString("i̇")
			continue
		}
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String()
}
