package scaffold

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"time"

	jsonata "github.com/blues/jsonata-go"

	"github.com/callboard/callboard/app/nunjucks"
)

// jsonataTurn lets one evaluation run at a time: jsonata-go keeps its
// built-in functions in one environment every expression shares and
// writes to them on each call (SetName, SetContext), so two evaluations at
// once race. It mirrors that library-wide state; a runaway evaluation
// holds it until it ends, and a waiting one gives up at its own limit.
var jsonataTurn = make(chan struct{}, 1)

// evalJSONata evaluates a JSONata expression over data within
// maxRoadieJSONata and the context; the result is Undefined where
// jsonata-js's is undefined. jsonata-go builds objects as Go maps, so the
// result's keys are put back in the order they first appear in the data
// or the expression, which is where jsonata-js takes them from.
func evalJSONata(ctx context.Context, expr string, data any) (any, error) {
	expr = quotedSteps(expr)
	e, err := jsonata.Compile(expr)
	if err != nil {
		return nil, err
	}
	if err := checkRecursion(expr); err != nil {
		return nil, err
	}
	rank := keyOrder(data, expr)
	if err := e.RegisterExts(jsonataFuncs(rank)); err != nil {
		return nil, fmt.Errorf("register functions: %w", err)
	}
	type result struct {
		v   any
		err error
	}
	t := time.NewTimer(maxRoadieJSONata)
	defer t.Stop()
	select {
	case jsonataTurn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, fmt.Errorf("evaluation waited longer than %s for another to finish: stopped", maxRoadieJSONata)
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-jsonataTurn }()
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("evaluation failed: %v", p)}
			}
		}()
		v, err := e.Eval(nunjucks.Plain(jsonataInput(data)))
		done <- result{v, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		// The evaluation cannot be stopped: it is left to finish on its
		// own, its result dropped.
		return nil, fmt.Errorf("evaluation took longer than %s: stopped", maxRoadieJSONata)
	}
	if errors.Is(r.err, jsonata.ErrUndefined) {
		return nunjucks.Undefined, nil
	}
	if r.err != nil {
		return nil, r.err
	}
	return fromJSONata(r.v, rank, 0), nil
}

// jsonataNull is null as jsonata-go holds it (a nil Go value reads as
// undefined there).
var jsonataNull *any

// jsonataInput drops Undefined, which jsonata-go does not know, and gives
// null as jsonata-go writes it.
func jsonataInput(v any) any {
	switch x := v.(type) {
	case nunjucks.UndefinedType:
		return nil
	case nil:
		return jsonataNull
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonataInput(e)
		}
		return out
	case *nunjucks.Object:
		o := nunjucks.NewObject()
		for _, k := range x.Keys() {
			if e, _ := x.Get(k); e != nunjucks.Undefined {
				o.Set(k, jsonataInput(e))
			}
		}
		return o
	}
	return v
}

var jsonataNames = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`" + `|[A-Za-z_$][A-Za-z0-9_$]*`)

// keyOrder ranks names by where they first appear: the data's keys, depth
// first, then the expression's names and string literals.
func keyOrder(data any, expr string) map[string]int {
	rank := map[string]int{}
	add := func(k string) {
		if _, ok := rank[k]; !ok {
			rank[k] = len(rank)
		}
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxYAMLDepth {
			return
		}
		switch x := v.(type) {
		case *nunjucks.Object:
			for _, k := range x.Keys() {
				add(k)
				e, _ := x.Get(k)
				walk(e, depth+1)
			}
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		}
	}
	walk(data, 0)
	for _, m := range jsonataNames.FindAllString(expr, -1) {
		if m[0] == '"' || m[0] == '\'' || m[0] == '`' {
			m = m[1 : len(m)-1]
		}
		add(m)
	}
	return rank
}

func fromJSONata(v any, rank map[string]int, depth int) any {
	if depth > maxYAMLDepth {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return byRank(rank, a, b) })
		o := nunjucks.NewObject()
		for _, k := range keys {
			if e := fromJSONata(x[k], rank, depth+1); e != nunjucks.Undefined {
				o.Set(k, e)
			}
		}
		return o
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if e := fromJSONata(e, rank, depth+1); e != nunjucks.Undefined {
				out = append(out, e)
			}
		}
		return out
	case float64:
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case string, bool, nil:
		return x
	case *any:
		if x == nil {
			return nil
		}
		return fromJSONata(*x, rank, depth+1)
	case *nunjucks.Object:
		return fromJSONata(x.Map(), rank, depth)
	}
	// Typed slices and maps ([]string from $keys, say).
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		list := make([]any, rv.Len())
		for i := range list {
			list[i] = rv.Index(i).Interface()
		}
		return fromJSONata(list, rank, depth)
	case reflect.Map:
		if rv.Type().Key().Kind() == reflect.String {
			m := make(map[string]any, rv.Len())
			for it := rv.MapRange(); it.Next(); {
				m[it.Key().String()] = it.Value().Interface()
			}
			return fromJSONata(m, rank, depth)
		}
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint())
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	}
	// A function or another value JSON cannot hold.
	return nunjucks.Undefined
}

// roadiehq:utils:jsonata evaluates expression over data.
func roadieJSONata(ctx context.Context, c *Context) error {
	expr, err := requiredString(c.Input, "expression")
	if err != nil {
		return err
	}
	data, _ := get(c.Input, "data")
	v, err := evalJSONata(ctx, expr, data)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("JSONata failed to evaluate the expression: %w", err)
	}
	outputDefined(c, "result", v)
	return nil
}

// outputDefined sets an output unless it is undefined, which a
// JavaScript action's output leaves out.
func outputDefined(c *Context, name string, v any) {
	if v != nunjucks.Undefined {
		c.Output(name, v)
	}
}

// readAs reads the `as` input: "string" (the default) or "object".
func readAs(in any) (string, error) {
	as, err := str(in, "as")
	if err != nil {
		return "", err
	}
	switch as {
	case "", "string":
		return "string", nil
	case "object":
		return as, nil
	}
	return "", fmt.Errorf(`input as: want "string" or "object", got %q`, as)
}

// roadiehq:utils:jsonata:json:transform evaluates expression over a JSON
// file; the result is JSON text unless as is "object".
func roadieJSONataJSON(ctx context.Context, c *Context) error {
	as, err := readAs(c.Input)
	if err != nil {
		return err
	}
	rel, abs, err := roadiePath(c, "path")
	if err != nil {
		return err
	}
	expr, err := requiredString(c.Input, "expression")
	if err != nil {
		return err
	}
	keys, err := replacer(c.Input, false)
	if err != nil {
		return err
	}
	space, err := str(c.Input, "space")
	if err != nil {
		return err
	}
	text, err := readText(c, rel, abs)
	if err != nil {
		return err
	}
	data, err := nunjucks.DecodeJSON([]byte(text))
	if err != nil {
		return fmt.Errorf("parse %s: %w", abs, err)
	}
	v, err := evalJSONata(ctx, expr, data)
	if err != nil {
		return err
	}
	if as == "string" {
		s, ok := jsonStringify(v, keys, space)
		if !ok {
			return nil
		}
		v = s
	}
	outputDefined(c, "result", v)
	return nil
}

// roadiehq:utils:jsonata:yaml:transform evaluates expression over a YAML
// file (all its documents with loadAll); the result is YAML text unless
// as is "object".
func roadieJSONataYAML(ctx context.Context, c *Context) error {
	as, err := readAs(c.Input)
	if err != nil {
		return err
	}
	rel, abs, err := roadiePath(c, "path")
	if err != nil {
		return err
	}
	expr, err := requiredString(c.Input, "expression")
	if err != nil {
		return err
	}
	opts, err := readYAMLOptions(c.Input)
	if err != nil {
		return err
	}
	all, err := boolean(c.Input, "loadAll")
	if err != nil {
		return err
	}
	text, err := readText(c, rel, abs)
	if err != nil {
		return err
	}
	var data any
	if all {
		docs, err := parseYAMLDocuments([]byte(text))
		if err != nil {
			return err
		}
		data = append([]any{}, docs...)
	} else if data, err = parseYAML([]byte(text)); err != nil {
		return err
	}
	v, err := evalJSONata(ctx, expr, data)
	if err != nil {
		return err
	}
	if as == "string" && v != nunjucks.Undefined {
		v = stringifyYAML(v, opts)
	}
	outputDefined(c, "result", v)
	return nil
}

// replacer reads the replacer input, a list of keys; with emptyIsNone an
// empty list means none (serialize:json's `replacer?.length`).
func replacer(in any, emptyIsNone bool) ([]string, error) {
	v, ok := get(in, "replacer")
	if !ok || v == nil || v == nunjucks.Undefined {
		return nil, nil
	}
	keys, err := stringList(in, "replacer")
	if err != nil {
		return nil, err
	}
	if _, isList := v.([]any); !isList {
		return nil, errors.New("input replacer: want a list of strings")
	}
	if len(keys) == 0 && emptyIsNone {
		return nil, nil
	}
	if keys == nil {
		keys = []string{}
	}
	return keys, nil
}

// roadiehq:utils:serialize:json writes data as JSON text.
func roadieSerializeJSON(_ context.Context, c *Context) error {
	data, err := recordInput(c.Input, "data")
	if err != nil {
		return err
	}
	keys, err := replacer(c.Input, true)
	if err != nil {
		return err
	}
	space, err := str(c.Input, "space")
	if err != nil {
		return err
	}
	s, _ := jsonStringify(data, keys, space)
	c.Output("serialized", s)
	return nil
}

// roadiehq:utils:serialize:yaml writes data as YAML text.
func roadieSerializeYAML(_ context.Context, c *Context) error {
	data, err := recordInput(c.Input, "data")
	if err != nil {
		return err
	}
	opts, err := readYAMLOptions(c.Input)
	if err != nil {
		return err
	}
	c.Output("serialized", stringifyYAML(data, opts))
	return nil
}

// recordInput reads an object input the schema requires.
func recordInput(in any, key string) (*nunjucks.Object, error) {
	v, ok := get(in, key)
	o, isObj := v.(*nunjucks.Object)
	if !ok || !isObj {
		return nil, fmt.Errorf("input %s: want an object, got %s", key, describe(v))
	}
	return o, nil
}
