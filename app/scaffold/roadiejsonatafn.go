package scaffold

import (
	"encoding/base64"
	"reflect"
	"slices"
	"unicode/utf16"

	jsonata "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// jsonataFuncs replaces the jsonata-go functions that answer otherwise
// than jsonata-js: case mapping as JavaScript's toUpperCase (ß → SS),
// base64 over Latin-1 as Node's Buffer 'binary', and $keys in the order
// the keys were written (rank, see keyOrder) rather than Go's map order.
func jsonataFuncs(rank map[string]int) map[string]jsonata.Extension {
	undefinedFirst := jtypes.ArgUndefined(0)
	noArgs := jtypes.ArgCountEquals(0)
	ext := func(f any) jsonata.Extension {
		return jsonata.Extension{Func: f, UndefinedHandler: undefinedFirst, EvalContextHandler: noArgs}
	}
	return map[string]jsonata.Extension{
		"uppercase": ext(func(s string) string { return cases.Upper(language.Und).String(s) }),
		"lowercase": ext(func(s string) string { return cases.Lower(language.Und).String(s) }),
		"base64encode": ext(func(s string) string {
			units := utf16.Encode([]rune(s))
			b := make([]byte, len(units))
			for i, u := range units {
				b[i] = byte(u)
			}
			return base64.StdEncoding.EncodeToString(b)
		}),
		"base64decode": ext(func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return "", err
			}
			r := make([]rune, len(b))
			for i, c := range b {
				r[i] = rune(c)
			}
			return string(r), nil
		}),
		"keys": ext(func(v reflect.Value) (any, error) {
			out, err := jlib.Keys(v)
			if list, ok := out.([]string); ok {
				list = slices.Clone(list)
				slices.SortStableFunc(list, func(a, b string) int { return byRank(rank, a, b) })
				return list, err
			}
			return out, err
		}),
	}
}

// byRank orders keys by rank, keys without one after, by name.
func byRank(rank map[string]int, a, b string) int {
	ra, oka := rank[a]
	rb, okb := rank[b]
	switch {
	case oka && okb:
		return ra - rb
	case oka:
		return -1
	case okb:
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
