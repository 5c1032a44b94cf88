package nunjucks

import (
	"errors"
	"fmt"
	"github.com/callboard/callboard/app/jsnum"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The methods nunjitsu approves on strings, numbers and arrays, plus
// Jinja's list and dict methods in cookiecutter mode.
var (
	stringMethods = []string{"charAt", "charCodeAt", "concat", "endsWith", "includes", "indexOf", "lastIndexOf",
		"replace", "slice", "split", "startsWith", "substring", "toLowerCase", "toUpperCase", "trim", "trimEnd", "trimStart"}
	numberMethods = []string{"toExponential", "toFixed", "toPrecision", "toString"}
	arrayMethods  = []string{"at", "concat", "copyWithin", "fill", "flat", "includes", "indexOf", "join", "lastIndexOf",
		"pop", "push", "reverse", "shift", "slice", "sort", "splice", "unshift"}
	jinjaArrayMethods  = []string{"append", "count", "find", "index", "insert", "remove"}
	jinjaRecordMethods = []string{"get", "has_key", "items", "keys", "values"}
)

type arity struct{ lo, hi int }

const unbounded = math.MaxInt

// method returns target's approved method key bound to target, or nil.
func (ev *evaluator) method(target any, key string) *callable {
	cc := ev.env.opts.CookiecutterCompat
	var ar arity
	var invoke func(ev *evaluator, args []any) (any, error)
	switch t := target.(type) {
	case string, *safeString:
		if !slices.Contains(stringMethods, key) {
			return nil
		}
		s, _ := text(t)
		ar = stringArity(key)
		invoke = func(ev *evaluator, args []any) (any, error) { return ev.stringMethod(s, key, args) }
	case float64:
		if !slices.Contains(numberMethods, key) {
			return nil
		}
		ar = arity{0, 1}
		invoke = func(_ *evaluator, args []any) (any, error) { return numberMethod(t, key, args) }
	case *array:
		if !slices.Contains(arrayMethods, key) && !(cc && slices.Contains(jinjaArrayMethods, key)) {
			return nil
		}
		ar = arrayArity(key, cc)
		invoke = func(ev *evaluator, args []any) (any, error) { return ev.arrayMethod(t, key, args) }
	case *Object:
		if !cc || t.has(key) || !slices.Contains(jinjaRecordMethods, key) {
			return nil
		}
		ar = arity{0, 0}
		switch key {
		case "get":
			ar = arity{1, 2}
		case "has_key":
			ar = arity{1, 1}
		}
		invoke = func(_ *evaluator, args []any) (any, error) { return recordMethod(t, key, args) }
	case *regex:
		if key != "test" {
			return nil
		}
		ar = arity{1, 1}
		invoke = func(ev *evaluator, args []any) (any, error) {
			if ev.env.opts.DisallowRegex {
				return nil, errors.New("template regular-expression execution is disabled")
			}
			s, err := toString(args[0])
			return err == nil && t.re.MatchString(s), err
		}
	default:
		return nil
	}
	return &callable{name: key, call: func(ev *evaluator, args []any, kwargs *Object) (any, error) {
		if kwargs != nil {
			return nil, fmt.Errorf("template intrinsic %s does not accept keyword arguments", key)
		}
		if len(args) < ar.lo || len(args) > ar.hi {
			return nil, fmt.Errorf("template intrinsic %s requires %s positional arguments", key, ar)
		}
		v, err := invoke(ev, args)
		if err == nil {
			err = ev.checkSize(v)
		}
		return v, err
	}}
}

func (a arity) String() string {
	switch {
	case a.lo == a.hi:
		return strconv.Itoa(a.lo)
	case a.hi == unbounded:
		return fmt.Sprintf("at least %d", a.lo)
	}
	return fmt.Sprintf("%d to %d", a.lo, a.hi)
}

func stringArity(name string) arity {
	switch name {
	case "replace":
		return arity{2, 2}
	case "split":
		return arity{0, 2}
	case "includes", "startsWith", "endsWith", "indexOf", "lastIndexOf":
		return arity{1, 2}
	case "slice", "substring":
		return arity{0, 2}
	case "charAt", "charCodeAt":
		return arity{0, 1}
	case "concat":
		return arity{0, unbounded}
	}
	return arity{0, 0}
}

func arrayArity(name string, cc bool) arity {
	switch name {
	case "at", "count", "index", "find", "remove", "append":
		return arity{1, 1}
	case "insert":
		return arity{2, 2}
	case "includes", "indexOf", "lastIndexOf":
		return arity{1, 2}
	case "copyWithin", "fill":
		return arity{1, 3}
	case "flat", "join":
		return arity{0, 1}
	case "slice":
		return arity{0, 2}
	case "pop":
		if cc {
			return arity{0, 1}
		}
		return arity{0, 0}
	case "shift", "sort", "reverse":
		return arity{0, 0}
	}
	return arity{0, unbounded}
}

func toInteger(v any) (float64, error) {
	f, err := toNumber(v)
	return toIntegerOrInfinity(f), err
}

func (ev *evaluator) stringMethod(s, name string, args []any) (any, error) {
	first, second := arg(args, 0), arg(args, 1)
	n := strLen(s)
	optPos := func(v any, def int) (int, error) {
		if v == Undefined {
			return def, nil
		}
		f, err := toInteger(v)
		return clampIndex(f, n), err
	}
	switch name {
	case "replace":
		repl, err := toString(second)
		if err != nil {
			return nil, err
		}
		if r, ok := first.(*regex); ok {
			if ev.env.opts.DisallowRegex {
				return nil, errors.New("template regular-expression execution is disabled")
			}
			return jsReplace(s, r, repl), nil
		}
		pattern, err := toString(first)
		if err != nil {
			return nil, err
		}
		return jsReplaceString(s, pattern, repl), nil
	case "split":
		limit := -1
		if second != Undefined {
			f, err := toNumber(second)
			if err != nil {
				return nil, err
			}
			limit = int(toUint32(f))
		}
		if r, ok := first.(*regex); ok {
			if ev.env.opts.DisallowRegex {
				return nil, errors.New("template regular-expression execution is disabled")
			}
			return newArray(jsRegexSplit(s, r, limit)), nil
		}
		if first == Undefined {
			if limit == 0 {
				return newArray(nil), nil
			}
			return newArray([]any{s}), nil
		}
		sep, err := toString(first)
		if err != nil {
			return nil, err
		}
		parts := jsSplit(s, sep, limit)
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return newArray(out), nil
	case "includes", "startsWith", "endsWith", "indexOf":
		needle, err := toString(first)
		if err != nil {
			return nil, err
		}
		def := 0
		if name == "endsWith" {
			def = n
		}
		p, err := optPos(second, def)
		if err != nil {
			return nil, err
		}
		switch name {
		case "includes":
			return strIndexOf(s, needle, p) >= 0, nil
		case "startsWith":
			return strings.HasPrefix(strSlice(s, p, n), needle), nil
		case "endsWith":
			return strings.HasSuffix(strSlice(s, 0, p), needle), nil
		}
		return float64(strIndexOf(s, needle, p)), nil
	case "lastIndexOf":
		needle, err := toString(first)
		if err != nil {
			return nil, err
		}
		from := n
		if second != Undefined {
			f, err := toNumber(second)
			if err != nil {
				return nil, err
			}
			if !math.IsNaN(f) {
				from = clampIndex(f, n)
			}
		}
		return float64(strLastIndexOf(s, needle, from)), nil
	case "slice":
		from, to := 0, n
		if first != Undefined {
			f, err := toNumber(first)
			if err != nil {
				return nil, err
			}
			from = relIndex(f, n)
		}
		if second != Undefined {
			f, err := toNumber(second)
			if err != nil {
				return nil, err
			}
			to = relIndex(f, n)
		}
		if from >= to {
			return "", nil
		}
		return strSlice(s, from, to), nil
	case "substring":
		from, err := optPos(first, 0)
		if err != nil {
			return nil, err
		}
		to, err := optPos(second, n)
		if err != nil {
			return nil, err
		}
		return strSlice(s, min(from, to), max(from, to)), nil
	case "trim":
		return jsnum.Trim(s), nil
	case "trimStart":
		return jsnum.TrimStart(s), nil
	case "trimEnd":
		return jsnum.TrimEnd(s), nil
	case "toLowerCase":
		return jsLower(s), nil
	case "toUpperCase":
		return jsUpper(s), nil
	case "charAt", "charCodeAt":
		f, err := toInteger(first)
		if err != nil {
			return nil, err
		}
		c, ok := "", false
		if f >= 0 && f < float64(n) {
			c, ok = strAt(s, int(f))
		}
		if name == "charAt" {
			return c, nil
		}
		if !ok {
			return math.NaN(), nil
		}
		return float64(units(c)[0]), nil
	case "concat":
		var b strings.Builder
		b.WriteString(s)
		for _, a := range args {
			t, err := toString(a)
			if err != nil {
				return nil, err
			}
			b.WriteString(t)
		}
		return b.String(), nil
	}
	return nil, fmt.Errorf("unsupported string intrinsic %s", name)
}

func numberMethod(f float64, name string, args []any) (any, error) {
	var digits float64
	hasArg := arg(args, 0) != Undefined
	if hasArg {
		var err error
		if digits, err = toNumber(args[0]); err != nil {
			return nil, err
		}
		digits = toIntegerOrInfinity(digits)
	}
	switch name {
	case "toFixed":
		if digits < 0 || digits > 100 {
			return nil, errors.New("toFixed() digits argument must be between 0 and 100")
		}
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= 1e21 {
			return jsnum.Format(f), nil
		}
		return strconv.FormatFloat(f, 'f', int(digits), 64), nil
	case "toString":
		radix := 10.0
		if hasArg {
			radix = digits
		}
		if radix < 2 || radix > 36 {
			return nil, errors.New("toString() radix must be between 2 and 36")
		}
		if radix == 10 || math.IsNaN(f) || math.IsInf(f, 0) {
			return jsnum.Format(f), nil
		}
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return strconv.FormatInt(int64(f), int(radix)), nil
		}
		return nil, errors.New("toString() with a radix supports integers only")
	case "toPrecision":
		if !hasArg || math.IsNaN(f) || math.IsInf(f, 0) {
			return jsnum.Format(f), nil
		}
		if digits < 1 || digits > 100 {
			return nil, errors.New("toPrecision() argument must be between 1 and 100")
		}
		e := int(math.Floor(math.Log10(math.Abs(f))))
		if f == 0 {
			e = 0
		}
		if e < -6 || e >= int(digits) {
			return jsExponential(f, int(digits)-1), nil
		}
		return strconv.FormatFloat(f, 'f', max(0, int(digits)-1-e), 64), nil
	case "toExponential":
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return jsnum.Format(f), nil
		}
		if !hasArg {
			return jsExponential(f, -1), nil
		}
		if digits < 0 || digits > 100 {
			return nil, errors.New("toExponential() argument must be between 0 and 100")
		}
		return jsExponential(f, int(digits)), nil
	}
	return nil, fmt.Errorf("unsupported number intrinsic %s", name)
}

// jsExponential formats as toExponential: "1.5e+2", exponent without padding.
func jsExponential(f float64, digits int) string {
	s := strconv.FormatFloat(f, 'e', digits, 64)
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	exp = strings.TrimLeft(exp[1:], "0")
	if exp == "" {
		exp = "0"
	}
	return mant + "e" + string(sign) + exp
}

func (ev *evaluator) arrayMethod(a *array, name string, args []any) (any, error) {
	first, second, third := arg(args, 0), arg(args, 1), arg(args, 2)
	n := len(a.items)
	rel := func(v any, def int) (int, error) {
		if v == Undefined {
			return def, nil
		}
		f, err := toNumber(v)
		return relIndex(f, n), err
	}
	indexOf := func(v any, from int) int {
		for i := from; i < n; i++ {
			if strictEqual(a.items[i], v) {
				return i
			}
		}
		return -1
	}
	switch name {
	case "at":
		f, err := toInteger(first)
		if err != nil {
			return nil, err
		}
		if f < 0 {
			f += float64(n)
		}
		if f < 0 || f >= float64(n) {
			return Undefined, nil
		}
		return a.items[int(f)], nil
	case "concat":
		items := slices.Clone(a.items)
		for _, v := range args {
			if other, ok := v.(*array); ok {
				items = append(items, other.items...)
			} else {
				items = append(items, v)
			}
		}
		return newArray(items), nil
	case "flat":
		depth := 1.0
		if first != Undefined {
			f, err := toInteger(first)
			if err != nil {
				return nil, err
			}
			depth = max(0, f)
		}
		var out []any
		if err := ev.flatten(&out, a, depth); err != nil {
			return nil, err
		}
		return newArray(out), nil
	case "includes":
		from, err := rel(second, 0)
		if err != nil {
			return nil, err
		}
		for i := from; i < n; i++ {
			if sameValueZero(a.items[i], first) {
				return true, nil
			}
		}
		return false, nil
	case "indexOf":
		from, err := rel(second, 0)
		if err != nil {
			return nil, err
		}
		return float64(indexOf(first, from)), nil
	case "lastIndexOf":
		from := n - 1
		if second != Undefined {
			f, err := toInteger(second)
			if err != nil {
				return nil, err
			}
			if f < 0 {
				f += float64(n)
			}
			from = int(min(f, float64(n-1)))
		}
		for i := from; i >= 0; i-- {
			if strictEqual(a.items[i], first) {
				return float64(i), nil
			}
		}
		return -1.0, nil
	case "join":
		sep := ","
		if first != Undefined {
			var err error
			if sep, err = toString(first); err != nil {
				return nil, err
			}
		}
		parts := make([]string, n)
		for i, v := range a.items {
			if isNullish(v) {
				continue
			}
			s, err := toString(v)
			if err != nil {
				return nil, err
			}
			parts[i] = s
		}
		return strings.Join(parts, sep), nil
	case "slice":
		from, err := rel(first, 0)
		if err != nil {
			return nil, err
		}
		to, err := rel(second, n)
		if err != nil {
			return nil, err
		}
		if from >= to {
			return newArray(nil), nil
		}
		return newArray(slices.Clone(a.items[from:to])), nil
	case "push", "append":
		a.items = append(a.items, args...)
		return float64(len(a.items)), nil
	case "pop":
		if ev.env.opts.CookiecutterCompat && first != Undefined {
			f, err := toInteger(first)
			if err != nil {
				return nil, err
			}
			if f < 0 {
				f += float64(n)
			}
			if f < 0 || f >= float64(n) {
				return Undefined, nil
			}
			v := a.items[int(f)]
			a.items = slices.Delete(a.items, int(f), int(f)+1)
			return v, nil
		}
		if n == 0 {
			return Undefined, nil
		}
		v := a.items[n-1]
		a.items = a.items[:n-1]
		return v, nil
	case "shift":
		if n == 0 {
			return Undefined, nil
		}
		v := a.items[0]
		a.items = slices.Delete(a.items, 0, 1)
		return v, nil
	case "unshift":
		a.items = append(slices.Clone(args), a.items...)
		return float64(len(a.items)), nil
	case "splice":
		if first == Undefined {
			return newArray(nil), nil
		}
		start, err := rel(first, 0)
		if err != nil {
			return nil, err
		}
		count := n - start
		if second != Undefined {
			f, err := toInteger(second)
			if err != nil {
				return nil, err
			}
			count = int(min(max(0, f), float64(n-start)))
		}
		removed := slices.Clone(a.items[start : start+count])
		a.items = slices.Replace(a.items, start, start+count, args[min(2, len(args)):]...)
		return newArray(removed), nil
	case "sort":
		var sortErr error
		a.items = jsSort(a.items, func(x, y any) int {
			xs, err := toString(x)
			if err != nil {
				sortErr = err
			}
			ys, err := toString(y)
			if err != nil {
				sortErr = err
			}
			return compareStrings(xs, ys)
		})
		return a, sortErr
	case "reverse":
		slices.Reverse(a.items)
		return a, nil
	case "fill", "copyWithin":
		target, err := rel(first, 0)
		if err != nil {
			return nil, err
		}
		start, err := rel(second, 0)
		if err != nil {
			return nil, err
		}
		end, err := rel(third, n)
		if err != nil {
			return nil, err
		}
		if name == "fill" {
			for i := start; i < end; i++ {
				a.items[i] = first
			}
			return a, nil
		}
		if end > start {
			src := slices.Clone(a.items[start:end])
			copy(a.items[target:], src)
		}
		return a, nil
	case "insert":
		at, err := rel(first, 0)
		if err != nil {
			return nil, err
		}
		a.items = slices.Insert(a.items, at, second)
		return newArray(nil), nil
	case "remove":
		i := indexOf(first, 0)
		if i < 0 {
			return newArray(nil), nil
		}
		removed := a.items[i]
		a.items = slices.Delete(a.items, i, i+1)
		return newArray([]any{removed}), nil
	case "count":
		c := 0
		for _, v := range a.items {
			if strictEqual(v, first) {
				c++
			}
		}
		return float64(c), nil
	case "index", "find":
		return float64(indexOf(first, 0)), nil
	}
	return nil, fmt.Errorf("unsupported array intrinsic %s", name)
}

func sameValueZero(a, b any) bool {
	if x, ok := a.(float64); ok {
		if y, ok := b.(float64); ok && math.IsNaN(x) && math.IsNaN(y) {
			return true
		}
	}
	return a == b
}

func (ev *evaluator) flatten(out *[]any, a *array, depth float64) error {
	for _, item := range a.items {
		if err := ev.charge(); err != nil {
			return err
		}
		if inner, ok := item.(*array); ok && depth > 0 {
			if err := ev.flatten(out, inner, depth-1); err != nil {
				return err
			}
			continue
		}
		*out = append(*out, item)
	}
	return nil
}

func recordMethod(o *Object, name string, args []any) (any, error) {
	switch name {
	case "get", "has_key":
		k, err := toString(args[0])
		if err != nil {
			return nil, err
		}
		if name == "has_key" {
			return o.has(k), nil
		}
		if v, ok := o.Get(k); ok {
			return v, nil
		}
		return arg(args, 1), nil
	case "keys", "values", "items":
		out := make([]any, 0, o.Len())
		for _, k := range o.keys {
			switch name {
			case "keys":
				out = append(out, k)
			case "values":
				out = append(out, o.vals[k])
			default:
				out = append(out, newArray([]any{k, o.vals[k]}))
			}
		}
		return newArray(out), nil
	}
	return nil, fmt.Errorf("unsupported record intrinsic %s", name)
}
