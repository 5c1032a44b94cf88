package scaffold

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	jsonata "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"

	"github.com/callboard/callboard/app/nunjucks"
)

// jsonataFuncs replaces the jsonata-go functions that answer otherwise
// than jsonata-js: case mapping as JavaScript's toUpperCase (ß → SS),
// base64 over Latin-1 as Node's Buffer 'binary', $string as
// JSON.stringify (key order, no HTML escapes, 15 digits, the prettify
// argument), and $keys in the order the keys were written (rank, see
// keyOrder) rather than Go's map order.
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
		"string": ext(func(v any, pretty jtypes.OptionalBool) (string, error) {
			switch x := v.(type) {
			case string:
				return x, nil
			case jtypes.Callable:
				return "", nil
			}
			conv := fromJSONata(v, rank, 0)
			if conv == nunjucks.Undefined {
				// A value of jsonata-go's own, such as its null.
				return jlib.String(v)
			}
			js, err := jsonataStringValue(conv)
			if err != nil {
				return "", err
			}
			space := ""
			if pretty.Bool {
				space = "  "
			}
			out, _ := jsonStringify(js, nil, space)
			return out, nil
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

// jsonataStringValue rounds numbers to 15 significant digits, as
// jsonata-js's $string does, and refuses the ones JSON cannot write.
func jsonataStringValue(v any) (any, error) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, errJSONataNaN
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
		return r, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = jsonataStringValue(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *nunjucks.Object:
		o := nunjucks.NewObject()
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			n, err := jsonataStringValue(e)
			if err != nil {
				return nil, err
			}
			o.Set(k, n)
		}
		return o, nil
	}
	return v, nil
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

// quotedSteps writes a quoted string that is a path step (`a."b c"`) as
// a backquoted name (`a.`b c“): jsonata-js reads such a string as a
// field name, jsonata-go refuses it.
func quotedSteps(expr string) string {
	var b strings.Builder
	prev := byte(0) // the last byte outside spaces, strings and comments
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '/' && i+1 < len(expr) && expr[i+1] == '*':
			// jsonata-go does not know comments: a space instead.
			end := strings.Index(expr[i+2:], "*/")
			if end < 0 {
				b.WriteString(expr[i:])
				return b.String()
			}
			b.WriteByte(' ')
			i += 2 + end + 2
			continue
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(expr) && expr[j] != c {
				if expr[j] == '\\' && c != '`' {
					j++
				}
				j++
			}
			if j >= len(expr) {
				b.WriteString(expr[i:])
				return b.String()
			}
			lit := expr[i : j+1]
			next := strings.TrimLeft(expr[j+1:], " \t\r\n")
			step := prev == '.' || (strings.HasPrefix(next, ".") && !strings.HasPrefix(next, ".."))
			if c != '`' && step {
				if name, ok := unquoteJSONata(lit); ok && !strings.Contains(name, "`") {
					lit = "`" + name + "`"
				}
			}
			b.WriteString(lit)
			prev = c
			i = j + 1
			continue
		case c != ' ' && c != '\t' && c != '\n' && c != '\r':
			prev = c
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// unquoteJSONata reads a JSONata string literal, as JSON with either quote.
func unquoteJSONata(lit string) (string, bool) {
	body := lit[1 : len(lit)-1]
	if lit[0] == '\'' {
		body = strings.ReplaceAll(strings.ReplaceAll(body, `\'`, `'`), `"`, `\"`)
	}
	var s string
	if err := json.Unmarshal([]byte(`"`+body+`"`), &s); err != nil {
		return "", false
	}
	return s, true
}
