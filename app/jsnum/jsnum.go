// Package jsnum holds JavaScript's conversions between numbers and
// strings (Number(string), Number.prototype.toString, parseFloat,
// parseInt, trim's white space), which the template engine and the
// scorecard operators must both reproduce exactly.
package jsnum

import (
	"math"
	"strconv"
	"strings"
)

// Format is JavaScript's Number.prototype.toString() for base 10:
// shortest round-trip digits, fixed notation from 1e-7 up to 1e21.
func Format(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	sign := ""
	if f < 0 {
		sign = "-"
		f = -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddddde±x
	mant, expPart, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expPart)
	k := len(digits)
	n := exp + 1
	var out string
	switch {
	case k <= n && n <= 21:
		out = digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		out = digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		out = "0." + strings.Repeat("0", -n) + digits
	default:
		out = digits[:1]
		if k > 1 {
			out += "." + digits[1:]
		}
		if n-1 >= 0 {
			out += "e+" + strconv.Itoa(n-1)
		} else {
			out += "e-" + strconv.Itoa(1-n)
		}
	}
	return sign + out
}

// IsSpace reports the characters JavaScript's trim and \s treat as white
// space.
func IsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// Trim is String.prototype.trim.
func Trim(s string) string { return strings.TrimFunc(s, IsSpace) }

// TrimStart is String.prototype.trimStart.
func TrimStart(s string) string { return strings.TrimLeftFunc(s, IsSpace) }

// TrimEnd is String.prototype.trimEnd.
func TrimEnd(s string) string { return strings.TrimRightFunc(s, IsSpace) }

// FromString is JavaScript's Number(string).
func FromString(s string) float64 {
	s = Trim(s)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			return parseDigits(s[2:], base, true)
		}
	}
	n := DecimalPrefix(s)
	if n != len(s) {
		return math.NaN()
	}
	return ParseDecimal(s)
}

// DecimalPrefix returns the length of the longest prefix of s that is a
// StrDecimalLiteral: [+-] (Infinity | digits [. digits] [e [+-] digits] | . digits …).
func DecimalPrefix(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if strings.HasPrefix(s[i:], "Infinity") {
		return i + len("Infinity")
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intDigits := i - start
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		fracDigits = j - i - 1
		if intDigits > 0 || fracDigits > 0 {
			i = j
		}
	}
	if intDigits == 0 && fracDigits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

// ParseDecimal reads a StrDecimalLiteral DecimalPrefix accepted; out of
// range it is ±Infinity or ±0, as in JavaScript.
func ParseDecimal(s string) float64 {
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Out of range: ParseFloat still returns ±Inf or ±0, as JavaScript does.
		return f
	}
	return f
}

// ParseFloat is JavaScript's parseFloat.
func ParseFloat(s string) float64 {
	s = TrimStart(s)
	n := DecimalPrefix(s)
	if n == 0 {
		return math.NaN()
	}
	return ParseDecimal(s[:n])
}

// ParseInt is JavaScript's parseInt(s, radix); radix 0 means unspecified.
func ParseInt(s string, radix int) float64 {
	s = TrimStart(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	strip := true
	if radix != 0 {
		if radix < 2 || radix > 36 {
			return math.NaN()
		}
		if radix != 16 {
			strip = false
		}
	} else {
		radix = 10
	}
	if strip && len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
		radix = 16
	}
	f := parseDigits(s, radix, false)
	if neg {
		return -f
	}
	return f
}

// parseDigits reads the digits of base at the start of s; whole demands that
// all of s be digits. It returns NaN when there are none.
func parseDigits(s string, base int, whole bool) float64 {
	end := 0
	for end < len(s) && DigitValue(s[end]) < base {
		end++
	}
	if end == 0 || (whole && end != len(s)) {
		return math.NaN()
	}
	if base == 10 {
		f, _ := strconv.ParseFloat(s[:end], 64)
		return f
	}
	var f float64
	for i := 0; i < end; i++ {
		f = f*float64(base) + float64(DigitValue(s[i]))
	}
	return f
}

// DigitValue is the value of an ASCII digit or letter in bases up to 36,
// 99 for any other byte.
func DigitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
