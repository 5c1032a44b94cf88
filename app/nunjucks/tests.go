package nunjucks

import (
	"errors"
	"fmt"
	"math"
)

// testArity is the number of arguments each built-in test takes.
var testArity = map[string]int{
	"callable": 0, "defined": 0, "divisibleby": 1, "escaped": 0, "eq": 1, "equalto": 1,
	"even": 0, "falsy": 0, "ge": 1, "greaterthan": 1, "gt": 1, "iterable": 0, "le": 1,
	"lessthan": 1, "lower": 0, "lt": 1, "mapping": 0, "ne": 1, "null": 0, "number": 0,
	"odd": 0, "sameas": 1, "string": 0, "truthy": 0, "undefined": 0, "upper": 0,
}

func checkTestArity(name string, n int) error {
	want, ok := testArity[name]
	if !ok {
		return fmt.Errorf("unknown template test %s", name)
	}
	if n != want {
		s := "s"
		if want == 1 {
			s = ""
		}
		return fmt.Errorf("template test %s requires %d positional argument%s", name, want, s)
	}
	return nil
}

// test evaluates `left is name(args)`.
func (ev *evaluator) test(n *isNode, sc *scope) (any, error) {
	var name string
	var args *argList
	switch t := n.test.(type) {
	case *symbolNode:
		name = t.name
	case *literalNode:
		name = testLiteralName(t)
	case *callNode:
		switch c := t.target.(type) {
		case *symbolNode:
			name = c.name
		case *literalNode:
			name = testLiteralName(c)
		default:
			return nil, errors.New("unexpected static test node")
		}
		args = &t.args
	default:
		return nil, errors.New("unexpected static test node")
	}
	if isReservedName(name) {
		return nil, fmt.Errorf("template test %s is reserved", name)
	}
	want, ok := testArity[name]
	if !ok {
		return nil, fmt.Errorf("unknown template test %q", name)
	}
	if args != nil {
		if len(args.keywords) > 0 {
			return nil, fmt.Errorf("template test %s does not accept keyword arguments", name)
		}
		if err := checkTestArity(name, len(args.positional)); err != nil {
			return nil, err
		}
	} else if want != 0 {
		return nil, fmt.Errorf("template test %s requires %d positional argument", name, want)
	}
	input, err := ev.expr(n.left, sc)
	if err != nil {
		return nil, err
	}
	var values []any
	if args != nil {
		if values, _, err = ev.evalArgs(*args, sc); err != nil {
			return nil, err
		}
	}
	ok, err = applyTest(name, input, values)
	if err != nil {
		return nil, &posError{n.test.position(), fmt.Errorf("test %q failed for %s input: %w", name, kindOf(input), err)}
	}
	return ok, nil
}

func testLiteralName(n *literalNode) string {
	if r, ok := n.value.(*regexLiteral); ok {
		return (&regex{source: r.source, flags: r.flags}).String()
	}
	return primitiveString(n.value)
}

func applyTest(name string, input any, args []any) (bool, error) {
	if err := checkTestArity(name, len(args)); err != nil {
		return false, err
	}
	switch name {
	case "callable", "eq", "equalto", "sameas", "ne":
	default:
		for _, v := range append([]any{input}, args...) {
			if err := noCallable(v); err != nil {
				return false, err
			}
		}
	}
	num := func(v any) float64 {
		f, _ := toNumber(v)
		return f
	}
	ord := func() float64 {
		o, _ := order(input, args[0])
		return o
	}
	switch name {
	case "callable":
		_, ok := input.(*callable)
		return ok, nil
	case "defined":
		return input != Undefined, nil
	case "divisibleby":
		return math.Mod(num(input), num(args[0])) == 0, nil
	case "escaped":
		_, ok := input.(*safeString)
		return ok, nil
	case "eq", "equalto", "sameas":
		return input == args[0], nil
	case "ne":
		return input != args[0], nil
	case "even":
		return math.Mod(num(input), 2) == 0, nil
	case "odd":
		return math.Mod(num(input), 2) == 1, nil
	case "falsy":
		return !truthy(input), nil
	case "truthy":
		return truthy(input), nil
	case "ge":
		return ord() >= 0, nil
	case "gt", "greaterthan":
		return ord() > 0, nil
	case "le":
		return ord() <= 0, nil
	case "lt", "lessthan":
		return ord() < 0, nil
	case "iterable":
		switch input.(type) {
		case nil, UndefinedType:
			return false, errors.New("iterable test requires a value")
		case string, *safeString, *array:
			return true, nil
		}
		return false, nil
	case "lower", "upper":
		if _, ok := input.(*safeString); ok {
			return false, nil
		}
		t, err := text(input)
		if err != nil {
			return false, err
		}
		if name == "lower" {
			return jsLower(t) == t, nil
		}
		return jsUpper(t) == t, nil
	case "mapping":
		switch input.(type) {
		case *Object, *safeString, *regex:
			return true, nil
		}
		return false, nil
	case "null":
		return input == nil, nil
	case "number":
		_, ok := input.(float64)
		return ok, nil
	case "string":
		_, ok := input.(string)
		return ok, nil
	case "undefined":
		return input == Undefined, nil
	}
	return false, fmt.Errorf("unknown template test %s", name)
}
