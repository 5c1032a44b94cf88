package nunjucks

// The syntax tree. Statements render into the output; expressions evaluate to
// values. Every node keeps its position for error messages.

type node interface{ position() pos }

type base struct{ at pos }

func (b base) position() pos { return b.at }

// Statements.

type textNode struct {
	base
	text string
}

type outputNode struct {
	base
	expr node
}

type ifNode struct {
	base
	cond        node
	body, else_ []node
	hasElse     bool
}

type forNode struct {
	base
	targets     []string
	iter        node
	body, else_ []node
	hasElse     bool
}

type setNode struct {
	base
	targets []string
	value   node   // `{% set x = value %}`
	body    []node // `{% set x %}body{% endset %}`
}

type switchCase struct {
	cond node
	body []node
}

type switchNode struct {
	base
	expr       node
	cases      []switchCase
	default_   []node
	hasDefault bool
}

type blockNode struct {
	base
	body []node
}

// Expressions.

type literalNode struct {
	base
	value any // Undefined, nil, bool, float64, string or *regexLiteral
}

type symbolNode struct {
	base
	name string
}

type arrayNode struct {
	base
	items []node
}

// groupNode is a parenthesised, comma-separated list; it evaluates to its
// last item, as nunjucks' compiled JavaScript does.
type groupNode struct {
	base
	items []node
}

type pairNode struct {
	key   node // *symbolNode or *literalNode
	value node
}

type dictNode struct {
	base
	pairs []pairNode
}

type lookupNode struct {
	base
	target, key node
}

type sliceNode struct {
	base
	start, stop, step node
}

type inlineIfNode struct {
	base
	cond, body, else_ node // else_ may be nil
}

type opKind int

const (
	opOr opKind = iota
	opAnd
	opAdd
	opConcat
	opSub
	opMul
	opDiv
	opMod
	opPow
	opIn
)

type binaryNode struct {
	base
	op          opKind
	left, right node
}

type unaryKind int

const (
	unNot unaryKind = iota
	unNeg
	unPos
	unFloor
)

type unaryNode struct {
	base
	op     unaryKind
	target node
}

type compareOp struct {
	op   string
	expr node
}

type compareNode struct {
	base
	first node
	ops   []compareOp
}

// argList is a call's arguments; keyword arguments follow the positional ones.
type argList struct {
	positional []node
	keywords   []pairNode
}

type isNode struct {
	base
	left node
	// test is the test's name expression: a symbol, a literal, or a call.
	test node
}

type filterNode struct {
	base
	name   string
	nameAt pos
	input  node
	args   argList
}

type callNode struct {
	base
	target node
	args   argList
}

// captureNode renders statements into a string (a filter block's input).
type captureNode struct {
	base
	body []node
}

// macroNode defines a macro; a call block's body is an anonymous one, the
// caller.
type macroNode struct {
	base
	name     string
	params   []string
	defaults []pairNode // parameters with default values, after params
	body     []node
	caller   bool // a call block's body
}

type callBlockNode struct {
	base
	call   *callNode
	caller *macroNode
}
