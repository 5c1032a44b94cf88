package wire

import (
	"encoding"
	"encoding/json"
	"reflect"
)

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// Normalize returns v with every nil slice and nil map that encoding/json
// would write as null made empty, at any depth, so a front end sees [] and
// {} and never has to patch null. v itself is not changed: what holds a
// nil is copied (v may be shared, e.g. a cached listing), the rest is kept.
// Values that encode themselves (time.Time, json.RawMessage) and nil
// pointers and interfaces are left alone: null is what they mean.
func Normalize[T any](v T) T {
	rv := reflect.ValueOf(&v).Elem()
	if n, ok := normalize(rv); ok {
		rv.Set(n)
	}
	return v
}

// normalize returns v's normal form and whether it differs from v.
func normalize(v reflect.Value) (reflect.Value, bool) {
	t := v.Type()
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		return v, false
	}
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return v, false // []byte is a base64 string
		}
		if v.IsNil() {
			return reflect.MakeSlice(t, 0, 0), true
		}
		var out reflect.Value
		for i := range v.Len() {
			n, ok := normalize(v.Index(i))
			if !ok {
				continue
			}
			if !out.IsValid() {
				out = reflect.MakeSlice(t, v.Len(), v.Len())
				reflect.Copy(out, v)
			}
			out.Index(i).Set(n)
		}
		return out, out.IsValid()
	case reflect.Array:
		var out reflect.Value
		for i := range v.Len() {
			n, ok := normalize(v.Index(i))
			if !ok {
				continue
			}
			if !out.IsValid() {
				out = reflect.New(t).Elem()
				out.Set(v)
			}
			out.Index(i).Set(n)
		}
		return out, out.IsValid()
	case reflect.Map:
		if v.IsNil() {
			return reflect.MakeMap(t), true
		}
		var out reflect.Value
		iter := v.MapRange()
		for iter.Next() {
			n, ok := normalize(iter.Value())
			if !ok {
				continue
			}
			if !out.IsValid() {
				out = reflect.MakeMapWithSize(t, v.Len())
				inner := v.MapRange()
				for inner.Next() {
					out.SetMapIndex(inner.Key(), inner.Value())
				}
			}
			out.SetMapIndex(iter.Key(), n)
		}
		return out, out.IsValid()
	case reflect.Pointer:
		if v.IsNil() {
			return v, false
		}
		n, ok := normalize(v.Elem())
		if !ok {
			return v, false
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(n)
		return p, true
	case reflect.Interface:
		if v.IsNil() {
			return v, false
		}
		n, ok := normalize(v.Elem())
		if !ok {
			return v, false
		}
		out := reflect.New(t).Elem()
		out.Set(n)
		return out, true
	case reflect.Struct:
		var out reflect.Value
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			n, ok := normalize(v.Field(i))
			if !ok {
				continue
			}
			if !out.IsValid() {
				out = reflect.New(t).Elem()
				out.Set(v)
			}
			out.Field(i).Set(n)
		}
		return out, out.IsValid()
	}
	return v, false
}
