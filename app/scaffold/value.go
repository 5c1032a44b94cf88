package scaffold

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/nunjucks"
)

// fromYAML turns a YAML node into the values the template engine takes,
// keeping mappings in the author's order (it shows in `dump` and in
// `each` over an object), with YAML 1.2 core scalars as Backstage reads
// them.
func fromYAML(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromYAML(n.Content[0])
	case yaml.AliasNode:
		return fromYAML(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromYAML(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		o := nunjucks.NewObject()
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := fromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			o.Set(n.Content[i].Value, v)
		}
		return o, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}

func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return float64(i), nil
		}
		var f float64
		if err := n.Decode(&f); err == nil {
			return f, nil
		}
	case "!!float":
		var f float64
		if err := n.Decode(&f); err == nil {
			return f, nil
		}
	}
	return n.Value, nil
}

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

// str reads a string input; absent or undefined is "".
func str(in any, key string) (string, error) {
	v, ok := get(in, key)
	if !ok || v == nil || v == nunjucks.Undefined {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("input %s: want a string, got %s", key, describe(v))
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
		return false, fmt.Errorf("input %s: want true or false, got %s", key, describe(v))
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
		return nil, fmt.Errorf("input %s: want a list of strings, got %s", key, describe(v))
	}
	out := make([]string, 0, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("input %s[%d]: want a string, got %s", key, i, describe(x))
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
