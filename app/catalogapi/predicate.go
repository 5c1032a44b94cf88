package catalogapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/callboard/callboard/app/catalogquery"
)

// maxAlternatives bounds the alternatives a cursor's predicate may
// expand to, so a crafted cursor cannot make a query of millions.
const maxAlternatives = 64

var errPredicate = errors.New("unsupported filter predicate")

// predicateOf writes a filter as the predicate Backstage keeps in its
// cursors: `{key: value}`, `{key: {$in: […]}}`, `{key: {$exists: true}}`,
// joined by $all and $any.
func predicateOf(f *catalogquery.Filter) any {
	if f == nil {
		return nil
	}
	var alts []any
	for _, all := range f.AnyOf {
		var leaves []any
		for _, c := range all {
			var v any
			switch len(c.Values) {
			case 0:
				v = map[string]any{"$exists": true}
			case 1:
				v = c.Values[0]
			default:
				v = map[string]any{"$in": c.Values}
			}
			leaves = append(leaves, map[string]any{c.Key: v})
		}
		if len(leaves) == 1 {
			alts = append(alts, leaves[0])
		} else {
			alts = append(alts, map[string]any{"$all": leaves})
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return map[string]any{"$any": alts}
}

// filterOf reads a cursor's predicate back into a filter: alternatives
// of conditions, at most maxAlternatives of them.
func filterOf(raw json.RawMessage) (*catalogquery.Filter, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var p any
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, err
	}
	alts, err := dnf(p, 0)
	if err != nil {
		return nil, err
	}
	return &catalogquery.Filter{AnyOf: alts}, nil
}

func dnf(p any, depth int) ([][]catalogquery.Condition, error) {
	if depth > 8 {
		return nil, fmt.Errorf("%w: nested too deep", errPredicate)
	}
	m, ok := p.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: %T", errPredicate, p)
	}
	if xs, ok := m["$any"].([]any); ok && len(m) == 1 {
		var out [][]catalogquery.Condition
		for _, x := range xs {
			alts, err := dnf(x, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, alts...)
			if len(out) > maxAlternatives {
				return nil, fmt.Errorf("%w: too many alternatives", errPredicate)
			}
		}
		return out, nil
	}
	var parts []any
	if xs, ok := m["$all"].([]any); ok && len(m) == 1 {
		parts = xs
	} else {
		keys := make([]string, 0, len(m))
		for k := range m {
			if strings.HasPrefix(k, "$") {
				return nil, fmt.Errorf("%w: %s", errPredicate, k)
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) == 1 {
			c, err := leaf(keys[0], m[keys[0]])
			if err != nil {
				return nil, err
			}
			return [][]catalogquery.Condition{{c}}, nil
		}
		for _, k := range keys {
			parts = append(parts, map[string]any{k: m[k]})
		}
	}
	out := [][]catalogquery.Condition{{}}
	for _, x := range parts {
		alts, err := dnf(x, depth+1)
		if err != nil {
			return nil, err
		}
		var next [][]catalogquery.Condition
		for _, a := range out {
			for _, b := range alts {
				next = append(next, append(append([]catalogquery.Condition{}, a...), b...))
			}
		}
		if len(next) > maxAlternatives {
			return nil, fmt.Errorf("%w: too many alternatives", errPredicate)
		}
		out = next
	}
	return out, nil
}

func leaf(key string, v any) (catalogquery.Condition, error) {
	c := catalogquery.Condition{Key: strings.ToLower(key)}
	switch v := v.(type) {
	case string:
		c.Values = []string{strings.ToLower(v)}
	case map[string]any:
		if in, ok := v["$in"].([]any); ok && len(v) == 1 {
			c.Values = []string{}
			for _, x := range in {
				s, ok := x.(string)
				if !ok {
					return c, fmt.Errorf("%w: $in of %T", errPredicate, x)
				}
				c.Values = append(c.Values, strings.ToLower(s))
			}
			return c, nil
		}
		if e, ok := v["$exists"].(bool); ok && e && len(v) == 1 {
			return c, nil
		}
		return c, fmt.Errorf("%w: %v", errPredicate, v)
	default:
		return c, fmt.Errorf("%w: %T", errPredicate, v)
	}
	return c, nil
}
