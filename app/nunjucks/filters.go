package nunjucks

import (
	"errors"
	"fmt"
	"github.com/callboard/callboard/app/jsnum"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

var builtinFilterNames = []string{
	"abs", "batch", "capitalize", "center", "d", "default", "dictsort", "dump", "e",
	"escape", "first", "float", "forceescape", "groupby", "indent", "int", "join",
	"last", "length", "list", "lower", "nl2br", "random", "reject", "rejectattr",
	"replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort",
	"string", "striptags", "sum", "title", "trim", "truncate", "upper", "urlencode",
	"urlize", "wordcount",
}

var (
	htmlTagPattern        = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)</?([a-z][a-z0-9]*)\b[^>]*>|<!--[\s\S]*?-->`) })
	lineEdgeSpacesPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^ +| +$`) })
	repeatedSpaces        = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(` +`) })
	excessBlankLines      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\n\n\n+`) })
	repeatedWhitespace    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[` + jsSpaceClass + `]+`) })
	wordPattern           = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\w+`) })
	lineBreakPattern      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\r\n|\n`) })
	urlizeSeparator       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[` + jsSpaceClass + `]+`) })
	urlizePunctuation     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:\(|<|&lt;)?([\s\S]*?)(?:\.|,|\)|\n|&gt;)?$`) })
	emailAddressPattern   = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^[\w.!#$%&'*+\-/=?^` + "`" + `{|}~]+@[a-z\d-]+(?:\.[a-z\d-]+)+$`)
	})
	commonDomainPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\.(?:org|net|com)(?::|/|$)`) })
	htmlEscaper         = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `\`, "&#92;")
)

const maxRepeatedSpaces = 16 * 1024 * 1024

func isBuiltinFilter(name string) bool { return slices.Contains(builtinFilterNames, name) }

// filter evaluates `input | name(args)`: a configured filter wins over a
// built-in one of the same name.
func (ev *evaluator) filter(n *filterNode, sc *scope) (any, error) {
	name := n.name
	builtin := name
	if ev.env.opts.CookiecutterCompat && name == "jsonify" {
		builtin = "dump"
	}
	host, isHost := ev.env.opts.Filters[name]
	if !isHost && !isBuiltinFilter(builtin) {
		return nil, &posError{n.nameAt, fmt.Errorf("unknown filter %q", name)}
	}
	if isHost && len(n.args.keywords) > 0 {
		return nil, fmt.Errorf("registered filter %s does not accept keyword arguments", name)
	}
	input, err := ev.expr(n.input, sc)
	if err != nil {
		return nil, err
	}
	args, kwargs, err := ev.evalArgs(n.args, sc)
	if err != nil {
		return nil, err
	}
	for _, a := range append([]any{input}, args...) {
		if err := noCallable(a); err != nil {
			return nil, err
		}
	}
	if isHost {
		return ev.callHost(func(pub []any) (any, error) { return host(pub[0], pub[1:]...) }, append([]any{input}, args...))
	}
	v, err := ev.applyFilter(builtin, input, lowerFilterArgs(builtin, args, kwargs))
	if err == nil {
		err = ev.checkSize(v)
	}
	if err != nil {
		var le *limitError
		if errors.As(err, &le) {
			return nil, err
		}
		return nil, &posError{n.nameAt, fmt.Errorf("filter %q failed for %s input: %w", builtin, kindOf(input), err)}
	}
	return v, nil
}

func noCallable(v any) error {
	switch v := v.(type) {
	case *callable:
		return errCallableCoerce
	case *array:
		for _, item := range v.items {
			if err := noCallable(item); err != nil {
				return err
			}
		}
	case *Object:
		for _, k := range v.keys {
			if err := noCallable(v.vals[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// lowerFilterArgs applies nunjucks' keyword convention: int and sort take
// keywords by parameter name; any other filter gets them as one trailing
// record marked __keywords.
func lowerFilterArgs(name string, args []any, kwargs *Object) []any {
	var names []string
	switch name {
	case "int":
		names = []string{"default", "base"}
	case "sort":
		names = []string{"reverse", "case_sensitive", "attribute"}
	}
	if names != nil {
		if len(args) > len(names) {
			return args[:len(names)]
		}
		for i := len(args); i < len(names); i++ {
			v := any(Undefined)
			if kwargs != nil {
				v = kwargs.get(names[i])
			}
			args = append(args, v)
		}
		return args
	}
	if kwargs == nil {
		return args
	}
	rec := NewObject()
	for _, k := range kwargs.keys {
		rec.Set(k, kwargs.vals[k])
	}
	rec.Set("__keywords", true)
	return append(args, rec)
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return Undefined
}

func copySafeness(input any, s string) any {
	if _, ok := input.(*safeString); ok {
		return &safeString{s}
	}
	return s
}

var errNotString = errors.New("filter input must be a string")

func text(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case *safeString:
		return v.s, nil
	}
	return "", errNotString
}

func normalizeText(v any) any {
	if isNullish(v) || v == false {
		return ""
	}
	return v
}

func normalizedText(v any) (string, error) { return text(normalizeText(v)) }

func repeatSpaces(bound float64) (string, error) {
	if math.IsNaN(bound) || bound <= 0 {
		return "", nil
	}
	if math.IsInf(bound, 0) || bound > maxRepeatedSpaces {
		return "", errors.New("filter spacing exceeds the supported bound")
	}
	return strings.Repeat(" ", int(math.Ceil(bound))), nil
}

func directLength(v any) any {
	switch v := v.(type) {
	case string:
		return float64(strLen(v))
	case *safeString:
		return float64(strLen(v.s))
	case *array:
		return float64(len(v.items))
	case *Object:
		return v.get("length")
	}
	return Undefined
}

func sequenceValues(v any) ([]any, bool) {
	switch v := v.(type) {
	case *array:
		return slices.Clone(v.items), true
	case string, *safeString:
		t, _ := text(v)
		units := strUnits(t)
		out := make([]any, len(units))
		for i, u := range units {
			out[i] = u
		}
		return out, true
	}
	return nil, false
}

// recordValues reads an array-like record's values 0..length-1.
func (ev *evaluator) recordValues(o *Object, checkLength bool) ([]any, error) {
	length := o.get("length")
	if f, ok := length.(float64); ok && checkLength && !math.IsNaN(f) {
		if f != math.Trunc(f) || f < 0 || f > math.MaxUint32 {
			return nil, errors.New("invalid array-like record length")
		}
	}
	n, err := toNumber(length)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(n) || n <= 0 {
		return nil, nil
	}
	n = math.Ceil(n)
	var out []any
	for i := 0.0; i < n; i++ {
		if err := ev.charge(); err != nil {
			return nil, err
		}
		out = append(out, o.get(jsnum.Format(i)))
	}
	return out, nil
}

func (ev *evaluator) applyFilter(name string, input any, args []any) (any, error) {
	switch name {
	case "abs":
		f, err := toNumber(input)
		return math.Abs(f), err
	case "batch":
		return ev.batch(input, args)
	case "capitalize":
		t, err := normalizedText(input)
		if err != nil {
			return nil, err
		}
		return copySafeness(input, upperFirst(jsLower(t))), nil
	case "center":
		return center(input, args)
	case "default", "d":
		if truthy(arg(args, 1)) {
			if truthy(input) {
				return input, nil
			}
			return arg(args, 0), nil
		}
		if input == Undefined {
			return arg(args, 0), nil
		}
		return input, nil
	case "dictsort":
		return dictsort(input, args)
	case "dump":
		s, ok := jsonStringify(input, jsonIndent(arg(args, 0)))
		if !ok {
			return Undefined, nil
		}
		return s, nil
	case "escape", "e":
		if s, ok := input.(*safeString); ok {
			return s, nil
		}
		s, err := render(input)
		return &safeString{htmlEscaper.Replace(s)}, err
	case "forceescape":
		s, err := render(input)
		return &safeString{htmlEscaper.Replace(s)}, err
	case "safe":
		if s, ok := input.(*safeString); ok {
			return s, nil
		}
		s, err := render(input)
		return &safeString{s}, err
	case "first", "last":
		return edge(input, name == "last")
	case "float":
		s, err := toString(input)
		if err != nil {
			return nil, err
		}
		if f := jsnum.ParseFloat(s); !math.IsNaN(f) {
			return f, nil
		}
		return arg(args, 0), nil
	case "int":
		return intFilter(input, args)
	case "reverse":
		return ev.reverse(input)
	case "groupby":
		return ev.groupby(input, arg(args, 0))
	case "join":
		return ev.join(input, args)
	case "sum":
		return ev.sum(input, args)
	case "sort":
		return ev.sortFilter(input, args)
	case "selectattr", "rejectattr":
		return selectAttr(input, arg(args, 0), name == "selectattr")
	case "select", "reject":
		return ev.selectFilter(input, args, name == "select")
	case "indent":
		return indent(input, args)
	case "length":
		switch v := input.(type) {
		case *array:
			return float64(len(v.items)), nil
		case *Object:
			return float64(v.Len()), nil
		case string, *safeString:
			return directLength(v), nil
		}
		if isNullish(input) || input == false {
			return 0.0, nil
		}
		return Undefined, nil
	case "list":
		return list(input)
	case "lower", "upper":
		t, err := normalizedText(input)
		if err != nil {
			return nil, err
		}
		if name == "lower" {
			return jsLower(t), nil
		}
		return jsUpper(t), nil
	case "nl2br":
		t := ""
		if !isNullish(input) {
			var err error
			if t, err = text(input); err != nil {
				return nil, err
			}
		}
		return copySafeness(input, lineBreakPattern().ReplaceAllLiteralString(t, "<br />\n")), nil
	case "random":
		return random(input)
	case "replace":
		return ev.replace(input, args)
	case "round":
		return round(input, args)
	case "slice":
		return sliceFilter(input, args)
	case "string":
		if isNullish(input) {
			return nil, errors.New("string requires a value")
		}
		if s, ok := input.(*safeString); ok {
			return s, nil
		}
		s, err := render(input)
		return copySafeness(input, s), err
	case "striptags":
		return striptags(input, args)
	case "title":
		t, err := normalizedText(input)
		if err != nil {
			return nil, err
		}
		words := strings.Split(t, " ")
		for i, w := range words {
			words[i] = upperFirst(jsLower(w))
		}
		return copySafeness(input, strings.Join(words, " ")), nil
	case "trim":
		t, err := text(input)
		if err != nil {
			return nil, err
		}
		return copySafeness(input, jsnum.Trim(t)), nil
	case "truncate":
		return truncate(input, args)
	case "urlencode":
		return urlencode(input)
	case "urlize":
		return urlize(input, args)
	case "wordcount":
		v := normalizeText(input)
		if !truthy(v) {
			return nil, nil
		}
		t, err := text(v)
		if err != nil {
			return nil, err
		}
		if n := len(wordPattern().FindAllStringIndex(t, -1)); n > 0 {
			return float64(n), nil
		}
		return nil, nil
	}
	return nil, fmt.Errorf("unknown filter %q", name)
}

// upperFirst upper-cases the first UTF-16 code unit, which leaves a
// character outside the Basic Multilingual Plane unchanged.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || r >= 0x10000 {
		return s
	}
	return jsUpper(s[:size]) + s[size:]
}

func (ev *evaluator) batch(input any, args []any) (any, error) {
	if isNullish(input) {
		return nil, errors.New("batch requires a sequence")
	}
	w, err := toNumber(arg(args, 0))
	if err != nil {
		return nil, err
	}
	w = math.Trunc(w)
	if math.IsNaN(w) || w <= 0 || w > 1<<53 {
		return nil, errors.New("batch size must be a positive integer")
	}
	var values []any
	if o, ok := input.(*Object); ok {
		if values, err = ev.recordValues(o, false); err != nil {
			return nil, err
		}
	} else if values, ok = sequenceValues(input); !ok {
		return newArray(nil), nil
	}
	width := int(min(w, float64(len(values)+1)))
	fill := arg(args, 1)
	var out []any
	var row []any
	for _, v := range values {
		row = append(row, v)
		if len(row) == width {
			out = append(out, newArray(row))
			row = nil
		}
	}
	if len(row) > 0 {
		if truthy(fill) {
			for len(row) < int(w) {
				if err := ev.charge(); err != nil {
					return nil, err
				}
				row = append(row, fill)
			}
		}
		out = append(out, newArray(row))
	}
	return newArray(out), nil
}

func center(input any, args []any) (any, error) {
	normalized := normalizeText(input)
	width := arg(args, 0)
	if !truthy(width) {
		width = 80.0
	}
	length := directLength(normalized)
	if o, err := order(length, width); err != nil {
		return nil, err
	} else if o >= 0 {
		return normalized, nil
	}
	w, err := toNumber(width)
	if err != nil {
		return nil, err
	}
	l, _ := toNumber(length)
	spaces := w - l
	t, err := toString(normalized)
	if err != nil {
		return nil, err
	}
	pre, err := repeatSpaces(spaces/2 - math.Mod(spaces, 2))
	if err != nil {
		return nil, err
	}
	post, err := repeatSpaces(spaces / 2)
	if err != nil {
		return nil, err
	}
	return copySafeness(normalized, pre+t+post), nil
}

func dictsort(input any, args []any) (any, error) {
	o, ok := input.(*Object)
	if !ok {
		return nil, errors.New("dictsort requires a record")
	}
	caseSensitive := truthy(arg(args, 0))
	by := arg(args, 1)
	if by != Undefined && by != "key" && by != "value" {
		return nil, errors.New("dictsort can only sort by key or value")
	}
	type entry struct {
		key   string
		value any
	}
	entries := make([]entry, 0, o.Len())
	for _, k := range o.keys {
		entries = append(entries, entry{k, o.vals[k]})
	}
	norm := func(v any) any {
		if caseSensitive {
			return v
		}
		if t, err := text(v); err == nil {
			return jsUpper(t)
		}
		return v
	}
	var sortErr error
	slices.SortStableFunc(entries, func(a, b entry) int {
		var l, r any = a.key, b.key
		if by == "value" {
			l, r = a.value, b.value
		}
		l, r = norm(l), norm(r)
		o, err := order(l, r)
		if err != nil {
			sortErr = err
		}
		if o > 0 {
			return 1
		}
		if strictEqual(l, r) {
			return 0
		}
		return -1
	})
	if sortErr != nil {
		return nil, sortErr
	}
	out := make([]any, len(entries))
	for i, e := range entries {
		out[i] = newArray([]any{e.key, e.value})
	}
	return newArray(out), nil
}

// jsonIndent is JSON.stringify's space argument as dump passes it.
func jsonIndent(v any) string {
	switch v := v.(type) {
	case string:
		if strLen(v) > 10 {
			return strSlice(v, 0, 10)
		}
		return v
	case float64:
		if math.IsNaN(v) || v < 1 {
			return ""
		}
		return strings.Repeat(" ", int(min(10, math.Trunc(v))))
	}
	return ""
}

func edge(input any, last bool) (any, error) {
	switch v := input.(type) {
	case nil, UndefinedType:
		if last {
			return nil, errors.New("last requires a sequence")
		}
		return nil, errors.New("first requires a sequence")
	case *array:
		if len(v.items) == 0 {
			return Undefined, nil
		}
		if last {
			return v.items[len(v.items)-1], nil
		}
		return v.items[0], nil
	case string, *safeString:
		t, _ := text(v)
		i := 0
		if last {
			i = strLen(t) - 1
		}
		if s, ok := strAt(t, i); ok {
			return s, nil
		}
		return Undefined, nil
	case *Object:
		if !last {
			return v.get("0"), nil
		}
		n, err := toNumber(v.get("length"))
		if err != nil {
			return nil, err
		}
		return v.get(jsnum.Format(n - 1)), nil
	}
	return Undefined, nil
}

func intFilter(input any, args []any) (any, error) {
	fallback, baseValue := arg(args, 0), arg(args, 1)
	radix := 10
	if baseValue != Undefined {
		b, err := toNumber(baseValue)
		if err != nil {
			return nil, err
		}
		radix = int(int32(toUint32(b)))
	}
	s, err := toString(input)
	if err != nil {
		return nil, err
	}
	if f := jsnum.ParseInt(s, radix); !math.IsNaN(f) {
		return f, nil
	}
	return fallback, nil
}

func (ev *evaluator) reverse(input any) (any, error) {
	switch v := input.(type) {
	case string, *safeString:
		t, _ := text(v)
		u := units(t)
		slices.Reverse(u)
		return copySafeness(input, fromUnits(u)), nil
	case *array:
		items := slices.Clone(v.items)
		slices.Reverse(items)
		return newArray(items), nil
	case *Object:
		items, err := ev.recordValues(v, true)
		if err != nil {
			return nil, err
		}
		slices.Reverse(items)
		return newArray(items), nil
	}
	return newArray(nil), nil
}

// attrPath is the attribute argument of sort and groupby: a dotted path.
func attrPath(v any) ([]string, error) {
	if !truthy(v) {
		return nil, nil
	}
	var path []string
	if s, ok := v.(string); ok {
		path = strings.Split(s, ".")
	} else {
		k, err := toString(v)
		if err != nil {
			return nil, err
		}
		path = []string{k}
	}
	for _, seg := range path {
		if isReservedName(seg) {
			return nil, fmt.Errorf("template attribute %s is reserved", seg)
		}
	}
	return path, nil
}

var errNullishAttribute = errors.New("cannot read a template attribute from a nullish value")

func lookupAttr(v any, key string) (any, error) {
	if isNullish(v) {
		return nil, errNullishAttribute
	}
	own, _ := readOwn(v, key)
	return own, nil
}

func lookupPath(v any, path []string) (any, error) {
	for _, seg := range path {
		if isNullish(v) {
			return nil, errNullishAttribute
		}
		own, ok := readOwn(v, seg)
		if !ok {
			return Undefined, nil
		}
		v = own
	}
	return v, nil
}

func (ev *evaluator) groupby(input, attribute any) (any, error) {
	if isNullish(input) {
		return nil, errors.New("groupby requires a sequence")
	}
	var values []any
	var err error
	if o, ok := input.(*Object); ok {
		if values, err = ev.recordValues(o, false); err != nil {
			return nil, err
		}
	} else if values, ok = sequenceValues(input); !ok {
		return NewObject(), nil
	}
	path, err := attrPath(attribute)
	if err != nil {
		return nil, err
	}
	groups := NewObject()
	for _, v := range values {
		key, err := lookupPath(v, path)
		if err != nil {
			return nil, err
		}
		k, err := toString(key)
		if err != nil {
			return nil, err
		}
		if isReservedName(k) {
			return nil, fmt.Errorf("template record key %s is reserved", k)
		}
		g, ok := groups.Get(k)
		if !ok {
			g = newArray(nil)
			groups.Set(k, g)
		}
		g.(*array).items = append(g.(*array).items, v)
	}
	return groups, nil
}

func attrKey(v any) (string, error) {
	k, err := toString(v)
	if err != nil {
		return "", err
	}
	if isReservedName(k) {
		return "", fmt.Errorf("template attribute %s is reserved", k)
	}
	return k, nil
}

// project reads one attribute of every item, for join and sum.
func (ev *evaluator) project(input any, attr string) ([]any, error) {
	var items []any
	switch v := input.(type) {
	case *array:
		items = v.items
	case string:
		items, _ = sequenceValues(v)
	case *Object:
		var err error
		if items, err = ev.recordValues(v, true); err != nil {
			return nil, err
		}
	case *safeString:
		if v.s != "" {
			return nil, errNullishAttribute
		}
	}
	out := make([]any, len(items))
	for i, item := range items {
		v, err := lookupAttr(item, attr)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (ev *evaluator) join(input any, args []any) (any, error) {
	sep := ""
	if s := arg(args, 0); truthy(s) {
		var err error
		if sep, err = toString(s); err != nil {
			return nil, err
		}
	}
	var items []any
	if a := arg(args, 1); truthy(a) {
		attr, err := attrKey(a)
		if err != nil {
			return nil, err
		}
		if items, err = ev.project(input, attr); err != nil {
			return nil, err
		}
	} else {
		arr, ok := input.(*array)
		if !ok {
			return nil, errors.New("join requires an array")
		}
		items = arr.items
	}
	parts := make([]string, len(items))
	for i, item := range items {
		if isNullish(item) {
			continue
		}
		s, err := toString(item)
		if err != nil {
			return nil, err
		}
		parts[i] = s
	}
	return strings.Join(parts, sep), nil
}

func (ev *evaluator) sum(input any, args []any) (any, error) {
	var items []any
	if a := arg(args, 0); truthy(a) {
		attr, err := attrKey(a)
		if err != nil {
			return nil, err
		}
		if items, err = ev.project(input, attr); err != nil {
			return nil, err
		}
	} else {
		arr, ok := input.(*array)
		if !ok {
			return nil, errors.New("sum requires an array")
		}
		items = arr.items
	}
	var total any = 0.0
	for _, item := range items {
		var err error
		if total, err = add(total, item); err != nil {
			return nil, err
		}
	}
	start := arg(args, 1)
	if start == Undefined {
		start = 0.0
	}
	return add(start, total)
}

func (ev *evaluator) sortFilter(input any, args []any) (any, error) {
	var values []any
	var err error
	if o, ok := input.(*Object); ok {
		if values, err = ev.recordValues(o, true); err != nil {
			return nil, err
		}
	} else if values, ok = sequenceValues(input); !ok {
		return newArray(nil), nil
	}
	reverse, caseSensitive := truthy(arg(args, 0)), truthy(arg(args, 1))
	path, err := attrPath(arg(args, 2))
	if err != nil {
		return nil, err
	}
	var sortErr error
	cmp := func(a, b any) int {
		l, err := lookupPath(a, path)
		if err != nil {
			sortErr = err
			return 0
		}
		r, err := lookupPath(b, path)
		if err != nil {
			sortErr = err
			return 0
		}
		if !caseSensitive {
			lt, lerr := text(l)
			rt, rerr := text(r)
			if lerr == nil && rerr == nil {
				l, r = jsLower(lt), jsLower(rt)
			}
		}
		o, err := order(l, r)
		if err != nil {
			sortErr = err
		}
		switch {
		case o < 0 && reverse, o > 0 && !reverse:
			return 1
		case o < 0, o > 0:
			return -1
		}
		return 0
	}
	return newArray(jsSort(values, cmp)), sortErr
}

// jsSort is Array.prototype.sort: undefined items go last without being
// compared, the rest sort stably.
func jsSort(values []any, cmp func(a, b any) int) []any {
	defined := make([]any, 0, len(values))
	undefined := 0
	for _, v := range values {
		if v == Undefined {
			undefined++
		} else {
			defined = append(defined, v)
		}
	}
	slices.SortStableFunc(defined, cmp)
	for range undefined {
		defined = append(defined, Undefined)
	}
	return defined
}

func selectAttr(input, attribute any, keep bool) (any, error) {
	arr, ok := input.(*array)
	if !ok {
		if keep {
			return nil, errors.New("selectattr requires an array")
		}
		return nil, errors.New("rejectattr requires an array")
	}
	attr, err := attrKey(attribute)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, item := range arr.items {
		v, err := lookupAttr(item, attr)
		if err != nil {
			return nil, err
		}
		if truthy(v) == keep {
			out = append(out, item)
		}
	}
	return newArray(out), nil
}

func (ev *evaluator) selectFilter(input any, args []any, keep bool) (any, error) {
	name := "truthy"
	if t := arg(args, 0); t != Undefined {
		var err error
		if name, err = toString(t); err != nil {
			return nil, err
		}
	}
	if _, ok := testArity[name]; !ok {
		return nil, fmt.Errorf("unknown template test %s", name)
	}
	if isNullish(input) {
		if keep {
			return nil, errors.New("select requires a sequence")
		}
		return nil, errors.New("reject requires a sequence")
	}
	var values []any
	if o, ok := input.(*Object); ok {
		n, err := toNumber(o.get("length"))
		if err != nil {
			return nil, err
		}
		for i := 0.0; i < n && i < 1<<53; i++ {
			if err := ev.charge(); err != nil {
				return nil, err
			}
			if v, ok := o.Get(jsnum.Format(i)); ok {
				values = append(values, v)
			}
		}
	} else if values, ok = sequenceValues(input); !ok {
		return newArray(nil), nil
	}
	testArgs := args[min(1, len(args)):]
	if err := checkTestArity(name, len(testArgs)); err != nil {
		return nil, err
	}
	var out []any
	for _, v := range values {
		ok, err := applyTest(name, v, testArgs)
		if err != nil {
			return nil, err
		}
		if ok == keep {
			out = append(out, v)
		}
	}
	return newArray(out), nil
}

func indent(input any, args []any) (any, error) {
	normalized := normalizeText(input)
	t, err := text(normalized)
	if err != nil {
		return nil, err
	}
	if normalized == "" {
		return "", nil
	}
	width := arg(args, 0)
	if !truthy(width) {
		width = 4.0
	}
	w, err := toNumber(width)
	if err != nil {
		return nil, err
	}
	pad, err := repeatSpaces(w)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(t, "\n")
	first := 1
	if truthy(arg(args, 1)) {
		first = 0
	}
	for i := first; i < len(lines); i++ {
		lines[i] = pad + lines[i]
	}
	return copySafeness(normalized, strings.Join(lines, "\n")), nil
}

func list(input any) (any, error) {
	switch v := input.(type) {
	case *array:
		return v, nil
	case string, *safeString:
		items, _ := sequenceValues(v)
		return newArray(items), nil
	case *Object:
		out := make([]any, 0, v.Len())
		for _, k := range v.keys {
			rec := NewObject()
			rec.Set("key", k)
			rec.Set("value", v.vals[k])
			out = append(out, rec)
		}
		return newArray(out), nil
	}
	return nil, errors.New("list requires an iterable value")
}

func random(input any) (any, error) {
	if isNullish(input) {
		return nil, errors.New("random requires a sequence")
	}
	if o, ok := input.(*Object); ok {
		n, err := toNumber(o.get("length"))
		if err != nil {
			return nil, err
		}
		if n >= 1 && n == math.Trunc(n) && n < 1<<53 {
			return o.get(jsnum.Format(float64(rand.Int64N(int64(n))))), nil
		}
		return o.get(jsnum.Format(math.Floor(rand.Float64() * n))), nil
	}
	values, ok := sequenceValues(input)
	if !ok || len(values) == 0 {
		return Undefined, nil
	}
	return values[rand.IntN(len(values))], nil
}

func (ev *evaluator) replace(input any, args []any) (any, error) {
	search, replacement, maxValue := arg(args, 0), arg(args, 1), arg(args, 2)
	if maxValue == Undefined {
		maxValue = -1.0
	}
	if r, ok := search.(*regex); ok {
		if ev.env.opts.DisallowRegex {
			return nil, errors.New("regular-expression replacement is disabled")
		}
		t, err := text(input)
		if err != nil {
			return nil, errors.New("regular-expression replacement requires a string")
		}
		repl, err := toString(replacement)
		if err != nil {
			return nil, err
		}
		return jsReplace(t, r, repl), nil
	}
	switch search.(type) {
	case string, float64:
	default:
		return input, nil
	}
	coerced := input
	if f, ok := coerced.(float64); ok {
		coerced = jsnum.Format(f)
	}
	t, err := text(coerced)
	if err != nil {
		return coerced, nil
	}
	needle, _ := toString(search)
	repl, err := toString(replacement)
	if err != nil {
		return nil, err
	}
	if needle == "" {
		sep := repl
		if replacement == Undefined {
			sep = ","
		}
		return copySafeness(coerced, repl+strings.Join(strUnits(t), sep)+repl), nil
	}
	if maxValue == 0.0 || !strings.Contains(t, needle) {
		return coerced, nil
	}
	if maxValue == -1.0 {
		return copySafeness(input, strings.ReplaceAll(t, needle, repl)), nil
	}
	limit, err := toNumber(maxValue)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	rest := t
	for count := 0.0; count < limit; count++ {
		i := strings.Index(rest, needle)
		if i < 0 {
			break
		}
		b.WriteString(rest[:i])
		b.WriteString(repl)
		rest = rest[i+len(needle):]
	}
	b.WriteString(rest)
	return copySafeness(input, b.String()), nil
}

func round(input any, args []any) (any, error) {
	precision := arg(args, 0)
	if !truthy(precision) {
		precision = 0.0
	}
	p, err := toNumber(precision)
	if err != nil {
		return nil, err
	}
	factor := jsPow(10, p)
	rounder := jsRound
	switch arg(args, 1) {
	case "ceil":
		rounder = math.Ceil
	case "floor":
		rounder = math.Floor
	}
	x, err := toNumber(input)
	if err != nil {
		return nil, err
	}
	return rounder(x*factor) / factor, nil
}

func sliceFilter(input any, args []any) (any, error) {
	values, ok := sequenceValues(input)
	if !ok {
		return nil, errors.New("slice requires a sequence")
	}
	c, err := toNumber(arg(args, 0))
	if err != nil {
		return nil, err
	}
	c = math.Trunc(c)
	if math.IsNaN(c) || c <= 0 || c > 1<<53 {
		return nil, errors.New("slice count must be a positive integer")
	}
	if c > maxWork {
		return nil, &limitError{fmt.Sprintf("slice count exceeds the work unit limit of %d", maxWork)}
	}
	count := int(c)
	base, extra := len(values)/count, len(values)%count
	fill := arg(args, 1)
	_, isArray := input.(*array)
	t, _ := text(input)
	out := make([]any, 0, count)
	offset := 0
	for i := range count {
		n := base
		if i < extra {
			n++
		}
		if !isArray {
			if truthy(fill) && i >= extra {
				return nil, errors.New("slice cannot append a fill value to a string")
			}
			out = append(out, strSlice(t, offset, offset+n))
		} else {
			part := slices.Clone(values[offset : offset+n])
			if truthy(fill) && i >= extra {
				part = append(part, fill)
			}
			out = append(out, newArray(part))
		}
		offset += n
	}
	return newArray(out), nil
}

func striptags(input any, args []any) (any, error) {
	t, err := normalizedText(input)
	if err != nil {
		return nil, err
	}
	for pass := 0; ; pass++ {
		next := htmlTagPattern().ReplaceAllLiteralString(t, "")
		if next == t {
			break
		}
		if pass == 8 {
			return nil, errors.New("striptags input contains excessively nested markup")
		}
		t = next
	}
	t = jsnum.Trim(t)
	if truthy(arg(args, 0)) {
		t = lineEdgeSpacesPattern().ReplaceAllLiteralString(t, "")
		t = repeatedSpaces().ReplaceAllLiteralString(t, " ")
		t = strings.ReplaceAll(t, "\r\n", "\n")
		t = excessBlankLines().ReplaceAllLiteralString(t, "\n\n")
	} else {
		t = repeatedWhitespace().ReplaceAllLiteralString(t, " ")
	}
	return copySafeness(input, t), nil
}

func truncate(input any, args []any) (any, error) {
	normalized := normalizeText(input)
	length := arg(args, 0)
	if !truthy(length) {
		length = 255.0
	}
	if o, err := order(directLength(normalized), length); err != nil {
		return nil, err
	} else if o <= 0 {
		return normalized, nil
	}
	t, err := text(normalized)
	if err != nil {
		return nil, err
	}
	l, err := toNumber(length)
	if err != nil {
		return nil, err
	}
	n := strLen(t)
	var cut string
	if truthy(arg(args, 1)) {
		cut = strSlice(t, 0, clampIndex(l, n))
	} else {
		i := strLastIndexOf(t, " ", clampIndex(l, n))
		if i < 0 {
			cut = strSlice(t, 0, clampIndex(l, n))
		} else {
			cut = strSlice(t, 0, i)
		}
	}
	end := "..."
	if e := arg(args, 2); !isNullish(e) {
		if end, err = toString(e); err != nil {
			return nil, err
		}
	}
	return copySafeness(input, cut+end), nil
}

// encodeURIComponent escapes all but A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isIdentPart(c) && c != '_' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func urlencode(input any) (any, error) {
	pair := func(k, v any) (string, error) {
		ks, err := toString(k)
		if err != nil {
			return "", err
		}
		vs, err := toString(v)
		if err != nil {
			return "", err
		}
		return encodeURIComponent(ks) + "=" + encodeURIComponent(vs), nil
	}
	var parts []string
	switch v := input.(type) {
	case string, *safeString:
		t, _ := text(v)
		return encodeURIComponent(t), nil
	case *Object:
		for _, k := range v.keys {
			p, err := pair(k, v.vals[k])
			if err != nil {
				return nil, err
			}
			parts = append(parts, p)
		}
	case *array:
		for _, item := range v.items {
			var k, val any = Undefined, Undefined
			switch e := item.(type) {
			case nil, UndefinedType:
				return nil, errors.New("urlencode sequence entries cannot be nullish")
			case *array:
				k, val = arg(e.items, 0), arg(e.items, 1)
			case *Object:
				k, val = e.get("0"), e.get("1")
			case string, *safeString:
				t, _ := text(e)
				if s, ok := strAt(t, 0); ok {
					k = s
				}
				if s, ok := strAt(t, 1); ok {
					val = s
				}
			}
			p, err := pair(k, val)
			if err != nil {
				return nil, err
			}
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "&"), nil
}

func urlize(input any, args []any) (any, error) {
	limit := math.Inf(1)
	if l := arg(args, 0); l != Undefined {
		f, err := toNumber(l)
		if err != nil {
			return nil, err
		}
		switch {
		case math.IsNaN(f) || f <= 0:
			limit = 0
		case !math.IsInf(f, 0):
			limit = math.Trunc(f)
		}
	}
	nofollow := ""
	if arg(args, 1) == true {
		nofollow = ` rel="nofollow"`
	}
	t, err := text(input)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	last := 0
	words := []string{}
	for _, m := range urlizeSeparator().FindAllStringIndex(t, -1) {
		words = append(words, t[last:m[0]], t[m[0]:m[1]])
		last = m[1]
	}
	words = append(words, t[last:])
	for _, word := range words {
		if word == "" {
			continue
		}
		possible := word
		if m := urlizePunctuation().FindStringSubmatch(word); m != nil {
			possible = m[1]
		}
		short := possible
		if n := strLen(possible); float64(n) > limit {
			short = strSlice(possible, 0, int(limit))
		}
		switch {
		case strings.HasPrefix(possible, "http://") || strings.HasPrefix(possible, "https://"):
			fmt.Fprintf(&b, `<a href="%s"%s>%s</a>`, possible, nofollow, short)
		case strings.HasPrefix(possible, "www."):
			fmt.Fprintf(&b, `<a href="http://%s"%s>%s</a>`, possible, nofollow, short)
		case emailAddressPattern().MatchString(possible):
			fmt.Fprintf(&b, `<a href="mailto:%s">%s</a>`, possible, possible)
		case commonDomainPattern().MatchString(possible):
			fmt.Fprintf(&b, `<a href="http://%s"%s>%s</a>`, possible, nofollow, short)
		default:
			b.WriteString(word)
		}
	}
	return b.String(), nil
}

// BuiltinFilters are the names of nunjucks' own filters, for listing them.
func BuiltinFilters() []string { return slices.Clone(builtinFilterNames) }
