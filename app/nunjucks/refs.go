package nunjucks

import (
	"cmp"
	"github.com/callboard/callboard/app/jsnum"
	"slices"
)

// Reference is a variable a template reads, with the keys looked up on it
// that are written out (a.b, a["b"], a[0]) up to the first that is
// computed: `parameters.owner | lower` is [parameters owner].
type Reference struct {
	Path []string
	// Line and Column are 1-based, of the variable's name in the source.
	Line, Column int
}

// References parses src as Compile does and lists, in source order, the
// variables it reads that it does not define itself (loop targets, set,
// macro parameters and names within their reach), for linters: which
// `parameters.x` or `steps.id` a template expects. Errors are *Error
// wrapping ErrSyntax, as Compile's.
func References(name, src string, opts Options) ([]Reference, error) {
	body, err := parseTemplate(src, opts)
	if err != nil {
		se := err.(*syntaxError)
		return nil, &Error{Name: name, Line: se.at.line + 1, Column: se.at.col + 1, Msg: se.msg, Err: ErrSyntax}
	}
	c := &refCollector{defined: map[string]int{}}
	c.stmts(body)
	slices.SortStableFunc(c.out, func(a, b Reference) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return c.out, nil
}

type refCollector struct {
	// defined counts the definitions in reach of each name.
	defined map[string]int
	out     []Reference
}

// within runs f with names defined, then forgets them.
func (c *refCollector) within(names []string, f func()) {
	for _, n := range names {
		c.defined[n]++
	}
	f()
	for _, n := range names {
		c.defined[n]--
	}
}

func (c *refCollector) stmts(body []node) {
	for _, n := range body {
		c.stmt(n)
	}
}

func (c *refCollector) stmt(n node) {
	switch n := n.(type) {
	case *outputNode:
		c.expr(n.expr)
	case *ifNode:
		c.expr(n.cond)
		c.stmts(n.body)
		c.stmts(n.else_)
	case *forNode:
		c.expr(n.iter)
		c.within(append([]string{"loop"}, n.targets...), func() { c.stmts(n.body) })
		c.stmts(n.else_)
	case *setNode:
		if n.value != nil {
			c.expr(n.value)
		}
		c.stmts(n.body)
		// A set name is a variable from here on: left defined.
		for _, t := range n.targets {
			c.defined[t]++
		}
	case *switchNode:
		c.expr(n.expr)
		for _, cs := range n.cases {
			c.expr(cs.cond)
			c.stmts(cs.body)
		}
		c.stmts(n.default_)
	case *blockNode:
		c.stmts(n.body)
	case *macroNode:
		c.macro(n)
		c.defined[n.name]++
	case *callBlockNode:
		c.expr(n.call)
		c.macro(n.caller)
	default:
		// Text and expressions used as statements.
		c.expr(n)
	}
}

func (c *refCollector) macro(m *macroNode) {
	names := append([]string{"caller", m.name}, m.params...)
	for _, d := range m.defaults {
		c.expr(d.value)
		if s, ok := d.key.(*symbolNode); ok {
			names = append(names, s.name)
		}
	}
	c.within(names, func() { c.stmts(m.body) })
}

func (c *refCollector) expr(n node) {
	switch n := n.(type) {
	case nil, *textNode, *literalNode:
	case *symbolNode, *lookupNode:
		c.lookup(n)
	case *arrayNode:
		c.exprs(n.items)
	case *groupNode:
		c.exprs(n.items)
	case *dictNode:
		for _, p := range n.pairs {
			if _, ok := p.key.(*symbolNode); !ok {
				c.expr(p.key)
			}
			c.expr(p.value)
		}
	case *sliceNode:
		c.exprs([]node{n.start, n.stop, n.step})
	case *inlineIfNode:
		c.exprs([]node{n.cond, n.body, n.else_})
	case *binaryNode:
		c.exprs([]node{n.left, n.right})
	case *unaryNode:
		c.expr(n.target)
	case *compareNode:
		c.expr(n.first)
		for _, o := range n.ops {
			c.expr(o.expr)
		}
	case *isNode:
		c.expr(n.left)
		// The test's name is not a variable; its arguments are.
		if call, ok := n.test.(*callNode); ok {
			c.args(call.args)
		}
	case *filterNode:
		c.expr(n.input)
		c.args(n.args)
	case *callNode:
		c.expr(n.target)
		c.args(n.args)
	case *captureNode:
		c.stmts(n.body)
	default:
		c.stmt(n)
	}
}

func (c *refCollector) exprs(ns []node) {
	for _, n := range ns {
		c.expr(n)
	}
}

func (c *refCollector) args(a argList) {
	c.exprs(a.positional)
	for _, k := range a.keywords {
		c.expr(k.value)
	}
}

// lookup records a chain of lookups on a variable; computed keys end the
// path and are walked as expressions of their own.
func (c *refCollector) lookup(n node) {
	var keys []string
	for {
		l, ok := n.(*lookupNode)
		if !ok {
			break
		}
		key, static := staticKey(l.key)
		if !static {
			keys = keys[:0]
			c.expr(l.key)
		} else {
			keys = append(keys, key)
		}
		n = l.target
	}
	sym, ok := n.(*symbolNode)
	if !ok {
		c.expr(n)
		return
	}
	if c.defined[sym.name] > 0 || literalNames[sym.name] {
		return
	}
	path := []string{sym.name}
	for i := len(keys) - 1; i >= 0; i-- {
		path = append(path, keys[i])
	}
	c.out = append(c.out, Reference{Path: path, Line: sym.at.line + 1, Column: sym.at.col + 1})
}

// staticKey is a lookup's key written as a string or a whole number.
func staticKey(n node) (string, bool) {
	lit, ok := n.(*literalNode)
	if !ok {
		return "", false
	}
	switch v := lit.value.(type) {
	case string:
		return v, true
	case float64:
		return jsnum.Format(v), true
	}
	return "", false
}
