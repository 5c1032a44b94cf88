package catalog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsType is a set of JSON types, as JSON Schema's "type" keyword names them.
type jsType uint8

const (
	tString jsType = 1 << iota
	tNumber
	tBool
	tObject
	tArray
	tNull
)

func (t jsType) String() string {
	var names []string
	for _, x := range []struct {
		t    jsType
		name string
	}{{tString, "string"}, {tNumber, "number"}, {tBool, "boolean"}, {tObject, "object"}, {tArray, "array"}, {tNull, "null"}} {
		if t&x.t != 0 {
			names = append(names, x.name)
		}
	}
	return strings.Join(names, " or ")
}

func typeOf(v any) jsType {
	switch v.(type) {
	case string:
		return tString
	case float64:
		return tNumber
	case bool:
		return tBool
	case map[string]any:
		return tObject
	case []any:
		return tArray
	}
	return tNull
}

// schema is the subset of JSON Schema (draft 7) that Backstage's entity
// schemas use. Kinds are described with it in model.go; keeping our own
// small validator makes errors carry file positions and keeps processing
// fast, and the conformance test holds it to Backstage's ajv verdicts.
type schema struct {
	types      jsType
	minLength  int
	maxLength  int // 0: no limit
	enum       []string
	required   []string
	props      map[string]*schema
	additional *schema // the schema of properties not in props, when set
	// additionalIf, when set, limits additional to the keys it accepts
	// (JSON Schema's patternProperties).
	additionalIf func(key string) bool
	items        *schema
	minItems     int
	oneOf        []*schema
}

// violation is one way a value fails a schema.
type violation struct {
	path []string // keys and indexes from the validated root
	msg  string
}

// validate appends every way v fails s to out, sorted by path so messages
// come out in a stable order.
func (s *schema) validate(v any, path []string, out *[]violation) {
	n := len(*out)
	s.check(v, path, out)
	if len(*out)-n > 1 {
		slices.SortStableFunc((*out)[n:], func(a, b violation) int { return slices.Compare(a.path, b.path) })
	}
}

func (s *schema) check(v any, path []string, out *[]violation) {
	if s.types != 0 && typeOf(v)&s.types == 0 {
		*out = append(*out, violation{slices.Clone(path), "must be " + article(s.types) + describe(v)})
		return
	}
	if s.enum != nil {
		if str, ok := v.(string); !ok || !slices.Contains(s.enum, str) {
			*out = append(*out, violation{slices.Clone(path), fmt.Sprintf("must be %s%s", orList(s.enum), describe(v))})
			return
		}
	}
	switch v := v.(type) {
	case string:
		n := utf8.RuneCountInString(v)
		if n < s.minLength {
			*out = append(*out, violation{slices.Clone(path), "must not be empty"})
		}
		if s.maxLength > 0 && n > s.maxLength {
			*out = append(*out, violation{slices.Clone(path), fmt.Sprintf("must be at most %d characters, is %d", s.maxLength, n)})
		}
	case map[string]any:
		for _, r := range s.required {
			if _, ok := v[r]; !ok {
				*out = append(*out, violation{append(slices.Clone(path), r), "is required"})
			}
		}
		for k, x := range v {
			sub := s.props[k]
			if sub == nil && (s.additionalIf == nil || s.additionalIf(k)) {
				sub = s.additional
			}
			if sub != nil {
				sub.check(x, append(path, k), out)
			}
		}
	case []any:
		if len(v) < s.minItems {
			*out = append(*out, violation{slices.Clone(path), fmt.Sprintf("must have at least %d item(s)", s.minItems)})
		}
		if s.items != nil {
			for i, x := range v {
				s.items.check(x, append(path, strconv.Itoa(i)), out)
			}
		}
	}
	if s.oneOf != nil {
		matched := 0
		for _, alt := range s.oneOf {
			var ignored []violation
			if alt.check(v, path, &ignored); len(ignored) == 0 {
				matched++
			}
		}
		if matched != 1 {
			*out = append(*out, violation{slices.Clone(path), "does not match exactly one of its allowed shapes"})
		}
	}
}

func article(t jsType) string {
	if t == tObject || t == tArray {
		return "a" + map[jsType]string{tObject: " mapping", tArray: " list"}[t]
	}
	return "a " + t.String()
}

// describe says what a wrong value is, for messages like "must be a string, is a list".
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return ", is empty (null)"
	case string:
		return fmt.Sprintf(", is the string %q", v)
	case float64:
		return ", is the number " + jsNumber(v)
	case bool:
		return fmt.Sprintf(", is %v", v)
	case map[string]any:
		// A lone "$" key is a placeholder no resolver took (Backstage's
		// catalog has $text, $json and $yaml; $openapi and $asyncapi come
		// from a module), left in place as Backstage leaves it.
		if len(v) == 1 {
			for k := range v {
				if strings.HasPrefix(k, "$") {
					return fmt.Sprintf(", is a mapping: the placeholder %s, which the catalog does not resolve (it knows $text, $json and $yaml)", k)
				}
			}
		}
		return ", is a mapping"
	case []any:
		return ", is a list"
	}
	return ""
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// orList is `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
func orList(xs []string) string {
	q := quoteList(xs)
	if i := strings.LastIndex(q, ", "); i >= 0 {
		q = q[:i] + " or " + q[i+2:]
	}
	return q
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Schema constructors, so the kind table in model.go reads like the model.

// str is a non-empty string, the most common field in the model.
func str() *schema { return &schema{types: tString, minLength: 1} }

// anyStr is a string, possibly empty.
func anyStr() *schema { return &schema{types: tString} }

// strs is a list of non-empty strings.
func strs() *schema { return &schema{types: tArray, items: str()} }

func oneOfStr(values ...string) *schema { return &schema{types: tString, enum: values} }

func list(items *schema) *schema { return &schema{types: tArray, items: items} }

// obj is a mapping with the given properties; other keys are allowed, as in
// every Backstage schema.
func obj(required []string, props map[string]*schema) *schema {
	return &schema{types: tObject, required: required, props: props}
}

func req(fields ...string) []string { return fields }
