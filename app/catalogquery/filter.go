package catalogquery

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every refusal of a malformed query; the text
// after it is Backstage's message for the same input.
var ErrInvalid = errors.New("invalid query")

// Condition matches entities with Key (lower-cased) holding any of
// Values (lower-cased), or, with no Values, holding Key at all.
type Condition struct {
	Key    string
	Values []string
}

// Filter is Backstage's entity filter in its query-string form: entities
// matching every Condition of any one of AnyOf. A nil Filter matches all.
type Filter struct {
	AnyOf [][]Condition
}

// ParseFilters reads `filter` query parameters as Backstage does: each
// parameter is a comma-separated list of `key=value` (or `key` for
// existence) conditions, all of which must hold; the parameters are
// alternatives. A key repeated in one parameter accepts any of its
// values. Empty statements are skipped; a statement without a key is
// refused.
func ParseFilters(params []string) (*Filter, error) {
	var f Filter
	for _, p := range params {
		var conds []Condition
		at := map[string]int{}
		for _, st := range strings.Split(p, ",") {
			st = strings.TrimSpace(st)
			if st == "" {
				continue
			}
			key, value, hasValue := strings.Cut(st, "=")
			key = strings.TrimSpace(key)
			if key == "" {
				return nil, fmt.Errorf("%w: Invalid filter, '%s' is not a valid statement (expected a string on the form a=b or a= or a)", ErrInvalid, st)
			}
			i, ok := at[key]
			if !ok {
				i = len(conds)
				at[key] = i
				conds = append(conds, Condition{Key: strings.ToLower(key)})
			}
			if hasValue {
				conds[i].Values = append(conds[i].Values, strings.ToLower(strings.TrimSpace(value)))
			}
		}
		if len(conds) > 0 {
			f.AnyOf = append(f.AnyOf, conds)
		}
	}
	if len(f.AnyOf) == 0 {
		return nil, nil
	}
	return &f, nil
}

// And returns the filter that also requires c, in every alternative.
func (f *Filter) And(c ...Condition) *Filter {
	if f == nil {
		return &Filter{AnyOf: [][]Condition{c}}
	}
	out := &Filter{}
	for _, all := range f.AnyOf {
		out.AnyOf = append(out.AnyOf, append(append([]Condition{}, all...), c...))
	}
	return out
}
