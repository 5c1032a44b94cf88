package wire

import (
	"encoding"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// ErrQuery marks a query the decoder cannot read: a malformed number or
// a scalar given twice. Callers answer it as the client's mistake.
var ErrQuery = errors.New("bad query")

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// EncodeQuery adds v to q under name, the way GET and DELETE calls carry
// their arguments:
//
//   - a scalar (string, bool, number, or a type that marshals itself to
//     text) as name=v, left out when zero;
//   - a slice of scalars as name repeated, once per element;
//   - a map from string to scalars or slices of scalars as name.key=value
//     (repeated for a slice), every key kept;
//   - a struct, only with name "", as its fields by their JSON names, each
//     by the rules above, embedded structs flattened as encoding/json does.
//
// Anything else (pointers, nested structs, maps of maps) is an error: the
// TypeScript codec (frontend/src/api/wire.ts) mirrors these rules and no
// more. DecodeQuery reads back what EncodeQuery wrote, with empty slices
// and maps coming back nil and a map's keys with an empty list left out.
func EncodeQuery(q url.Values, name string, v any) error {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil
	}
	if name == "" {
		if rv.Kind() != reflect.Struct {
			return fmt.Errorf("encode %s into a query: only a struct goes unnamed", rv.Type())
		}
		return encodeStruct(q, rv)
	}
	return encodeValue(q, name, rv)
}

func encodeStruct(q url.Values, v reflect.Value) error {
	for _, f := range fieldsOf(v.Type()) {
		if err := encodeValue(q, f.name, v.FieldByIndex(f.index)); err != nil {
			return err
		}
	}
	return nil
}

func encodeValue(q url.Values, name string, v reflect.Value) error {
	if s, ok, err := scalarText(v); ok || err != nil {
		if err == nil && !v.IsZero() {
			q.Add(name, s)
		}
		return err
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		return encodeList(q, name, v)
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("encode %s into a query: map keys must be strings", v.Type())
		}
		for _, k := range v.MapKeys() {
			key := name + "." + k.String()
			e := v.MapIndex(k)
			if s, ok, err := scalarText(e); ok || err != nil {
				if err != nil {
					return err
				}
				q.Add(key, s)
				continue
			}
			if e.Kind() != reflect.Slice {
				return fmt.Errorf("encode %s into a query: a map holds scalars or lists of them", v.Type())
			}
			if err := encodeList(q, key, e); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("encode %s into a query: not a scalar, list or map", v.Type())
}

func encodeList(q url.Values, name string, v reflect.Value) error {
	for i := range v.Len() {
		s, ok, err := scalarText(v.Index(i))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("encode %s into a query: a list holds scalars", v.Type())
		}
		q.Add(name, s)
	}
	return nil
}

// scalarText is v as query text, and whether v is a scalar.
func scalarText(v reflect.Value) (string, bool, error) {
	if v.Type().Implements(textMarshaler) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		return string(b), true, err
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), true, nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true, nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()), true, nil
	}
	return "", false, nil
}

// DecodeQuery sets what ptr points to from q's values under name, as
// EncodeQuery wrote them (name "" for a struct's fields). Keys it does not
// know are left for others (the token of the page's address). A value
// that does not parse, or a scalar given twice, is ErrQuery.
func DecodeQuery(q url.Values, name string, ptr any) error {
	p := reflect.ValueOf(ptr)
	if p.Kind() != reflect.Pointer || p.IsNil() {
		return fmt.Errorf("decode a query into %T: not a pointer", ptr)
	}
	v := p.Elem()
	if name == "" {
		if v.Kind() != reflect.Struct {
			return fmt.Errorf("decode a query into %s: only a struct goes unnamed", v.Type())
		}
		for _, f := range fieldsOf(v.Type()) {
			if err := decodeValue(q, f.name, v.FieldByIndex(f.index)); err != nil {
				return err
			}
		}
		return nil
	}
	return decodeValue(q, name, v)
}

func decodeValue(q url.Values, name string, v reflect.Value) error {
	if isScalar(v.Type()) {
		vals := q[name]
		switch len(vals) {
		case 0:
			return nil
		case 1:
			return parseScalar(name, vals[0], v)
		}
		return fmt.Errorf("%w: %s is given %d times, once is allowed", ErrQuery, name, len(vals))
	}
	switch v.Kind() {
	case reflect.Slice:
		return decodeList(name, q[name], v)
	case reflect.Map:
		t := v.Type()
		if t.Key().Kind() != reflect.String {
			return fmt.Errorf("decode a query into %s: map keys must be strings", t)
		}
		prefix := name + "."
		for key, vals := range q {
			k, ok := strings.CutPrefix(key, prefix)
			if !ok {
				continue
			}
			e := reflect.New(t.Elem()).Elem()
			var err error
			if isScalar(t.Elem()) {
				if len(vals) != 1 {
					return fmt.Errorf("%w: %s is given %d times, once is allowed", ErrQuery, key, len(vals))
				}
				err = parseScalar(key, vals[0], e)
			} else {
				err = decodeList(key, vals, e)
			}
			if err != nil {
				return err
			}
			if v.IsNil() {
				v.Set(reflect.MakeMap(t))
			}
			v.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), e)
		}
		return nil
	}
	return fmt.Errorf("decode a query into %s: not a scalar, list or map", v.Type())
}

func decodeList(name string, vals []string, v reflect.Value) error {
	if v.Kind() != reflect.Slice || !isScalar(v.Type().Elem()) {
		return fmt.Errorf("decode a query into %s: a list holds scalars", v.Type())
	}
	if len(vals) == 0 {
		return nil
	}
	out := reflect.MakeSlice(v.Type(), len(vals), len(vals))
	for i, s := range vals {
		if err := parseScalar(name, s, out.Index(i)); err != nil {
			return err
		}
	}
	v.Set(out)
	return nil
}

func isScalar(t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

func parseScalar(name, s string, v reflect.Value) error {
	if u, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
		if err := u.UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("%w: %s %q: %v", ErrQuery, name, s, err)
		}
		return nil
	}
	bad := func(what string) error { return fmt.Errorf("%w: %s %q is not %s", ErrQuery, name, s, what) }
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return bad("true or false")
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return bad("a whole number")
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return bad("a whole number of zero or more")
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return bad("a number")
		}
		v.SetFloat(f)
	}
	return nil
}

// field is a struct field as a query key: its JSON name and where it is.
type field struct {
	name  string
	index []int
}

// fieldsOf lists t's fields by JSON name, those of embedded structs
// flattened, level by level: a field nearer the top hides one of the same
// name deeper down, as with encoding/json.
func fieldsOf(t reflect.Type) []field {
	type level struct {
		t     reflect.Type
		index []int
	}
	var out []field
	seen := map[string]bool{}
	for next := []level{{t, nil}}; len(next) > 0; {
		this := next
		next = nil
		for _, l := range this {
			for i := range l.t.NumField() {
				f := l.t.Field(i)
				tag := f.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				index := append(append([]int(nil), l.index...), i)
				switch {
				case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
					next = append(next, level{f.Type, index})
				case f.IsExported():
					if name == "" {
						name = f.Name
					}
					if !seen[name] {
						seen[name] = true
						out = append(out, field{name, index})
					}
				}
			}
		}
	}
	return out
}
