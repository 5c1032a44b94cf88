package scorecard

import "fmt"

// compare applies one of json-rules-engine's default operators to a fact's
// value and a rule's value, as json-rules-engine 7 does: its fact-value
// validator first (numbers for the relational operators, a list for
// contains and doesNotContain), then the JavaScript expression. An
// operator it would throw on (in and notIn with a value that is neither a
// list nor a string; the catalog refuses those rules) is an error.
func compare(op string, fact, value any) (bool, error) {
	switch op {
	case "equal":
		return strictEqual(fact, value), nil
	case "notEqual":
		return !strictEqual(fact, value), nil
	case "in", "notIn":
		i, ok := indexOf(value, fact)
		if !ok {
			return false, fmt.Errorf("%s needs a list or a string to look in", op)
		}
		return (i > -1) == (op == "in"), nil
	case "contains", "doesNotContain":
		list, ok := fact.([]any)
		if !ok {
			return false, nil
		}
		i, _ := indexOf(list, value)
		return (i > -1) == (op == "contains"), nil
	case "lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive":
		if !parsesAsFloat(fact) {
			return false, nil
		}
		switch op {
		case "lessThan":
			r, _ := lessThan(fact, value)
			return r, nil
		case "greaterThan":
			r, _ := lessThan(value, fact)
			return r, nil
		case "lessThanInclusive": // a <= b is !(b < a), false when undefined
			r, ok := lessThan(value, fact)
			return ok && !r, nil
		default:
			r, ok := lessThan(fact, value)
			return ok && !r, nil
		}
	}
	return false, fmt.Errorf("unknown operator %q", op)
}
