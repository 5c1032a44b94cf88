package scorecard

import (
	"github.com/callboard/callboard/app/jsnum"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
)

// JavaScript's conversions, over the values JSON and YAML decode to (nil,
// bool, float64, string, []any, map[string]any): json-rules-engine's
// operators are JavaScript's ===, <, indexOf and parseFloat, so these say
// what they say.

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
		return jsnum.Format(v)
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
		return jsnum.FromString(v)
	}
	return math.NaN()
}

// parsesAsFloat is json-rules-engine's numberValidator:
// Number.parseFloat(v).toString() !== 'NaN'.
func parsesAsFloat(v any) bool {
	if f, ok := v.(float64); ok {
		return !math.IsNaN(f)
	}
	return jsnum.DecimalPrefix(jsnum.TrimStart(toString(v))) > 0
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
