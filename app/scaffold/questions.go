package scaffold

import (
	"slices"

	"github.com/callboard/callboard/app/nunjucks"
)

// Question is one of a template's form fields: a top-level property of a
// parameters page.
type Question struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	// Default is the schema's default, nil when none.
	Default  any  `json:"default,omitempty"`
	Required bool `json:"required,omitempty"`
	// Secret is a `ui:field: Secret` field: its answer is never kept.
	Secret bool `json:"secret,omitempty"`
}

// Questions lists the form's fields of a template's spec.parameters (one
// page or a list of them), through allOf, anyOf, oneOf, then, else and
// dependencies, each name once, in the pages' order.
func Questions(params any) []Question {
	var out []Question
	seen := map[string]int{}
	var walk func(s any, depth int)
	walk = func(s any, depth int) {
		if depth > 16 {
			return
		}
		if list, ok := s.([]any); ok {
			for _, p := range list {
				walk(p, depth+1)
			}
			return
		}
		required := map[string]bool{}
		if r, ok := get(s, "required"); ok {
			if list, ok := r.([]any); ok {
				for _, n := range list {
					if name, ok := n.(string); ok {
						required[name] = true
					}
				}
			}
		}
		props, _ := get(s, "properties")
		for _, name := range keysOf(props) {
			p, _ := get(props, name)
			q := Question{Name: name, Required: required[name]}
			q.Title, _ = str(p, "title")
			q.Default, _ = get(p, "default")
			field, _ := str(p, "ui:field")
			q.Secret = field == "Secret"
			if i, ok := seen[name]; ok {
				out[i].Required = out[i].Required || q.Required
				continue
			}
			seen[name] = len(out)
			out = append(out, q)
		}
		for _, k := range []string{"allOf", "anyOf", "oneOf"} {
			if list, ok := get(s, k); ok {
				walk(list, depth+1)
			}
		}
		for _, k := range []string{"then", "else"} {
			if sub, ok := get(s, k); ok {
				walk(sub, depth+1)
			}
		}
		if deps, ok := get(s, "dependencies"); ok {
			for _, k := range keysOf(deps) {
				d, _ := get(deps, k)
				walk(d, depth+1)
			}
		}
	}
	walk(params, 0)
	return out
}

// keysOf is a record's keys in order (sorted for a Go map).
func keysOf(v any) []string {
	switch o := v.(type) {
	case *nunjucks.Object:
		return o.Keys()
	case map[string]any:
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	}
	return nil
}
