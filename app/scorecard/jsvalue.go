package scorecard

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
)

// JavaScript's conversions, over the values JSON and YAML decode to (nil,
// bool, float64, string, []any, map[string]any): json-rules-engine's
// operators are JavaScript's ===, <, indexOf and parseFloat, so these say
// what they say.

// jsSpace is JavaScript's WhiteSpace and LineTerminator, what Number()
// and parseFloat trim.
const jsSpace = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

// strictEqual is ===. Two values decoded apart are never the same list or
// mapping.
func strictEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && a == y
	case float64:
		y, ok := b.(float64)
		return ok && a == y
	case string:
		y, ok := b.(string)
		return ok && a == y
	}
	return false
}

// toString is String(v).
func toString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return numberString(v)
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			if x != nil {
				parts[i] = toString(x)
			}
		}
		return strings.Join(parts, ",")
	}
	return "[object Object]"
}

// numberString is Number.prototype.toString() in base 10.
func numberString(f float64) string {
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
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±x
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	k, n := len(digits), x+1
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	es := "+"
	if n-1 < 0 {
		es = "-"
	}
	m := digits[:1]
	if k > 1 {
		m += "." + digits[1:]
	}
	return sign + m + "e" + es + strconv.Itoa(int(math.Abs(float64(n-1))))
}

// toPrimitive is ToPrimitive(v, number): lists and mappings become strings.
func toPrimitive(v any) any {
	switch v.(type) {
	case []any, map[string]any:
		return toString(v)
	}
	return v
}

// toNumber is Number(v) of a primitive.
func toNumber(v any) float64 {
	switch v := v.(type) {
	case nil:
		return 0
	case bool:
		if v {
			return 1
		}
		return 0
	case float64:
		return v
	case string:
		return stringToNumber(v)
	}
	return math.NaN()
}

// stringToNumber is JavaScript's StringToNumber: the whole string, trimmed,
// must be a decimal literal, Infinity, or a 0x, 0o or 0b integer.
func stringToNumber(s string) float64 {
	s = strings.Trim(s, jsSpace)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[s[1]]
		if base != 0 {
			return parseInteger(s[2:], base)
		}
	}
	n := decimalPrefix(s)
	if n != len(s) {
		return math.NaN()
	}
	return parseDecimal(s)
}

// parseInteger reads digits of a base exactly, however long.
func parseInteger(s string, base int) float64 {
	f := 0.0
	for _, c := range s {
		d := strings.IndexRune("0123456789abcdef", c|0x20)
		if c < '0' || d < 0 || d >= base {
			return math.NaN()
		}
		f = f*float64(base) + float64(d)
	}
	return f
}

// decimalPrefix is the length of the longest prefix of s that is a
// StrDecimalLiteral (sign, then Infinity or digits with a point and an
// exponent), 0 when there is none.
func decimalPrefix(s string) int {
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

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseDecimal reads a StrDecimalLiteral decimalPrefix accepted.
func parseDecimal(s string) float64 {
	body := strings.TrimLeft(s, "+-")
	neg := strings.HasPrefix(s, "-")
	var f float64
	if body == "Infinity" {
		f = math.Inf(1)
	} else {
		var err error
		// Out of range is Infinity or 0, as in JavaScript.
		if f, err = strconv.ParseFloat(body, 64); err != nil && !errors.Is(err, strconv.ErrRange) {
			return math.NaN()
		}
	}
	if neg {
		return -f
	}
	return f
}

// parsesAsFloat is json-rules-engine's numberValidator:
// Number.parseFloat(v).toString() !== 'NaN'.
func parsesAsFloat(v any) bool {
	if f, ok := v.(float64); ok {
		return !math.IsNaN(f)
	}
	return decimalPrefix(strings.TrimLeft(toString(v), jsSpace)) > 0
}

// lessThan is JavaScript's a < b; ok is false when the answer is
// undefined (a NaN was compared), which every relational operator reads
// as false.
func lessThan(a, b any) (less, ok bool) {
	pa, pb := toPrimitive(a), toPrimitive(b)
	sa, aStr := pa.(string)
	sb, bStr := pb.(string)
	if aStr && bStr {
		return compareUTF16(sa, sb) < 0, true
	}
	x, y := toNumber(pa), toNumber(pb)
	if math.IsNaN(x) || math.IsNaN(y) {
		return false, false
	}
	return x < y, true
}

// compareUTF16 orders strings as JavaScript does, by UTF-16 code units.
func compareUTF16(a, b string) int {
	x, y := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(x) && i < len(y); i++ {
		if x[i] != y[i] {
			return int(x[i]) - int(y[i])
		}
	}
	return len(x) - len(y)
}

// indexOf is a.indexOf(b) for a list (strict equality) or a string (b as a
// string); ok is false for any other a, on which JavaScript would throw.
func indexOf(a, b any) (int, bool) {
	switch a := a.(type) {
	case []any:
		for i, x := range a {
			if strictEqual(x, b) {
				return i, true
			}
		}
		return -1, true
	case string:
		return strings.Index(a, toString(b)), true
	}
	return -1, false
}
