package scaffold

import (
	"errors"
	"reflect"

	"github.com/blues/jsonata-go/jparse"
)

// errJSONataRecursion refuses an expression whose functions can call
// themselves. jsonata-go does not bound recursion, and a Go stack that
// overflows ends the whole process, not the evaluation, so an expression
// from a template must not recurse.
var errJSONataRecursion = errors.New("recursive functions are not supported here: a function that calls itself, directly, through others or through its arguments")

// checkRecursion looks for the ways a JSONata function can reach itself:
// a function variable whose body refers, through other function
// variables, back to itself ($f := function(){ $f() }), and a function
// called with a function variable or parameter as an argument by way of a
// function variable or parameter ($g($g), function($h){ $h($h) }), which
// is how recursion goes without names. Calls to built-in functions with a
// function argument ($map(list, $f)) are fine.
func checkRecursion(expr string) error {
	root, err := jparse.Parse(expr)
	if err != nil {
		// Compile reports it, with jsonata-go's message.
		return nil
	}
	funcs := map[string][]string{} // function variable → variables its body names
	selfApply := false
	var walk func(n reflect.Value, params map[string]bool, body *[]string)
	walk = func(v reflect.Value, params map[string]bool, body *[]string) {
		if !v.IsValid() {
			return
		}
		if v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return
			}
		}
		switch n := v.Interface().(type) {
		case *jparse.VariableNode:
			if body != nil {
				*body = append(*body, n.Name)
			}
			return
		case *jparse.AssignmentNode:
			if l, ok := lambdaOf(n.Value); ok {
				var names []string
				walk(reflect.ValueOf(l.Body), withParams(params, l.ParamNames), &names)
				funcs[n.Name] = append(funcs[n.Name], names...)
				if body != nil {
					*body = append(*body, names...)
				}
				return
			}
		case *jparse.LambdaNode:
			walk(reflect.ValueOf(n.Body), withParams(params, n.ParamNames), body)
			return
		case *jparse.TypedLambdaNode:
			walk(reflect.ValueOf(n.Body), withParams(params, n.ParamNames), body)
			return
		case *jparse.FunctionCallNode:
			selfApply = selfApply || appliesFunction(n.Func, n.Args, params, funcs)
		case *jparse.PartialNode:
			selfApply = selfApply || appliesFunction(n.Func, n.Args, params, funcs)
		}
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			walk(v.Elem(), params, body)
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), params, body)
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), params, body)
			}
		}
	}
	walk(reflect.ValueOf(root), map[string]bool{}, nil)
	if selfApply || hasCycle(funcs) {
		return errJSONataRecursion
	}
	return nil
}

func lambdaOf(n jparse.Node) (*jparse.LambdaNode, bool) {
	switch l := n.(type) {
	case *jparse.LambdaNode:
		return l, true
	case *jparse.TypedLambdaNode:
		return l.LambdaNode, true
	}
	return nil, false
}

func withParams(outer map[string]bool, names []string) map[string]bool {
	inner := make(map[string]bool, len(outer)+len(names))
	for k := range outer {
		inner[k] = true
	}
	for _, p := range names {
		inner[p] = true
	}
	return inner
}

// appliesFunction says whether a call of a function variable or parameter
// passes a function variable or parameter along.
func appliesFunction(fn jparse.Node, args []jparse.Node, params map[string]bool, funcs map[string][]string) bool {
	callee, ok := fn.(*jparse.VariableNode)
	if !ok {
		return false
	}
	if _, named := funcs[callee.Name]; !named && !params[callee.Name] {
		return false
	}
	for _, a := range args {
		if v, ok := a.(*jparse.VariableNode); ok {
			if _, named := funcs[v.Name]; named || params[v.Name] {
				return true
			}
		}
	}
	return false
}

// hasCycle says whether function variables refer to each other in a loop.
func hasCycle(funcs map[string][]string) bool {
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var visit func(f string) bool
	visit = func(f string) bool {
		switch state[f] {
		case open:
			return true
		case done:
			return false
		}
		state[f] = open
		for _, g := range funcs[f] {
			if _, isFunc := funcs[g]; isFunc && visit(g) {
				return true
			}
		}
		state[f] = done
		return false
	}
	for f := range funcs {
		if visit(f) {
			return true
		}
	}
	return false
}
