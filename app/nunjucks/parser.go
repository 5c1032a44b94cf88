package nunjucks

import (
	"github.com/callboard/callboard/app/jsnum"
	"strings"
)

var (
	emptyStructuralTags = map[string]bool{"else": true, "endif": true, "endfor": true, "endmacro": true, "endcall": true,
		"endfilter": true, "endset": true, "default": true, "endswitch": true}
	structuralStopTags = map[string]bool{"else": true, "endif": true, "endfor": true, "endmacro": true, "endcall": true,
		"endfilter": true, "endset": true, "default": true, "endswitch": true, "elif": true, "elseif": true, "case": true}
	literalNames = map[string]bool{"true": true, "false": true, "null": true, "none": true}
)

func isReservedName(name string) bool {
	return name == "constructor" || name == "prototype" || name == "__proto__"
}

// parser builds the statement tree from the scanner's tokens.
type parser struct {
	tokens []tmplToken
	i      int
	depth  int
}

func parseTemplate(src string, opts Options) ([]node, error) {
	tokens, err := scanTemplate(src, opts)
	if err != nil {
		return nil, err
	}
	p := &parser{tokens: tokens}
	body, stop, err := p.parseBody(nil)
	if err != nil {
		return nil, err
	}
	if stop != nil {
		return nil, errorAt(stop.pos, "unexpected %q tag", tagName(stop.value))
	}
	return body, nil
}

func (p *parser) parseBody(stops map[string]bool) ([]node, *tmplToken, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNesting {
		return nil, nil, errorAt(p.tokens[max(0, p.i-1)].pos, "template nests deeper than %d levels", maxNesting)
	}
	var children []node
	for p.i < len(p.tokens) {
		tok := &p.tokens[p.i]
		p.i++
		switch tok.kind {
		case tokText:
			if tok.value != "" {
				children = append(children, &textNode{base{tok.pos}, tok.value})
			}
			continue
		case tokVariable:
			expr, err := p.expression(tok.value, tok.valuePos)
			if err != nil {
				return nil, nil, err
			}
			children = append(children, &outputNode{base{tok.pos}, expr})
			continue
		}
		name := tagName(tok.value)
		if stops[name] {
			if emptyStructuralTags[name] && tagRemainder(tok.value) != "" {
				return nil, nil, errorAt(tok.pos, "%s tag does not accept trailing content", name)
			}
			return children, tok, nil
		}
		if structuralStopTags[name] {
			return nil, nil, errorAt(tok.pos, "unexpected %q tag", name)
		}
		stmt, err := p.statement(name, tok)
		if err != nil {
			return nil, nil, err
		}
		children = append(children, stmt)
	}
	return children, nil, nil
}

func (p *parser) statement(name string, tok *tmplToken) (node, error) {
	rest := tagRemainder(tok.value)
	restAt := p.remainderPos(tok, rest)
	switch name {
	case "if":
		return p.parseIf(rest, restAt, tok)
	case "for":
		return p.parseFor(rest, restAt, tok)
	case "set":
		return p.parseSet(rest, restAt, tok)
	case "filter":
		return p.parseFilterBlock(rest, restAt, tok)
	case "block":
		return p.parseBlock(rest, restAt, tok)
	case "switch":
		return p.parseSwitch(rest, restAt, tok)
	case "macro":
		return p.parseMacro(rest, restAt, tok)
	case "call":
		return p.parseCall(rest, restAt, tok)
	case "include", "import", "from", "extends":
		return nil, errorAt(tok.pos, "unsupported template-loading tag %q", name)
	case "":
		return nil, errorAt(tok.pos, "template block tag cannot be empty")
	}
	return nil, errorAt(tok.pos, "unknown template tag %q", name)
}

// remainderPos is where a tag's remainder starts in the source.
func (p *parser) remainderPos(tok *tmplToken, rest string) pos {
	off := len(tok.value)
	if rest != "" {
		if i := strings.LastIndex(tok.value, rest); i >= 0 {
			off = i
		}
	}
	return advancePos(tok.valuePos, tok.value[:off])
}

func (p *parser) expression(src string, at pos) (node, error) {
	ep, err := newExprParser(src, at)
	if err != nil {
		return nil, err
	}
	return ep.parse()
}

func (p *parser) parseIf(cond string, at pos, tok *tmplToken) (node, error) {
	c, err := p.expression(cond, at)
	if err != nil {
		return nil, err
	}
	body, stop, err := p.parseBody(map[string]bool{"elif": true, "elseif": true, "else": true, "endif": true})
	if err != nil {
		return nil, err
	}
	if stop == nil {
		return nil, errorAt(tok.pos, "missing endif tag")
	}
	n := &ifNode{base: base{tok.pos}, cond: c, body: body}
	switch tagName(stop.value) {
	case "elif", "elseif":
		rest := tagRemainder(stop.value)
		elif, err := p.parseIf(rest, p.remainderPos(stop, rest), stop)
		if err != nil {
			return nil, err
		}
		n.else_, n.hasElse = []node{elif}, true
	case "else":
		alt, stop, err := p.parseBody(map[string]bool{"endif": true})
		if err != nil {
			return nil, err
		}
		if stop == nil {
			return nil, errorAt(tok.pos, "missing endif tag")
		}
		n.else_, n.hasElse = alt, true
	}
	return n, nil
}

func (p *parser) parseFor(header string, at pos, tok *tmplToken) (node, error) {
	left, right, ok, err := splitTopLevelKeyword(header, "in")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorAt(tok.pos, "for tag requires an in expression")
	}
	targets, err := parseTargets(left, at)
	if err != nil {
		return nil, err
	}
	if len(targets) == 1 && targets[0] == "loop" {
		return nil, errorAt(tok.pos, "a single loop target cannot be named loop")
	}
	iter, err := p.expression(right, advancePos(at, header[:strings.LastIndex(header, right)]))
	if err != nil {
		return nil, err
	}
	body, stop, err := p.parseBody(map[string]bool{"else": true, "endfor": true})
	if err != nil {
		return nil, err
	}
	if stop == nil {
		return nil, errorAt(tok.pos, "missing endfor tag")
	}
	n := &forNode{base: base{tok.pos}, targets: targets, iter: iter, body: body}
	if tagName(stop.value) == "else" {
		alt, stop, err := p.parseBody(map[string]bool{"endfor": true})
		if err != nil {
			return nil, err
		}
		if stop == nil {
			return nil, errorAt(tok.pos, "missing endfor tag")
		}
		n.else_, n.hasElse = alt, true
	}
	return n, nil
}

func (p *parser) parseSet(header string, at pos, tok *tmplToken) (node, error) {
	eq, err := findTopLevel(header, '=')
	if err != nil {
		return nil, err
	}
	if eq >= 0 {
		targets, err := parseTargets(header[:eq], at)
		if err != nil {
			return nil, err
		}
		value, err := p.expression(header[eq+1:], advancePos(at, header[:eq+1]))
		if err != nil {
			return nil, err
		}
		return &setNode{base: base{tok.pos}, targets: targets, value: value}, nil
	}
	targets, err := parseTargets(header, at)
	if err != nil {
		return nil, err
	}
	body, stop, err := p.parseBody(map[string]bool{"endset": true})
	if err != nil {
		return nil, err
	}
	if stop == nil {
		return nil, errorAt(tok.pos, "missing endset tag")
	}
	if containsMacro(body) {
		return nil, errorAt(tok.pos, "macro declarations are not supported inside set captures")
	}
	return &setNode{base: base{tok.pos}, targets: targets, body: body}, nil
}

func (p *parser) parseFilterBlock(header string, at pos, tok *tmplToken) (node, error) {
	body, stop, err := p.parseBody(map[string]bool{"endfilter": true})
	if err != nil {
		return nil, err
	}
	if stop == nil {
		return nil, errorAt(tok.pos, "missing endfilter tag")
	}
	if containsMacro(body) {
		return nil, errorAt(tok.pos, "macro declarations are not supported inside filter captures")
	}
	ep, err := newExprParser(header, at)
	if err != nil {
		return nil, err
	}
	f, err := ep.filterInvocation(&captureNode{base{tok.pos}, body})
	if err != nil {
		return nil, err
	}
	if err := ep.expect(etEOF); err != nil {
		return nil, err
	}
	return &outputNode{base{tok.pos}, f}, nil
}

func (p *parser) parseBlock(header string, at pos, tok *tmplToken) (node, error) {
	name, err := p.expression(trimCodeSpace(header), at)
	if err != nil {
		return nil, err
	}
	sym, ok := name.(*symbolNode)
	if !ok {
		return nil, errorAt(tok.pos, "block name must be an identifier")
	}
	body, stop, err := p.parseBody(map[string]bool{"endblock": true})
	if err != nil {
		return nil, err
	}
	if stop == nil {
		return nil, errorAt(tok.pos, "missing endblock tag")
	}
	if closing := tagRemainder(stop.value); closing != "" && closing != sym.name {
		return nil, errorAt(stop.pos, "endblock name must match its opening block")
	}
	return &blockNode{base{tok.pos}, body}, nil
}

func (p *parser) parseSwitch(header string, at pos, tok *tmplToken) (node, error) {
	expr, err := p.expression(header, at)
	if err != nil {
		return nil, err
	}
	stops := map[string]bool{"case": true, "default": true, "endswitch": true}
	body, stop, err := p.parseBody(stops)
	if err != nil {
		return nil, err
	}
	if len(body) > 0 {
		return nil, errorAt(tok.pos, "switch content must begin with case or default")
	}
	n := &switchNode{base: base{tok.pos}, expr: expr}
	for stop != nil && tagName(stop.value) == "case" {
		rest := tagRemainder(stop.value)
		cond, err := p.expression(rest, p.remainderPos(stop, rest))
		if err != nil {
			return nil, err
		}
		if body, stop, err = p.parseBody(stops); err != nil {
			return nil, err
		}
		n.cases = append(n.cases, switchCase{cond, body})
	}
	if stop != nil && tagName(stop.value) == "default" {
		if n.default_, stop, err = p.parseBody(map[string]bool{"endswitch": true}); err != nil {
			return nil, err
		}
		n.hasDefault = true
	}
	if stop == nil || tagName(stop.value) != "endswitch" {
		return nil, errorAt(tok.pos, "missing endswitch tag")
	}
	if len(n.cases) == 0 && !n.hasDefault {
		return nil, errorAt(tok.pos, "switch requires at least one case or default")
	}
	return n, nil
}

func (p *parser) parseMacro(header string, at pos, tok *tmplToken) (node, error) {
	h := trimCodeSpace(header)
	end := scanIdent(h, 0, false)
	open := end
	for open >= 0 && open < len(h) {
		if isCodeSpace(h[open]) {
			open++
		} else if strings.HasPrefix(h[open:], "\u00a0") {
			open += len("\u00a0")
		} else {
			break
		}
	}
	if end < 0 || open >= len(h) || h[open] != '(' || !strings.HasSuffix(h, ")") {
		return nil, errorAt(tok.pos, "invalid macro signature")
	}
	name := h[:end]
	if literalNames[name] || isReservedName(name) {
		return nil, errorAt(tok.pos, "macro name must be an identifier")
	}
	m, err := parseSignature(name, h[open+1:len(h)-1], at, tok)
	if err != nil {
		return nil, err
	}
	body, stop, err := p.parseBody(map[string]bool{"endmacro": true})
	if err != nil {
		return nil, err
	}
	if stop == nil {
		return nil, errorAt(tok.pos, "missing endmacro tag")
	}
	m.body = body
	return m, nil
}

// parseSignature reads a macro's or caller's parameter list: names, then
// names with defaults.
func parseSignature(name, src string, at pos, tok *tmplToken) (*macroNode, error) {
	m := &macroNode{base: base{tok.pos}, name: name}
	if trimCodeSpace(src) == "" {
		return m, nil
	}
	ep, err := newExprParser(src+")", at)
	if err != nil {
		return nil, err
	}
	args, err := ep.arguments(")")
	if err != nil {
		return nil, err
	}
	if err := ep.expect(etEOF); err != nil {
		return nil, err
	}
	for _, a := range args.positional {
		sym, ok := a.(*symbolNode)
		if !ok {
			return nil, errorAt(a.position(), "formal parameters must be names")
		}
		m.params = append(m.params, sym.name)
	}
	m.defaults = args.keywords
	return m, nil
}

func (p *parser) parseCall(header string, at pos, tok *tmplToken) (node, error) {
	src := trimCodeSpace(header)
	callerArgs := ""
	if strings.HasPrefix(src, "(") {
		closing := matchingParen(src)
		if closing < 0 {
			return nil, errorAt(tok.pos, "invalid call-block arguments")
		}
		callerArgs = src[1:closing]
		src = trimCodeSpace(src[closing+1:])
	}
	expr, err := p.expression(src, at)
	if err != nil {
		return nil, err
	}
	call, ok := expr.(*callNode)
	if !ok {
		return nil, errorAt(tok.pos, "call block requires a function call")
	}
	if !staticCallTarget(call.target) {
		return nil, errorAt(tok.pos, "call block target must be a static macro reference")
	}
	body, stop, err := p.parseBody(map[string]bool{"endcall": true})
	if err != nil {
		return nil, err
	}
	if stop == nil {
		return nil, errorAt(tok.pos, "missing endcall tag")
	}
	caller, err := parseSignature("caller", callerArgs, at, tok)
	if err != nil {
		return nil, err
	}
	caller.body, caller.caller = body, true
	return &callBlockNode{base{tok.pos}, call, caller}, nil
}

func staticCallTarget(n node) bool {
	switch n := n.(type) {
	case *symbolNode:
		return true
	case *lookupNode:
		if _, ok := n.key.(*literalNode); ok {
			return staticCallTarget(n.target)
		}
	}
	return false
}

// matchingParen finds the parenthesis closing the one src starts with,
// outside strings.
func matchingParen(src string) int {
	depth := 0
	for i := 0; i < len(src); {
		next, skipped, err := skipCodeToken(src, i)
		if err != nil {
			return -1
		}
		if skipped {
			i = next
			continue
		}
		switch src[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth--; depth == 0 {
				return i
			}
		}
		i++
	}
	return -1
}

func containsMacro(body []node) bool {
	for _, n := range body {
		switch n := n.(type) {
		case *macroNode:
			return true
		case *ifNode:
			if containsMacro(n.body) || containsMacro(n.else_) {
				return true
			}
		case *forNode:
			if containsMacro(n.body) || containsMacro(n.else_) {
				return true
			}
		case *setNode:
			if containsMacro(n.body) {
				return true
			}
		case *switchNode:
			for _, c := range n.cases {
				if containsMacro(c.body) {
					return true
				}
			}
			if containsMacro(n.default_) {
				return true
			}
		case *blockNode:
			if containsMacro(n.body) {
				return true
			}
		case *callBlockNode:
			if containsMacro(n.caller.body) {
				return true
			}
		}
	}
	return false
}

func parseTargets(src string, at pos) ([]string, error) {
	ep, err := newExprParser(src, at)
	if err != nil {
		return nil, err
	}
	var names []string
	for {
		tok := ep.peek(0)
		if err := ep.expect(etName); err != nil {
			return nil, err
		}
		if literalNames[tok.value] {
			return nil, errorAt(tok.at, "binding targets must be ordinary names")
		}
		if isReservedName(tok.value) {
			return nil, errorAt(tok.at, "template name %q is reserved", tok.value)
		}
		names = append(names, tok.value)
		if !ep.consume(",") {
			break
		}
	}
	return names, ep.expect(etEOF)
}

// exprParser parses one expression with nunjucks' precedence, including its
// quirks (`not` binding to the left operand of arithmetic and comparisons,
// filters binding tighter than unary minus's operand, `**` looser than `|`).
type exprParser struct {
	toks  []exprToken
	i     int
	depth int
}

func newExprParser(src string, at pos) (*exprParser, error) {
	toks, err := tokenizeExpr(src, at)
	if err != nil {
		return nil, err
	}
	return &exprParser{toks: toks}, nil
}

func (e *exprParser) parse() (node, error) {
	n, err := e.inlineIf()
	if err != nil {
		return nil, err
	}
	return n, e.expect(etEOF)
}

func (e *exprParser) peek(off int) exprToken {
	return e.toks[min(e.i+off, len(e.toks)-1)]
}

func (e *exprParser) consume(op string) bool {
	if t := e.peek(0); t.kind == etOp && t.value == op {
		e.i++
		return true
	}
	return false
}

func (e *exprParser) consumeName(name string) bool {
	if t := e.peek(0); t.kind == etName && t.value == name {
		e.i++
		return true
	}
	return false
}

func (e *exprParser) expect(kind exprTokKind) error {
	t := e.peek(0)
	if t.kind != kind {
		if t.value == "" {
			return errorAt(t.at, "expected %s, received end of input", exprKindName(kind))
		}
		return errorAt(t.at, "expected %s, received %q", exprKindName(kind), t.value)
	}
	e.i++
	return nil
}

func (e *exprParser) expectOp(op string) error {
	if !e.consume(op) {
		return errorAt(e.peek(0).at, "expected %s", op)
	}
	return nil
}

func exprKindName(k exprTokKind) string {
	return [...]string{"eof", "name", "number", "string", "regex", "operator"}[k]
}

func (e *exprParser) nested(f func() (node, error)) (node, error) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxNesting {
		return nil, errorAt(e.peek(0).at, "expression nests deeper than %d levels", maxNesting)
	}
	return f()
}

func (e *exprParser) inlineIf() (node, error) {
	body, err := e.or()
	if err != nil || !e.consumeName("if") {
		return body, err
	}
	cond, err := e.or()
	if err != nil {
		return nil, err
	}
	n := &inlineIfNode{base: base{body.position()}, cond: cond, body: body}
	if e.consumeName("else") {
		if n.else_, err = e.nested(e.or); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (e *exprParser) or() (node, error) {
	left, err := e.and()
	for err == nil && e.consumeName("or") {
		var right node
		if right, err = e.and(); err == nil {
			left = &binaryNode{base{left.position()}, opOr, left, right}
		}
	}
	return left, err
}

func (e *exprParser) and() (node, error) {
	left, err := e.not()
	for err == nil && e.consumeName("and") {
		var right node
		if right, err = e.not(); err == nil {
			left = &binaryNode{base{left.position()}, opAnd, left, right}
		}
	}
	return left, err
}

func (e *exprParser) not() (node, error) {
	at := e.peek(0).at
	if e.consumeName("not") {
		target, err := e.nested(e.not)
		if err != nil {
			return nil, err
		}
		return lowerNot(target, at), nil
	}
	return e.membership()
}

// lowerNot applies `not` to the leftmost operand of arithmetic and
// comparisons, as nunjucks' parser does.
func lowerNot(target node, at pos) node {
	switch t := target.(type) {
	case *binaryNode:
		switch t.op {
		case opAdd, opConcat, opSub, opMul, opDiv, opMod:
			return &binaryNode{base{at}, t.op, lowerNot(t.left, at), t.right}
		}
	case *compareNode:
		return &compareNode{base{at}, lowerNot(t.first, at), t.ops}
	}
	return &unaryNode{base{at}, unNot, target}
}

func (e *exprParser) membership() (node, error) {
	left, err := e.test()
	for err == nil {
		negate := false
		if t0, t1 := e.peek(0), e.peek(1); t0.value == "not" && t1.value == "in" {
			e.i += 2
			negate = true
		} else if !e.consumeName("in") {
			return left, nil
		}
		var right node
		if right, err = e.test(); err != nil {
			break
		}
		left = &binaryNode{base{left.position()}, opIn, left, right}
		if negate {
			left = &unaryNode{base{left.position()}, unNot, left}
		}
	}
	return nil, err
}

func (e *exprParser) test() (node, error) {
	left, err := e.equality()
	if err != nil || !e.consumeName("is") {
		return left, err
	}
	negate := e.consumeName("not")
	right, err := e.equality()
	if err != nil {
		return nil, err
	}
	var n node = &isNode{base{right.position()}, left, right}
	if negate {
		n = &unaryNode{base{left.position()}, unNot, n}
	}
	return n, nil
}

func (e *exprParser) comparison(operand func() (node, error), ops ...string) (node, error) {
	left, err := operand()
	if err != nil {
		return nil, err
	}
	var list []compareOp
	for {
		t := e.peek(0)
		if t.kind != etOp || !containsString(ops, t.value) {
			break
		}
		e.i++
		right, err := operand()
		if err != nil {
			return nil, err
		}
		list = append(list, compareOp{t.value, right})
	}
	if len(list) == 0 {
		return left, nil
	}
	return &compareNode{base{left.position()}, left, list}, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (e *exprParser) equality() (node, error) {
	return e.comparison(e.relational, "==", "===", "!=", "!==")
}

func (e *exprParser) relational() (node, error) {
	return e.comparison(e.additive, "<", "<=", ">", ">=")
}

func (e *exprParser) additive() (node, error) {
	left, err := e.multiply()
	for err == nil {
		var op opKind
		switch {
		case e.consume("+"):
			op = opAdd
		case e.consume("-"):
			op = opSub
		case e.consume("~"):
			op = opConcat
		default:
			return left, nil
		}
		var right node
		if right, err = e.multiply(); err == nil {
			left = &binaryNode{base{left.position()}, op, left, right}
		}
	}
	return nil, err
}

// Multiplicative operators chain left to right as one sequence, except that
// `//` floors everything to its left within its own sequence, mirroring how
// nunjucks nests its parse functions.
type mulSeq struct {
	first node
	ops   []mulOp
}

type mulOp struct {
	op    opKind
	right node
}

func (s *mulSeq) append(op opKind, right *mulSeq) {
	s.ops = append(s.ops, mulOp{op, right.first})
	s.ops = append(s.ops, right.ops...)
}

func (s *mulSeq) materialize() node {
	left := s.first
	for _, o := range s.ops {
		left = &binaryNode{base{left.position()}, o.op, left, o.right}
	}
	return left
}

func (e *exprParser) multiply() (node, error) {
	s, err := e.mulSequence()
	if err != nil {
		return nil, err
	}
	return s.materialize(), nil
}

func (e *exprParser) mulSequence() (*mulSeq, error) {
	s, err := e.divSequence()
	for err == nil && e.consume("*") {
		var r *mulSeq
		if r, err = e.divSequence(); err == nil {
			s.append(opMul, r)
		}
	}
	return s, err
}

func (e *exprParser) divSequence() (*mulSeq, error) {
	s, err := e.floorDivSequence()
	for err == nil && e.consume("/") {
		var r *mulSeq
		if r, err = e.floorDivSequence(); err == nil {
			s.append(opDiv, r)
		}
	}
	return s, err
}

func (e *exprParser) floorDivSequence() (*mulSeq, error) {
	s, err := e.modSequence()
	for err == nil && e.consume("//") {
		var r *mulSeq
		if r, err = e.modSequence(); err == nil {
			s.append(opDiv, r)
			target := s.materialize()
			s = &mulSeq{first: &unaryNode{base{target.position()}, unFloor, target}}
		}
	}
	return s, err
}

func (e *exprParser) modSequence() (*mulSeq, error) {
	first, err := e.power()
	if err != nil {
		return nil, err
	}
	s := &mulSeq{first: first}
	for e.consume("%") {
		right, err := e.power()
		if err != nil {
			return nil, err
		}
		s.ops = append(s.ops, mulOp{opMod, right})
	}
	return s, nil
}

func (e *exprParser) power() (node, error) {
	left, err := e.filter()
	for err == nil && e.consume("**") {
		var right node
		if right, err = e.filter(); err == nil {
			left = &binaryNode{base{left.position()}, opPow, left, right}
		}
	}
	return left, err
}

func (e *exprParser) filter() (node, error) {
	expr, err := e.unary()
	for err == nil && e.consume("|") {
		expr, err = e.filterInvocation(expr)
	}
	return expr, err
}

func (e *exprParser) filterInvocation(input node) (node, error) {
	first := e.peek(0)
	if err := e.expect(etName); err != nil {
		return nil, err
	}
	if isReservedName(first.value) {
		return nil, errorAt(first.at, "template name %q is reserved", first.value)
	}
	name := first.value
	for e.consume(".") {
		seg := e.peek(0)
		if err := e.expect(etName); err != nil {
			return nil, err
		}
		if isReservedName(seg.value) {
			return nil, errorAt(seg.at, "template name %q is reserved", seg.value)
		}
		name += "." + seg.value
	}
	n := &filterNode{base: base{first.at}, name: name, nameAt: first.at, input: input}
	if e.consume("(") {
		e.depth++
		args, err := e.arguments(")")
		e.depth--
		if err != nil {
			return nil, err
		}
		n.args = args
	}
	return n, nil
}

func (e *exprParser) unary() (node, error) {
	t := e.peek(0)
	for _, u := range []struct {
		op   string
		kind unaryKind
	}{{"-", unNeg}, {"+", unPos}} {
		if e.consume(u.op) {
			target, err := e.nested(e.unary)
			if err != nil {
				return nil, err
			}
			if inner, ok := target.(*unaryNode); ok && inner.op == u.kind {
				return nil, errorAt(target.position(), "repeated unparenthesized unary %s is not supported", u.op)
			}
			return &unaryNode{base{t.at}, u.kind, target}, nil
		}
	}
	return e.postfix()
}

func (e *exprParser) postfix() (node, error) {
	expr, err := e.primary()
	for err == nil {
		switch {
		case e.consume("."):
			key := e.peek(0)
			if err := e.expect(etName); err != nil {
				return nil, err
			}
			if isReservedName(key.value) {
				return nil, errorAt(key.at, "template name %q is reserved", key.value)
			}
			expr = &lookupNode{base{key.at}, expr, &literalNode{base{key.at}, key.value}}
		case e.consume("["):
			var key node
			if key, err = e.nested(e.subscript); err != nil {
				return nil, err
			}
			if err = e.expectOp("]"); err != nil {
				return nil, err
			}
			if lit, ok := key.(*literalNode); ok {
				if s, ok := lit.value.(string); ok && isReservedName(s) {
					return nil, errorAt(lit.at, "template name %q is reserved", s)
				}
			}
			expr = &lookupNode{base{key.position()}, expr, key}
		case e.consume("("):
			e.depth++
			args, err := e.arguments(")")
			e.depth--
			if err != nil {
				return nil, err
			}
			expr = &callNode{base{expr.position()}, expr, args}
		default:
			return expr, nil
		}
	}
	return nil, err
}

func (e *exprParser) subscript() (node, error) {
	at := e.peek(0).at
	var start, stop, step node
	var err error
	if v := e.peek(0).value; v != ":" && v != "]" {
		if start, err = e.inlineIf(); err != nil {
			return nil, err
		}
	}
	if !e.consume(":") {
		if start == nil {
			return nil, errorAt(e.peek(0).at, "expected subscript expression")
		}
		return start, nil
	}
	if v := e.peek(0).value; v != ":" && v != "]" {
		if stop, err = e.inlineIf(); err != nil {
			return nil, err
		}
	}
	if e.consume(":") && e.peek(0).value != "]" {
		if step, err = e.inlineIf(); err != nil {
			return nil, err
		}
	}
	if start == nil {
		start = &literalNode{base{at}, nil}
	}
	if stop == nil {
		stop = &literalNode{base{at}, nil}
	}
	if step == nil {
		step = &literalNode{base{at}, 1.0}
	}
	return &sliceNode{base{at}, start, stop, step}, nil
}

func (e *exprParser) primary() (node, error) {
	t := e.peek(0)
	switch t.kind {
	case etNumber:
		e.i++
		return &literalNode{base{t.at}, jsnum.FromString(t.value)}, nil
	case etString:
		e.i++
		return &literalNode{base{t.at}, t.value}, nil
	case etRegex:
		e.i++
		sep := strings.LastIndexByte(t.value, '/')
		return &literalNode{base{t.at}, &regexLiteral{source: t.value[:sep], flags: t.value[sep+1:]}}, nil
	case etName:
		e.i++
		switch t.value {
		case "true":
			return &literalNode{base{t.at}, true}, nil
		case "false":
			return &literalNode{base{t.at}, false}, nil
		case "none", "null":
			return &literalNode{base{t.at}, nil}, nil
		}
		if isReservedName(t.value) {
			return nil, errorAt(t.at, "template name %q is reserved", t.value)
		}
		return &symbolNode{base{t.at}, t.value}, nil
	}
	switch {
	case e.consume("("):
		items, err := e.delimitedNested(")")
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, errorAt(t.at, "parenthesized expression cannot be empty")
		}
		return &groupNode{base{t.at}, items}, nil
	case e.consume("["):
		items, err := e.delimitedNested("]")
		if err != nil {
			return nil, err
		}
		return &arrayNode{base{t.at}, items}, nil
	case e.consume("{"):
		e.depth++
		defer func() { e.depth-- }()
		return e.dictionary(t.at)
	}
	if t.value == "" {
		return nil, errorAt(t.at, "unexpected expression token at end of input")
	}
	return nil, errorAt(t.at, "unexpected expression token %q", t.value)
}

func (e *exprParser) delimitedNested(end string) ([]node, error) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxNesting {
		return nil, errorAt(e.peek(0).at, "expression nests deeper than %d levels", maxNesting)
	}
	var items []node
	if e.consume(end) {
		return items, nil
	}
	for {
		item, err := e.inlineIf()
		if err != nil {
			return nil, err
		}
		items = append(items, item)
		if !e.consume(",") {
			break
		}
	}
	return items, e.expectOp(end)
}

func (e *exprParser) dictionary(at pos) (node, error) {
	if e.depth > maxNesting {
		return nil, errorAt(e.peek(0).at, "expression nests deeper than %d levels", maxNesting)
	}
	d := &dictNode{base: base{at}}
	if e.consume("}") {
		return d, nil
	}
	for {
		kt := e.peek(0)
		var key node
		switch {
		case kt.kind == etName && !literalNames[kt.value]:
			key = &symbolNode{base{kt.at}, kt.value}
		case kt.kind == etString:
			key = &literalNode{base{kt.at}, kt.value}
		default:
			return nil, errorAt(kt.at, "dictionary keys must be strings or names")
		}
		e.i++
		if isReservedName(kt.value) {
			return nil, errorAt(kt.at, "template name %q is reserved", kt.value)
		}
		if err := e.expectOp(":"); err != nil {
			return nil, err
		}
		value, err := e.inlineIf()
		if err != nil {
			return nil, err
		}
		d.pairs = append(d.pairs, pairNode{key, value})
		if !e.consume(",") {
			break
		}
	}
	return d, e.expectOp("}")
}

func (e *exprParser) arguments(end string) (argList, error) {
	var args argList
	if e.depth > maxNesting {
		return args, errorAt(e.peek(0).at, "expression nests deeper than %d levels", maxNesting)
	}
	if e.consume(end) {
		return args, nil
	}
	for {
		if t0, t1 := e.peek(0), e.peek(1); t0.kind == etName && t1.kind == etOp && t1.value == "=" {
			if isReservedName(t0.value) {
				return args, errorAt(t0.at, "template name %q is reserved", t0.value)
			}
			e.i += 2
			value, err := e.inlineIf()
			if err != nil {
				return args, err
			}
			args.keywords = append(args.keywords, pairNode{&symbolNode{base{t0.at}, t0.value}, value})
		} else {
			value, err := e.inlineIf()
			if err != nil {
				return args, err
			}
			args.positional = append(args.positional, value)
		}
		if !e.consume(",") {
			break
		}
	}
	return args, e.expectOp(end)
}
