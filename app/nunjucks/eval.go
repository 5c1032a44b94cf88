package nunjucks

import (
	"context"
	"errors"
	"fmt"
	"github.com/callboard/callboard/app/jsnum"
	"math"
	"strings"
)

// output collects rendered text. For RenderValue's JSON coercion it also
// collects each expression's value as `dump` would write it.
type output struct {
	b    strings.Builder
	json *strings.Builder
}

// evaluator runs one render.
type evaluator struct {
	env    *Env
	ctx    context.Context
	name   string
	root   *scope
	export *scope
	work   int
	bytes  int
	depth  int
}

// posError attaches the position of the innermost node that failed.
type posError struct {
	at  pos
	err error
}

func (e *posError) Error() string { return e.err.Error() }
func (e *posError) Unwrap() error { return e.err }

func at(n node, err error) error {
	var pe *posError
	if errors.As(err, &pe) {
		return err
	}
	return &posError{n.position(), err}
}

func (env *Env) newEvaluator(ctx context.Context, name string, data map[string]any) (*evaluator, error) {
	context := newScope(nil, false)
	for k, v := range data {
		if isReservedName(k) {
			return nil, &Error{Name: name, Line: 1, Column: 1, Msg: fmt.Sprintf("template record key %s is reserved", k)}
		}
		c, err := fromGo(v, 1)
		if err != nil {
			return nil, &Error{Name: name, Line: 1, Column: 1, Msg: fmt.Sprintf("data %q: %v", k, err)}
		}
		context.define(k, c, false)
	}
	export := newScope(context, true)
	return &evaluator{env: env, ctx: ctx, name: name, export: export, root: newScope(export, true)}, nil
}

// run renders body at the template's top level and converts failures to *Error.
func (ev *evaluator) run(body []node, out *output) error {
	err := ev.exec(body, ev.root, out, topFrame)
	if err == nil {
		return nil
	}
	e := &Error{Name: ev.name, Line: 1, Column: 1, Msg: err.Error()}
	var pe *posError
	if errors.As(err, &pe) {
		e.Line, e.Column = pe.at.line+1, pe.at.col+1
	}
	var le *limitError
	var he *hostError
	switch {
	case errors.As(err, &le):
		e.Err = ErrLimit
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		e.Err = ev.ctx.Err()
	case errors.As(err, &he):
		e.Err = he.err
	}
	return e
}

// charge counts one unit of work against nunjitsu's budget and checks the
// context now and then.
func (ev *evaluator) charge() error {
	ev.work++
	if ev.work > maxWork {
		return &limitError{fmt.Sprintf("template evaluation exceeded the work unit limit of %d", maxWork)}
	}
	if ev.work&1023 == 0 {
		if err := ev.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (ev *evaluator) chargeOutput(n int) error {
	ev.bytes += n
	if ev.bytes > ev.env.opts.MaxOutput {
		return &limitError{fmt.Sprintf("template output exceeds the limit of %d bytes", ev.env.opts.MaxOutput)}
	}
	return nil
}

// checkSize bounds the strings a template builds (by `~`, `+`, filters and
// methods) by MaxOutput, so that doubling a string in a loop fails instead of
// exhausting memory.
func (ev *evaluator) checkSize(v any) error {
	n := 0
	switch v := v.(type) {
	case int:
		n = v
	case string:
		n = len(v)
	case *safeString:
		n = len(v.s)
	}
	if n > ev.env.opts.MaxOutput {
		return &limitError{fmt.Sprintf("template value exceeds the limit of %d bytes", ev.env.opts.MaxOutput)}
	}
	return nil
}

func (ev *evaluator) write(out *output, text, encoded string) error {
	if err := ev.chargeOutput(len(text)); err != nil {
		return err
	}
	out.b.WriteString(text)
	if out.json != nil {
		if err := ev.chargeOutput(len(encoded)); err != nil {
			return err
		}
		out.json.WriteString(encoded)
	}
	return nil
}

// frame says where statements run: at the template's top level assignments
// and macros are also exported to the scope macros read; in blocks and
// macro bodies only macros are; in loops and callers neither.
type frame struct{ exportsSets, exportsMacros bool }

var (
	topFrame   = frame{true, true}
	loopFrame  = frame{}
	macroFrame = frame{exportsMacros: true}
)

// exec runs statements.
func (ev *evaluator) exec(body []node, sc *scope, out *output, fr frame) error {
	ev.depth++
	defer func() { ev.depth-- }()
	if ev.depth > maxNesting {
		return &limitError{fmt.Sprintf("template evaluation exceeded the nesting depth limit of %d", maxNesting)}
	}
	for _, n := range body {
		if err := ev.charge(); err != nil {
			return at(n, err)
		}
		if err := ev.stmt(n, sc, out, fr); err != nil {
			return at(n, err)
		}
	}
	return nil
}

func (ev *evaluator) stmt(n node, sc *scope, out *output, fr frame) error {
	switch n := n.(type) {
	case *textNode:
		return ev.write(out, n.text, n.text)
	case *outputNode:
		v, err := ev.expr(n.expr, sc)
		if err != nil {
			return err
		}
		text, err := render(v)
		if err != nil {
			return err
		}
		encoded := text
		if out.json != nil {
			encoded, _ = jsonStringify(v, "")
		}
		return ev.write(out, text, encoded)
	case *ifNode:
		cond, err := ev.expr(n.cond, sc)
		if err != nil {
			return err
		}
		if truthy(cond) {
			return ev.exec(n.body, sc, out, fr)
		}
		return ev.exec(n.else_, sc, out, fr)
	case *forNode:
		return ev.forLoop(n, sc, out)
	case *setNode:
		return ev.set(n, sc, fr)
	case *switchNode:
		return ev.switchStmt(n, sc, out, fr)
	case *blockNode:
		return ev.exec(n.body, newScope(sc, true), out, macroFrame)
	case *macroNode:
		m := ev.macro(n, ev.export)
		sc.define(n.name, m, true)
		if fr.exportsMacros {
			ev.export.setLocal(n.name, m)
		}
		return nil
	case *callBlockNode:
		return ev.callBlock(n, sc, out)
	}
	return fmt.Errorf("unexpected statement %T", n)
}

func (ev *evaluator) set(n *setNode, sc *scope, fr frame) error {
	var v any
	if n.value != nil {
		var err error
		if v, err = ev.expr(n.value, sc); err != nil {
			return err
		}
	} else {
		captured := &output{}
		if err := ev.exec(n.body, sc, captured, fr); err != nil {
			return err
		}
		v = captured.b.String()
	}
	for _, name := range n.targets {
		if err := sc.assign(name, v); err != nil {
			return err
		}
		if fr.exportsSets {
			ev.export.setLocal(name, v)
		}
	}
	return nil
}

func (ev *evaluator) switchStmt(n *switchNode, sc *scope, out *output, fr frame) error {
	v, err := ev.expr(n.expr, sc)
	if err != nil {
		return err
	}
	matched := false
	for _, c := range n.cases {
		if !matched {
			cond, err := ev.expr(c.cond, sc)
			if err != nil {
				return err
			}
			matched = strictEqual(v, cond)
		}
		if matched {
			if len(c.body) == 0 {
				continue
			}
			return ev.exec(c.body, sc, out, fr)
		}
	}
	return ev.exec(n.default_, sc, out, fr)
}

// forLoop iterates as nunjitsu does: arrays, strings (by UTF-16 code unit)
// and array-like records with one target; records as key, value pairs with
// two.
func (ev *evaluator) forLoop(n *forNode, sc *scope, out *output) error {
	v, err := ev.expr(n.iter, sc)
	if err != nil {
		return err
	}
	loop := newScope(sc, false)
	arrayBranch := false
	var length any = Undefined
	var next func(i int) (any, bool, error)
	switch x := v.(type) {
	case *array:
		arrayBranch = true
		length = float64(len(x.items))
		next = func(i int) (any, bool, error) {
			if i < len(x.items) {
				return x.items[i], true, nil
			}
			return nil, false, nil
		}
	case *safeString:
		arrayBranch = true
		u := strUnits(x.s)
		length = float64(len(u))
		next = func(i int) (any, bool, error) {
			if i < len(u) {
				return u[i], true, nil
			}
			return nil, false, nil
		}
	case *Object:
		if len(n.targets) == 1 {
			length = x.get("length")
			count, err := toNumber(length)
			if err != nil {
				return err
			}
			next = func(i int) (any, bool, error) {
				if float64(i) < count {
					return x.get(jsnum.Format(float64(i))), true, nil
				}
				return nil, false, nil
			}
		} else {
			length = float64(x.Len())
			keys := x.Keys()
			next = func(i int) (any, bool, error) {
				if i < len(keys) {
					item, _ := x.Get(keys[i])
					return newArray([]any{keys[i], item}), true, nil
				}
				return nil, false, nil
			}
		}
	case string:
		u := strUnits(x)
		length = float64(len(u))
		next = func(i int) (any, bool, error) {
			if i >= len(u) {
				return nil, false, nil
			}
			if len(n.targets) == 1 {
				return u[i], true, nil
			}
			return newArray([]any{jsnum.Format(float64(i)), u[i]}), true, nil
		}
	default:
		if len(n.targets) > 1 {
			length = 0.0
		}
		next = func(int) (any, bool, error) { return nil, false, nil }
	}
	if !truthy(v) {
		length = Undefined
	}
	numLength, err := toNumber(length)
	if err != nil {
		return err
	}
	for i := 0; ; i++ {
		item, ok, err := next(i)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if err := ev.charge(); err != nil {
			return err
		}
		if err := bindTargets(loop, n.targets, item, arrayBranch); err != nil {
			return err
		}
		rec := NewObject()
		fi := float64(i)
		rec.Set("index", fi+1)
		rec.Set("index0", fi)
		rec.Set("revindex", numLength-fi)
		rec.Set("revindex0", numLength-fi-1)
		rec.Set("first", i == 0)
		rec.Set("last", fi == numLength-1)
		rec.Set("length", length)
		loop.define("loop", rec, true)
		if err := ev.exec(n.body, loop, out, loopFrame); err != nil {
			return err
		}
	}
	if !truthy(length) {
		return ev.exec(n.else_, loop, out, loopFrame)
	}
	return nil
}

func bindTargets(sc *scope, targets []string, item any, arrayBranch bool) error {
	if len(targets) == 1 {
		sc.define(targets[0], item, true)
		return nil
	}
	for i, name := range targets {
		if !arrayBranch && i >= 2 {
			break
		}
		v, err := destructure(item, i)
		if err != nil {
			return err
		}
		sc.define(name, v, true)
	}
	return nil
}

func destructure(v any, i int) (any, error) {
	switch x := v.(type) {
	case nil, UndefinedType:
		return nil, errors.New("cannot destructure a nullish loop value")
	case *array:
		if i < len(x.items) {
			return x.items[i], nil
		}
	case *Object:
		if item, ok := x.Get(jsnum.Format(float64(i))); ok {
			return item, nil
		}
	case string:
		if s, ok := strAt(x, i); ok {
			return s, nil
		}
	}
	return Undefined, nil
}

func (o *Object) has(key string) bool {
	_, ok := o.vals[key]
	return ok
}

// get returns the value under key, or Undefined when it is missing.
func (o *Object) get(key string) any {
	if v, ok := o.vals[key]; ok {
		return v
	}
	return Undefined
}

// expr evaluates an expression.
func (ev *evaluator) expr(n node, sc *scope) (any, error) {
	if err := ev.charge(); err != nil {
		return nil, at(n, err)
	}
	ev.depth++
	defer func() { ev.depth-- }()
	if ev.depth > maxNesting {
		return nil, at(n, &limitError{fmt.Sprintf("template evaluation exceeded the nesting depth limit of %d", maxNesting)})
	}
	v, err := ev.exprUnchecked(n, sc)
	if err != nil {
		return nil, at(n, err)
	}
	return v, nil
}

func (ev *evaluator) exprUnchecked(n node, sc *scope) (any, error) {
	switch n := n.(type) {
	case *literalNode:
		if lit, ok := n.value.(*regexLiteral); ok {
			return newRegex(lit.source, lit.flags)
		}
		return n.value, nil
	case *symbolNode:
		return ev.symbol(n.name, sc), nil
	case *arrayNode:
		items := make([]any, len(n.items))
		for i, item := range n.items {
			v, err := ev.expr(item, sc)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return newArray(items), nil
	case *groupNode:
		var last any
		for i, item := range n.items {
			v, err := ev.expr(item, sc)
			if err != nil {
				return nil, err
			}
			if _, fn := v.(*callable); fn && i < len(n.items)-1 {
				return nil, errCallableCoerce
			}
			last = v
		}
		return last, nil
	case *dictNode:
		o := NewObject()
		for _, p := range n.pairs {
			key, err := ev.pairKey(p.key, sc)
			if err != nil {
				return nil, err
			}
			v, err := ev.expr(p.value, sc)
			if err != nil {
				return nil, err
			}
			o.Set(key, v)
		}
		return o, nil
	case *lookupNode:
		target, err := ev.expr(n.target, sc)
		if err != nil {
			return nil, err
		}
		if s, ok := n.key.(*sliceNode); ok {
			return ev.slice(target, s, sc)
		}
		key, err := ev.expr(n.key, sc)
		if err != nil {
			return nil, err
		}
		k, err := toString(key)
		if err != nil {
			return nil, err
		}
		return ev.member(target, k), nil
	case *inlineIfNode:
		cond, err := ev.expr(n.cond, sc)
		if err != nil {
			return nil, err
		}
		if truthy(cond) {
			return ev.expr(n.body, sc)
		}
		if n.else_ == nil {
			return "", nil
		}
		return ev.expr(n.else_, sc)
	case *unaryNode:
		v, err := ev.expr(n.target, sc)
		if err != nil {
			return nil, err
		}
		if n.op == unNot {
			return !truthy(v), nil
		}
		f, err := toNumber(v)
		if err != nil {
			return nil, err
		}
		switch n.op {
		case unNeg:
			return -f, nil
		case unFloor:
			return math.Floor(f), nil
		}
		return f, nil
	case *binaryNode:
		return ev.binary(n, sc)
	case *compareNode:
		return ev.compare(n, sc)
	case *isNode:
		return ev.test(n, sc)
	case *filterNode:
		return ev.filter(n, sc)
	case *callNode:
		return ev.call(n, sc)
	case *captureNode:
		captured := &output{}
		if err := ev.exec(n.body, newScope(sc, false), captured, loopFrame); err != nil {
			return nil, err
		}
		return captured.b.String(), nil
	}
	return nil, fmt.Errorf("unexpected expression %T", n)
}

func (ev *evaluator) pairKey(key node, sc *scope) (string, error) {
	if s, ok := key.(*symbolNode); ok {
		return s.name, nil
	}
	v, err := ev.expr(key, sc)
	if err != nil {
		return "", err
	}
	k, err := toString(v)
	if err != nil {
		return "", err
	}
	if isReservedName(k) {
		return "", fmt.Errorf("template name %s is reserved", k)
	}
	return k, nil
}

// symbol resolves a name: template variables and data first, then
// cookiecutter's True/False/None, then globals, then the built-in globals.
func (ev *evaluator) symbol(name string, sc *scope) any {
	if v, ok := sc.lookup(name); ok {
		return v
	}
	if ev.env.opts.CookiecutterCompat {
		switch name {
		case "True":
			return true
		case "False":
			return false
		case "None":
			return nil
		}
	}
	if g, ok := ev.env.globals[name]; ok {
		if _, fn := g.(*callable); fn {
			return g
		}
		// Globals are copied per render: a template may mutate an array.
		c, err := fromGo(toPublic(g), 0)
		if err == nil {
			return c
		}
		return g
	}
	if g := builtinGlobal(name); g != nil {
		return g
	}
	return Undefined
}

func (ev *evaluator) binary(n *binaryNode, sc *scope) (any, error) {
	left, err := ev.expr(n.left, sc)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case opOr:
		if truthy(left) {
			return left, nil
		}
		return ev.expr(n.right, sc)
	case opAnd:
		if !truthy(left) {
			return left, nil
		}
		return ev.expr(n.right, sc)
	}
	right, err := ev.expr(n.right, sc)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case opIn:
		return contains(right, left)
	case opConcat:
		l, err := toString(left)
		if err != nil {
			return nil, err
		}
		r, err := toString(right)
		if err != nil {
			return nil, err
		}
		return l + r, ev.checkSize(len(l) + len(r))
	case opAdd:
		v, err := add(left, right)
		if err == nil {
			err = ev.checkSize(v)
		}
		return v, err
	}
	l, err := toNumber(left)
	if err != nil {
		return nil, err
	}
	r, err := toNumber(right)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case opSub:
		return l - r, nil
	case opMul:
		return l * r, nil
	case opDiv:
		return l / r, nil
	case opMod:
		return math.Mod(l, r), nil
	}
	return jsPow(l, r), nil
}

// compare chains as nunjucks does: `a < b < c` compares a < b, then that
// boolean with c.
func (ev *evaluator) compare(n *compareNode, sc *scope) (any, error) {
	left, err := ev.expr(n.first, sc)
	if err != nil {
		return nil, err
	}
	result := false
	for _, op := range n.ops {
		right, err := ev.expr(op.expr, sc)
		if err != nil {
			return nil, err
		}
		switch op.op {
		case "==", "!=":
			eq, err := looseEqual(left, right)
			if err != nil {
				return nil, err
			}
			result = eq == (op.op == "==")
		case "===":
			result = strictEqual(left, right)
		case "!==":
			result = !strictEqual(left, right)
		default:
			o, err := order(left, right)
			if err != nil {
				return nil, err
			}
			switch op.op {
			case "<":
				result = o < 0
			case "<=":
				result = o <= 0
			case ">":
				result = o > 0
			case ">=":
				result = o >= 0
			}
		}
		left = result
	}
	return result, nil
}

// contains is the `in` operator.
func contains(container, needle any) (bool, error) {
	switch c := container.(type) {
	case string:
		s, err := toString(needle)
		if err != nil {
			return false, err
		}
		return strings.Contains(c, s), nil
	case *safeString:
		k, err := toString(needle)
		return k == "length" || k == "val", err
	case *array:
		for _, item := range c.items {
			if strictEqual(item, needle) {
				return true, nil
			}
		}
		return false, nil
	case *Object:
		k, err := toString(needle)
		if err != nil {
			return false, err
		}
		return c.has(k) && !isReservedName(k), nil
	}
	return false, errors.New("membership requires an array, record, or string")
}

// readOwn reads an own property: record keys, array and string indices and
// length, a safe string's val.
func readOwn(target any, key string) (any, bool) {
	switch t := target.(type) {
	case *Object:
		if isReservedName(key) {
			return Undefined, false
		}
		v, ok := t.Get(key)
		if !ok {
			return Undefined, false
		}
		return v, true
	case *array:
		if key == "length" {
			return float64(len(t.items)), true
		}
		if i, ok := arrayIndex(key); ok && i < len(t.items) {
			return t.items[i], true
		}
	case string:
		if key == "length" {
			return float64(strLen(t)), true
		}
		if i, ok := arrayIndex(key); ok {
			if s, ok := strAt(t, i); ok {
				return s, true
			}
		}
	case *safeString:
		switch key {
		case "val":
			return t.s, true
		case "length":
			return float64(strLen(t.s)), true
		}
		if i, ok := arrayIndex(key); ok {
			if s, ok := strAt(t.s, i); ok {
				return s, true
			}
		}
	}
	return Undefined, false
}

// member is attribute lookup: own properties, then the approved methods.
func (ev *evaluator) member(target any, key string) any {
	if c, ok := target.(*callable); ok {
		if c.member != nil {
			return c.member(key)
		}
		return Undefined
	}
	if v, ok := readOwn(target, key); ok {
		return v
	}
	if m := ev.method(target, key); m != nil {
		return m
	}
	return Undefined
}

func (ev *evaluator) slice(input any, n *sliceNode, sc *scope) (any, error) {
	if _, ok := input.(*callable); ok {
		return nil, errors.New("callable values cannot be sliced")
	}
	target := input
	if !truthy(input) {
		target = newArray(nil)
	}
	length, _ := readOwn(target, "length")
	start, err := ev.expr(n.start, sc)
	if err != nil {
		return nil, err
	}
	stop, err := ev.expr(n.stop, sc)
	if err != nil {
		return nil, err
	}
	step, err := ev.expr(n.step, sc)
	if err != nil {
		return nil, err
	}
	numStep, err := toNumber(step)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(numStep) || math.IsInf(numStep, 0) || numStep == 0 {
		return nil, errors.New("slice step must have finite non-zero numeric coercion")
	}
	stepOrder, _ := order(step, 0.0)
	if start == nil {
		if stepOrder < 0 {
			l, _ := toNumber(length)
			start = l - 1
		} else {
			start = 0.0
		}
	}
	if stop == nil {
		if stepOrder < 0 {
			stop = -1.0
		} else {
			stop = length
		}
	} else if o, err := order(stop, 0.0); err != nil {
		return nil, err
	} else if o < 0 {
		if stop, err = add(stop, length); err != nil {
			return nil, err
		}
	}
	if o, err := order(start, 0.0); err != nil {
		return nil, err
	} else if o < 0 {
		if start, err = add(start, length); err != nil {
			return nil, err
		}
	}
	var items []any
	for index := start; ; {
		lo, err := order(index, 0.0)
		if err != nil {
			return nil, err
		}
		hi, _ := order(index, length)
		if lo < 0 || hi > 0 {
			break
		}
		so, _ := order(index, stop)
		if (stepOrder > 0 && so >= 0) || (stepOrder < 0 && so <= 0) {
			break
		}
		if err := ev.charge(); err != nil {
			return nil, err
		}
		k, err := toString(index)
		if err != nil {
			return nil, err
		}
		v, _ := readOwn(target, k)
		if _, fn := v.(*callable); fn {
			return nil, errCallableCoerce
		}
		items = append(items, v)
		if index, err = add(index, step); err != nil {
			return nil, err
		}
	}
	return newArray(items), nil
}

// evalArgs evaluates call arguments; keywords come back as a record or nil.
func (ev *evaluator) evalArgs(args argList, sc *scope) ([]any, *Object, error) {
	pos := make([]any, 0, len(args.positional))
	for _, a := range args.positional {
		v, err := ev.expr(a, sc)
		if err != nil {
			return nil, nil, err
		}
		pos = append(pos, v)
	}
	if len(args.keywords) == 0 {
		return pos, nil, nil
	}
	kw := NewObject()
	for _, p := range args.keywords {
		v, err := ev.expr(p.value, sc)
		if err != nil {
			return nil, nil, err
		}
		kw.Set(p.key.(*symbolNode).name, v)
	}
	return pos, kw, nil
}

func (ev *evaluator) call(n *callNode, sc *scope) (any, error) {
	target, err := ev.expr(n.target, sc)
	if err != nil {
		return nil, err
	}
	c, ok := target.(*callable)
	if !ok {
		if name := callablePath(n.target); name != "" {
			return nil, fmt.Errorf("template value %q resolved to %s and cannot be called", name, kindOf(target))
		}
		return nil, fmt.Errorf("template expression resolved to %s and cannot be called", kindOf(target))
	}
	args, kwargs, err := ev.evalArgs(n.args, sc)
	if err != nil {
		return nil, err
	}
	if !c.macro {
		for _, a := range args {
			if err := noCallable(a); err != nil {
				return nil, err
			}
		}
	}
	return c.call(ev, args, kwargs)
}

func callablePath(n node) string {
	switch n := n.(type) {
	case *symbolNode:
		return n.name
	case *lookupNode:
		parent := callablePath(n.target)
		if lit, ok := n.key.(*literalNode); ok {
			if s, ok := lit.value.(string); ok && parent != "" {
				return parent + "." + s
			}
		}
	}
	return ""
}

// callHost calls a filter or global function with public copies of the
// arguments and brings its result back in.
func (ev *evaluator) callHost(f func([]any) (any, error), args []any) (any, error) {
	pub := make([]any, len(args))
	for i, a := range args {
		pub[i] = toPublic(a)
	}
	result, err := f(pub)
	if err != nil {
		return nil, &hostError{msg: err.Error(), err: err}
	}
	v, err := fromGo(result, 0)
	if err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	return v, nil
}
