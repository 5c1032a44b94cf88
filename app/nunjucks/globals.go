package nunjucks

import (
	"errors"
	"fmt"
)

// builtinGlobal returns nunjucks' range, cycler and joiner.
func builtinGlobal(name string) *callable {
	switch name {
	case "range":
		return &callable{name: name, call: func(ev *evaluator, args []any, kwargs *Object) (any, error) {
			if err := positionalOnly("built-in global range", kwargs, len(args), 3); err != nil {
				return nil, err
			}
			return ev.rangeOf(args)
		}}
	case "cycler":
		return &callable{name: name, call: func(_ *evaluator, args []any, kwargs *Object) (any, error) {
			if kwargs != nil {
				return nil, errors.New("built-in global cycler does not accept keyword arguments")
			}
			return newCycler(args), nil
		}}
	case "joiner":
		return &callable{name: name, call: func(_ *evaluator, args []any, kwargs *Object) (any, error) {
			if err := positionalOnly("built-in global joiner", kwargs, len(args), 1); err != nil {
				return nil, err
			}
			var sep any = ","
			if s := arg(args, 0); truthy(s) {
				sep = s
			}
			used := false
			return &callable{name: "joiner", call: func(_ *evaluator, args []any, kwargs *Object) (any, error) {
				if kwargs != nil || len(args) != 0 {
					return nil, errors.New("joiner instance requires 0 positional arguments")
				}
				if !used {
					used = true
					return "", nil
				}
				return sep, nil
			}}, nil
		}}
	}
	return nil
}

func positionalOnly(what string, kwargs *Object, n, maximum int) error {
	if kwargs != nil {
		return fmt.Errorf("%s does not accept keyword arguments", what)
	}
	if n > maximum {
		return fmt.Errorf("%s accepts at most %d positional arguments", what, maximum)
	}
	return nil
}

// rangeOf is range(stop) or range(start, stop[, step]) with JavaScript's
// comparison and addition, so it also steps through non-numbers.
func (ev *evaluator) rangeOf(args []any) (any, error) {
	start, stop, step := arg(args, 0), arg(args, 1), arg(args, 2)
	if stop == Undefined {
		start, stop, step = 0.0, start, 1.0
	} else if !truthy(step) {
		step = 1.0
	}
	up, err := order(step, 0.0)
	if err != nil {
		return nil, err
	}
	var out []any
	for v := start; ; {
		o, err := order(v, stop)
		if err != nil {
			return nil, err
		}
		if (up > 0 && !(o < 0)) || (!(up > 0) && !(o > 0)) {
			break
		}
		if err := ev.charge(); err != nil {
			return nil, err
		}
		out = append(out, v)
		if v, err = add(v, step); err != nil {
			return nil, err
		}
		if err := ev.checkSize(v); err != nil {
			return nil, err
		}
	}
	return newArray(out), nil
}

func newCycler(values []any) *callable {
	index := -1
	c := &callable{name: "cycler", call: func(*evaluator, []any, *Object) (any, error) {
		return nil, errors.New("interpreter builtin object is not directly callable")
	}}
	method := func(name string, f func() any) *callable {
		return &callable{name: name, call: func(_ *evaluator, args []any, kwargs *Object) (any, error) {
			if kwargs != nil || len(args) != 0 {
				return nil, fmt.Errorf("cycler %s requires 0 positional arguments", name)
			}
			return f(), nil
		}}
	}
	c.member = func(key string) any {
		switch key {
		case "current":
			if index < 0 {
				return nil
			}
			if index >= len(values) {
				return Undefined
			}
			return values[index]
		case "next":
			return method("next", func() any {
				if len(values) == 0 {
					index = 0
					return Undefined
				}
				index = (index + 1) % len(values)
				return values[index]
			})
		case "reset":
			return method("reset", func() any {
				index = -1
				return Undefined
			})
		}
		return Undefined
	}
	return c
}
