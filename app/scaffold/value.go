package scaffold

import (
	"fmt"

	"github.com/callboard/callboard/app/nunjucks"
)

// get reads key from a record (an *Object or a map).
func get(v any, key string) (any, bool) {
	switch o := v.(type) {
	case *nunjucks.Object:
		return o.Get(key)
	case map[string]any:
		x, ok := o[key]
		return x, ok
	}
	return nil, false
}

// InputError is a step input its action cannot take; the runner names
// where the template writes that input.
type InputError struct {
	Input string
	Err   error
}

func (e *InputError) Error() string { return "input " + e.Input + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// inputErr makes an *InputError of a message.
func inputErr(key, format string, args ...any) error {
	return &InputError{Input: key, Err: fmt.Errorf(format, args...)}
}

// str reads a string input; absent or undefined is "".
func str(in any, key string) (string, error) {
	v, ok := get(in, key)
	if !ok || v == nil || v == nunjucks.Undefined {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", inputErr(key, "want a string, got %s", describe(v))
	}
	return s, nil
}

// boolean reads a boolean input; absent is false.
func boolean(in any, key string) (bool, error) {
	v, ok := get(in, key)
	if !ok || v == nil || v == nunjucks.Undefined {
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, inputErr(key, "want true or false, got %s", describe(v))
	}
	return b, nil
}

// strings reads a list of strings; a lone string is a list of one.
func stringList(in any, key string) ([]string, error) {
	v, ok := get(in, key)
	if !ok || v == nil || v == nunjucks.Undefined {
		return nil, nil
	}
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, inputErr(key, "want a list of strings, got %s", describe(v))
	}
	out := make([]string, 0, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, inputErr(fmt.Sprintf("%s[%d]", key, i), "want a string, got %s", describe(x))
		}
		out = append(out, s)
	}
	return out, nil
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64, int, int64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case *nunjucks.Object, map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// truthy is Backstage's isTruthy for `if:`: an empty list is false, else
// JavaScript's truthiness.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0 && x == x
	case int:
		return x != 0
	case []any:
		return len(x) > 0
	}
	return v != nunjucks.Undefined
}

// Output budgets: outputs stay in memory for the steps after, and an each
// loop appends to them, so what an action (a plugin's, say) hands back is
// bounded per step and per run.
const (
	maxStepOutput = 4 << 20
	maxRunOutput  = 16 << 20
)

// budget counts bytes against a limit.
type budget struct {
	limit, used int
}

// take counts n bytes and says whether the total is still within the limit.
func (b *budget) take(n int) bool {
	b.used += n
	return b.used <= b.limit
}

// valueSize estimates the bytes a value holds: its strings and keys, and
// a few bytes per value. It stops counting past limit, so a value that
// shares parts many times over costs no more than limit to measure.
func valueSize(v any, limit int) int {
	const each = 16
	n := 0
	var walk func(v any)
	walk = func(v any) {
		if n > limit {
			return
		}
		n += each
		switch x := v.(type) {
		case string:
			n += len(x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case *nunjucks.Object:
			for _, k := range x.Keys() {
				n += len(k)
				e, _ := x.Get(k)
				walk(e)
			}
		}
	}
	walk(v)
	return n
}
