package scaffold

import (
	"math"
	"strings"

	"github.com/callboard/callboard/app/nunjucks"
)

// jsNumber is JSON.stringify of a finite number.
func jsNumber(f float64) string { return nunjucks.FormatNumber(f) }

// jsonQuote is JSON.stringify of a string.
func jsonQuote(s string) string { return string(nunjucks.AppendJSONString(nil, s)) }

// jsonStringify is JSON.stringify(v, replacer, space) for the runner's
// values; keys, when not nil, is an array replacer: the keys objects keep,
// in its order. ok is false where JavaScript returns undefined.
func jsonStringify(v any, keys []string, space string) (string, bool) {
	if len(space) > 10 {
		space = space[:10]
	}
	if keys != nil {
		seen := map[string]bool{}
		uniq := make([]string, 0, len(keys))
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				uniq = append(uniq, k)
			}
		}
		keys = uniq
	}
	var b strings.Builder
	ok := writeJS(&b, v, keys, space, "")
	return b.String(), ok
}

func writeJS(b *strings.Builder, v any, keys []string, space, prefix string) bool {
	inner := prefix + space
	switch x := v.(type) {
	case nunjucks.UndefinedType:
		return false
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
		} else {
			b.WriteString(jsNumber(x))
		}
	case string:
		b.WriteString(jsonQuote(x))
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return true
		}
		b.WriteByte('[')
		for i, item := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if space != "" {
				b.WriteString("\n" + inner)
			}
			if !writeJS(b, item, keys, space, inner) {
				b.WriteString("null")
			}
		}
		if space != "" {
			b.WriteString("\n" + prefix)
		}
		b.WriteByte(']')
	case *nunjucks.Object:
		list := keys
		if list == nil {
			list = x.Keys()
		}
		b.WriteByte('{')
		n := 0
		for _, k := range list {
			item, ok := x.Get(k)
			if !ok || item == nunjucks.Undefined {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			if space != "" {
				b.WriteString("\n" + inner)
			}
			b.WriteString(jsonQuote(k))
			b.WriteByte(':')
			if space != "" {
				b.WriteByte(' ')
			}
			writeJS(b, item, keys, space, inner)
		}
		if n > 0 && space != "" {
			b.WriteString("\n" + prefix)
		}
		b.WriteByte('}')
	default:
		b.WriteString("null")
	}
	return true
}
