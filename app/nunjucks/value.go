package nunjucks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/callboard/callboard/app/jsnum"
	"math"
	"reflect"
	"slices"
	"strconv"
)

// UndefinedType is the type of Undefined.
type UndefinedType struct{}

// Undefined is JavaScript's undefined: what a missing variable or key
// evaluates to, distinct from null (nil). It renders as an empty string.
var Undefined = UndefinedType{}

// Filter is a template filter: `input | name(args...)`. It receives and
// returns values in the forms the package doc lists.
type Filter func(input any, args ...any) (any, error)

// Func is a global function callable from templates, such as the runner's
// always() and failure().
type Func func(args ...any) (any, error)

// Object is a JavaScript record: string keys in JavaScript's property order
// (canonical array indices ascending first, then the others as inserted).
type Object struct {
	keys []string
	vals map[string]any
}

// NewObject returns an empty Object.
func NewObject() *Object { return &Object{vals: map[string]any{}} }

// Len returns the number of keys.
func (o *Object) Len() int { return len(o.keys) }

// Keys returns the keys in JavaScript's property order.
func (o *Object) Keys() []string { return slices.Clone(o.keys) }

// Get returns the value under key and whether the key is present; a present
// key may hold Undefined.
func (o *Object) Get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// Set adds or replaces key, keeping JavaScript's property order.
func (o *Object) Set(key string, v any) {
	if _, ok := o.vals[key]; ok {
		o.vals[key] = v
		return
	}
	o.vals[key] = v
	if idx, ok := arrayIndex(key); ok {
		// Integer-like keys come first, in ascending order, as in JavaScript.
		at := 0
		for at < len(o.keys) {
			j, isIdx := arrayIndex(o.keys[at])
			if !isIdx || j > idx {
				break
			}
			at++
		}
		o.keys = slices.Insert(o.keys, at, key)
		return
	}
	o.keys = append(o.keys, key)
}

// Map returns the object as a map with its values converted by Plain.
func (o *Object) Map() map[string]any {
	m := make(map[string]any, len(o.keys))
	for _, k := range o.keys {
		m[k] = Plain(o.vals[k])
	}
	return m
}

// MarshalJSON encodes the object as JSON.stringify does: keys in order,
// Undefined values left out.
func (o *Object) MarshalJSON() ([]byte, error) {
	s, ok := jsonStringify(o, "")
	if !ok {
		return []byte("null"), nil
	}
	return []byte(s), nil
}

// Plain converts a value returned by this package into plain Go values:
// *Object becomes map[string]any, recursively; other values are unchanged.
func Plain(v any) any {
	switch v := v.(type) {
	case *Object:
		return v.Map()
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = Plain(x)
		}
		return out
	}
	return v
}

// arrayIndex reports whether key is a canonical array index ("0", "17", not
// "01" or "-1"), as JavaScript orders such keys first.
func arrayIndex(key string) (int, bool) {
	if key == "" || len(key) > 10 || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n >= math.MaxUint32 {
		return 0, false
	}
	return n, true
}

// array is the interpreter's array: a pointer so that identity (===, `in`)
// and in-place methods (push, pop…) behave as in JavaScript.
type array struct{ items []any }

// safeString is the result of `safe`/`escape`: an object in JavaScript, so
// compared by identity.
type safeString struct{ s string }

// callable is a function value: a host global, a built-in global (range,
// cycler, joiner), a bound method, or a macro.
type callable struct {
	name string
	call func(ev *evaluator, args []any, kwargs *Object) (any, error)
	// member resolves attribute lookups on the value (cycler.next, .current).
	member func(key string) any
	// macro callables may receive callables (other macros) as arguments.
	macro, caller bool
}

func newArray(items []any) *array { return &array{items: items} }

func isNullish(v any) bool { return v == nil || v == Undefined }

// truthy is JavaScript truthiness as nunjitsu applies it.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil, UndefinedType:
		return false
	case bool:
		return v
	case float64:
		return v != 0 && !math.IsNaN(v)
	case string:
		return v != ""
	}
	return true
}

// fromGo converts caller data into interpreter values, copying containers so
// that in-template mutation (push, pop…) never reaches the caller.
func fromGo(v any, depth int) (any, error) {
	if depth > maxValueDepth {
		return nil, fmt.Errorf("value nests deeper than %d levels", maxValueDepth)
	}
	switch v := v.(type) {
	case nil, UndefinedType, bool, float64, string:
		return v, nil
	case int:
		return float64(v), nil
	case int64:
		return float64(v), nil
	case uint64:
		return float64(v), nil
	case float32:
		return float64(v), nil
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return nil, fmt.Errorf("number %q: %w", v, err)
		}
		return f, nil
	case []any:
		items := make([]any, len(v))
		for i, x := range v {
			c, err := fromGo(x, depth+1)
			if err != nil {
				return nil, err
			}
			items[i] = c
		}
		return newArray(items), nil
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		o := &Object{vals: make(map[string]any, len(v))}
		for _, k := range keys {
			c, err := fromGo(v[k], depth+1)
			if err != nil {
				return nil, err
			}
			o.Set(k, c)
		}
		return o, nil
	case *Object:
		o := &Object{keys: slices.Clone(v.keys), vals: make(map[string]any, len(v.keys))}
		for _, k := range v.keys {
			c, err := fromGo(v.vals[k], depth+1)
			if err != nil {
				return nil, err
			}
			o.vals[k] = c
		}
		return o, nil
	case *array:
		return fromGo(toPublic(v), depth)
	case Func:
		return hostFunc("", v), nil
	case func(...any) (any, error):
		return hostFunc("", v), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Slice:
		items := make([]any, rv.Len())
		for i := range items {
			c, err := fromGo(rv.Index(i).Interface(), depth+1)
			if err != nil {
				return nil, err
			}
			items[i] = c
		}
		return newArray(items), nil
	case reflect.Map:
		if rv.Type().Key().Kind() == reflect.String {
			m := make(map[string]any, rv.Len())
			for it := rv.MapRange(); it.Next(); {
				m[it.Key().String()] = it.Value().Interface()
			}
			return fromGo(m, depth)
		}
	}
	return nil, fmt.Errorf("unsupported template value of type %T", v)
}

func hostFunc(name string, f Func) *callable {
	return &callable{name: name, call: func(ev *evaluator, args []any, kwargs *Object) (any, error) {
		if kwargs != nil {
			return nil, fmt.Errorf("registered global %s does not accept keyword arguments", name)
		}
		return ev.callHost(func(pub []any) (any, error) { return f(pub...) }, args)
	}}
}

// toPublic converts an interpreter value into the forms filters, globals and
// RenderValue's caller see: []any for arrays, *Object for records.
func toPublic(v any) any {
	switch v := v.(type) {
	case *array:
		out := make([]any, len(v.items))
		for i, x := range v.items {
			out[i] = toPublic(x)
		}
		return out
	case *Object:
		o := &Object{keys: slices.Clone(v.keys), vals: make(map[string]any, len(v.keys))}
		for _, k := range v.keys {
			o.vals[k] = toPublic(v.vals[k])
		}
		return o
	case *safeString:
		return v.s
	case *regex:
		return NewObject()
	}
	return v
}

// kindOf names a value's kind for error messages.
func kindOf(v any) string {
	switch v.(type) {
	case UndefinedType:
		return "undefined"
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case *array:
		return "array"
	case *Object:
		return "record"
	case *safeString:
		return "safe string"
	case *regex:
		return "regular expression"
	case *callable:
		return "callable"
	}
	return "unknown value"
}

// jsonStringify is JSON.stringify(v, null, indent); ok is false where
// JavaScript returns undefined (for undefined and functions).
func jsonStringify(v any, indent string) (string, bool) {
	var b bytes.Buffer
	ok := writeJSON(&b, v, indent, "")
	return b.String(), ok
}

func writeJSON(b *bytes.Buffer, v any, indent, prefix string) bool {
	switch v := v.(type) {
	case UndefinedType, *callable:
		return false
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.WriteString("null")
		} else {
			b.WriteString(jsnum.Format(v))
		}
	case string:
		writeJSONString(b, v)
	case *safeString:
		writeJSONString(b, v.s)
	case *regex:
		b.WriteString("{}")
	case *array:
		return writeJSONArray(b, v.items, indent, prefix)
	case []any:
		return writeJSONArray(b, v, indent, prefix)
	case *Object:
		inner := prefix + indent
		b.WriteByte('{')
		n := 0
		for _, k := range v.keys {
			item := v.vals[k]
			if item == Undefined {
				continue
			}
			if _, fn := item.(*callable); fn {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			if indent != "" {
				b.WriteByte('\n')
				b.WriteString(inner)
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			if indent != "" {
				b.WriteByte(' ')
			}
			writeJSON(b, item, indent, inner)
		}
		if n > 0 && indent != "" {
			b.WriteByte('\n')
			b.WriteString(prefix)
		}
		b.WriteByte('}')
	default:
		b.WriteString("null")
	}
	return true
}

func writeJSONArray(b *bytes.Buffer, items []any, indent, prefix string) bool {
	inner := prefix + indent
	b.WriteByte('[')
	for i, item := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		if indent != "" {
			b.WriteByte('\n')
			b.WriteString(inner)
		}
		if !writeJSON(b, item, indent, inner) {
			b.WriteString("null")
		}
	}
	if len(items) > 0 && indent != "" {
		b.WriteByte('\n')
		b.WriteString(prefix)
	}
	b.WriteByte(']')
	return true
}

// writeJSONString quotes s as JSON.stringify does (AppendJSONString).
func writeJSONString(b *bytes.Buffer, s string) { b.Write(AppendJSONString(b.AvailableBuffer(), s)) }
