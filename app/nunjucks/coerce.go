package nunjucks

import (
	"errors"
	"github.com/callboard/callboard/app/jsnum"
	"math"
	"strings"
)

var errCallableCoerce = errors.New("callable values cannot be coerced")

// toPrimitive is nunjitsu's closed ToPrimitive: arrays join their items with
// commas (nullish items as ""), records become "[object Object]".
func toPrimitive(v any) (any, error) {
	switch v := v.(type) {
	case nil, UndefinedType, bool, float64, string:
		return v, nil
	case *safeString:
		return v.s, nil
	case *array:
		var b strings.Builder
		for i, item := range v.items {
			if i > 0 {
				b.WriteByte(',')
			}
			if isNullish(item) {
				continue
			}
			s, err := toString(item)
			if err != nil {
				return nil, err
			}
			b.WriteString(s)
		}
		return b.String(), nil
	case *Object:
		return "[object Object]", nil
	case *regex:
		return v.String(), nil
	}
	return nil, errCallableCoerce
}

// toString is JavaScript's String(v) over interpreter values.
func toString(v any) (string, error) {
	p, err := toPrimitive(v)
	if err != nil {
		return "", err
	}
	return primitiveString(p), nil
}

func primitiveString(p any) string {
	switch p := p.(type) {
	case UndefinedType:
		return "undefined"
	case nil:
		return "null"
	case bool:
		if p {
			return "true"
		}
		return "false"
	case float64:
		return jsnum.Format(p)
	case string:
		return p
	}
	return ""
}

// toNumber is JavaScript's Number(v) over interpreter values.
func toNumber(v any) (float64, error) {
	p, err := toPrimitive(v)
	if err != nil {
		return 0, err
	}
	return primitiveNumber(p), nil
}

func primitiveNumber(p any) float64 {
	switch p := p.(type) {
	case UndefinedType:
		return math.NaN()
	case nil:
		return 0
	case bool:
		if p {
			return 1
		}
		return 0
	case float64:
		return p
	case string:
		return jsnum.FromString(p)
	}
	return math.NaN()
}

// render is how an output tag writes a value: nullish values are empty.
func render(v any) (string, error) {
	switch v := v.(type) {
	case nil, UndefinedType:
		return "", nil
	case string:
		return v, nil
	case *array:
		var b strings.Builder
		for i, item := range v.items {
			if i > 0 {
				b.WriteByte(',')
			}
			s, err := render(item)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
		return b.String(), nil
	case *callable:
		return "", errors.New("callable values cannot be rendered")
	}
	return toString(v)
}

func isPrimitive(v any) bool {
	switch v.(type) {
	case nil, UndefinedType, bool, float64, string:
		return true
	}
	return false
}

func strictEqual(a, b any) bool { return a == b }

// looseEqual is JavaScript's == over interpreter values.
func looseEqual(a, b any) (bool, error) {
	if a == b {
		return true, nil
	}
	pa, pb := isPrimitive(a), isPrimitive(b)
	if !pa && !pb {
		return false, nil
	}
	var err error
	if !pa {
		if a, err = toPrimitive(a); err != nil {
			return false, err
		}
	}
	if !pb {
		if b, err = toPrimitive(b); err != nil {
			return false, err
		}
	}
	return primitiveLooseEqual(a, b), nil
}

func primitiveLooseEqual(a, b any) bool {
	if a == b {
		return true
	}
	if isNullish(a) || isNullish(b) {
		return isNullish(a) && isNullish(b)
	}
	switch av := a.(type) {
	case bool:
		if _, same := b.(bool); same {
			return false
		}
		return primitiveLooseEqual(boolNumber(av), b)
	case float64:
		switch bv := b.(type) {
		case bool:
			return primitiveLooseEqual(a, boolNumber(bv))
		case string:
			return av == jsnum.FromString(bv)
		}
	case string:
		switch bv := b.(type) {
		case bool:
			return primitiveLooseEqual(a, boolNumber(bv))
		case float64:
			return jsnum.FromString(av) == bv
		}
	}
	return false
}

func boolNumber(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// add is JavaScript's + after nunjitsu's closed primitive conversion.
func add(a, b any) (any, error) {
	pa, err := toPrimitive(a)
	if err != nil {
		return nil, err
	}
	pb, err := toPrimitive(b)
	if err != nil {
		return nil, err
	}
	_, sa := pa.(string)
	_, sb := pb.(string)
	if sa || sb {
		return primitiveString(pa) + primitiveString(pb), nil
	}
	return primitiveNumber(pa) + primitiveNumber(pb), nil
}

// order compares as JavaScript's relational operators do: -1, 0, 1, or NaN
// when the numbers are unordered.
func order(a, b any) (float64, error) {
	pa, err := toPrimitive(a)
	if err != nil {
		return 0, err
	}
	pb, err := toPrimitive(b)
	if err != nil {
		return 0, err
	}
	sa, aIsStr := pa.(string)
	sb, bIsStr := pb.(string)
	if aIsStr && bIsStr {
		return float64(compareStrings(sa, sb)), nil
	}
	x, y := primitiveNumber(pa), primitiveNumber(pb)
	switch {
	case x < y:
		return -1, nil
	case x > y:
		return 1, nil
	case x == y:
		return 0, nil
	}
	return math.NaN(), nil
}
