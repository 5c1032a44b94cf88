package scaffold

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// maxExampleInputs bounds the inputs a made-up example lists when the
// schema requires none: enough to show the shape, not a wall of them.
const maxExampleInputs = 4

// ExampleStep is a YAML step using action id with placeholder inputs from
// its input schema (JSON text): the required properties, else the first
// few, each with its default, first enum value or a value of its type.
// It stands in for an action that gives no example of its own.
func ExampleStep(id, inputSchema string) string {
	var s struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_ = json.Unmarshal([]byte(inputSchema), &s)
	names := s.Required
	if len(names) == 0 {
		for n := range s.Properties {
			names = append(names, n)
		}
		slices.Sort(names)
		names = names[:min(len(names), maxExampleInputs)]
	}
	short := id
	if i := strings.LastIndex(id, ":"); i >= 0 {
		short = id[i+1:]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "- id: %s\n  name: %s\n  action: %s\n", short, id, id)
	if len(names) > 0 {
		b.WriteString("  input:\n")
	}
	for _, n := range names {
		fmt.Fprintf(&b, "    %s: %s\n", n, exampleValue(n, s.Properties[n]))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// exampleValue is a YAML value for a property of schema raw.
func exampleValue(name string, raw json.RawMessage) string {
	var p struct {
		Type    any   `json:"type"`
		Default any   `json:"default"`
		Enum    []any `json:"enum"`
	}
	_ = json.Unmarshal(raw, &p)
	pick := p.Default
	if pick == nil && len(p.Enum) > 0 {
		pick = p.Enum[0]
	}
	if pick != nil {
		b, _ := json.Marshal(pick)
		return string(b)
	}
	typ, _ := p.Type.(string)
	if list, ok := p.Type.([]any); ok && len(list) > 0 {
		typ, _ = list[0].(string)
	}
	switch typ {
	case "boolean":
		return "true"
	case "number", "integer":
		return "1"
	case "array":
		return "[]"
	case "object":
		return "{}"
	}
	return "${{ parameters." + name + " }}"
}
