package nunjucks

import (
	"fmt"
	"github.com/callboard/callboard/app/jsnum"
	"strings"
	"unicode/utf8"
)

// pos is a 0-based line and column (in characters) in the template source.
type pos struct{ line, col int }

type tokenKind int

const (
	tokText tokenKind = iota
	tokVariable
	tokBlock
	tokComment
)

// tmplToken is one piece of the template: literal text, an expression tag or
// a statement tag, with its tag delimiters and whitespace control removed.
type tmplToken struct {
	kind     tokenKind
	value    string
	pos      pos // where the tag (or text) starts
	valuePos pos // where value starts
}

// syntaxError is a parse failure at a position; Compile wraps it in *Error.
type syntaxError struct {
	msg string
	at  pos
}

func (e *syntaxError) Error() string { return e.msg }

func errorAt(at pos, format string, args ...any) *syntaxError {
	return &syntaxError{msg: fmt.Sprintf(format, args...), at: at}
}

// scanner splits a template into tokens exactly where nunjitsu's scanner
// does, including its whitespace control, trimBlocks and lstripBlocks rules.
type scanner struct {
	src            string
	opts           Options
	index          int
	at             pos
	lineHasContent bool
	pending        strings.Builder
	pendingAt      pos
	tokens         []tmplToken
}

func scanTemplate(src string, opts Options) ([]tmplToken, error) {
	s := &scanner{src: src, opts: opts}
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.tokens, nil
}

// advance moves past n bytes, tracking lines, columns and whether the
// current line has shown anything but white space yet.
func (s *scanner) advance(n int) {
	for _, r := range s.src[s.index : s.index+n] {
		if r == '\n' {
			s.at.line++
			s.at.col = 0
			s.lineHasContent = false
		} else {
			s.at.col++
			if !jsnum.IsSpace(r) {
				s.lineHasContent = true
			}
		}
	}
	s.index += n
}

func (s *scanner) appendText(n int) {
	if s.pending.Len() == 0 {
		s.pendingAt = s.at
	}
	s.pending.WriteString(s.src[s.index : s.index+n])
	s.advance(n)
}

func (s *scanner) setPending(text string) {
	s.pending.Reset()
	s.pending.WriteString(text)
}

func (s *scanner) flushText() {
	if s.pending.Len() > 0 {
		s.tokens = append(s.tokens, tmplToken{kind: tokText, value: s.pending.String(), pos: s.pendingAt, valuePos: s.pendingAt})
		s.pending.Reset()
	}
}

type opening struct {
	kind  tokenKind
	index int
	value string
}

func (s *scanner) nextOpening() (opening, bool) {
	varStart := "${{"
	if s.opts.CookiecutterCompat {
		varStart = "{{"
	}
	best := opening{index: -1}
	for _, c := range []opening{{tokVariable, 0, varStart}, {tokBlock, 0, "{%"}, {tokComment, 0, "{#"}} {
		i := strings.Index(s.src[s.index:], c.value)
		if i < 0 {
			continue
		}
		if best.index < 0 || s.index+i < best.index {
			best = opening{c.kind, s.index + i, c.value}
		}
	}
	return best, best.index >= 0
}

func (s *scanner) run() error {
	for s.index < len(s.src) {
		open, found := s.nextOpening()
		if ce := strings.Index(s.src[s.index:], "#}"); ce >= 0 && (!found || s.index+ce < open.index) {
			return errorAt(positionOf(s.src, s.index+ce), "unexpected end of comment")
		}
		if !found {
			s.appendText(len(s.src) - s.index)
			break
		}
		s.appendText(open.index - s.index)
		start := s.at
		if open.kind == tokBlock && s.opts.LstripBlocks {
			s.setPending(stripBlockIndent(s.pending.String(), s.lineHasContent))
		}
		leftTrim := strings.HasPrefix(s.src[open.index:], open.value+"-")
		if leftTrim {
			s.setPending(jsnum.TrimEnd(s.pending.String()))
		}
		s.flushText()
		s.advance(len(open.value))
		if leftTrim {
			s.advance(1)
		}
		closer := "}}"
		switch open.kind {
		case tokBlock:
			closer = "%}"
		case tokComment:
			closer = "#}"
		}
		var end int
		if open.kind == tokComment {
			end = strings.Index(s.src[s.index:], closer)
			if end >= 0 {
				end += s.index
			}
		} else {
			var err error
			if end, err = findCodeTerminator(s.src, s.index, closer); err != nil {
				return err
			}
		}
		if end < 0 {
			return errorAt(start, "unterminated %s tag", kindName(open.kind))
		}
		rightTrim := s.src[end-1] == '-'
		contentEnd := end
		if rightTrim {
			contentEnd = end - 1
		}
		content := ""
		if contentEnd > s.index {
			content = s.src[s.index:contentEnd]
		}
		contentAt := s.at
		s.advance(end + len(closer) - s.index)
		if open.kind != tokComment {
			startTrimmed := trimCodeSpaceStart(content)
			value := startTrimmed
			if open.kind == tokBlock {
				value = trimCodeSpace(content)
			}
			tok := tmplToken{kind: open.kind, value: value, pos: start, valuePos: advancePos(contentAt, content[:len(content)-len(startTrimmed)])}
			if name := tagName(value); open.kind == tokBlock && (name == "raw" || name == "verbatim") {
				if err := s.raw(name, tok, rightTrim); err != nil {
					return err
				}
				continue
			}
			s.tokens = append(s.tokens, tok)
		}
		if rightTrim {
			s.advance(len(s.src[s.index:]) - len(jsnum.TrimStart(s.src[s.index:])))
		} else if open.kind == tokBlock && s.opts.TrimBlocks {
			s.skipNewline()
		}
	}
	s.flushText()
	return nil
}

// raw copies everything up to the matching endraw/endverbatim as text.
func (s *scanner) raw(name string, tok tmplToken, rightTrim bool) error {
	if tagRemainder(tok.value) != "" {
		return errorAt(tok.pos, "%s tag does not accept trailing content", name)
	}
	if s.opts.TrimBlocks {
		s.skipNewline()
	}
	start, end, lineBreak, ok := findRawEnd(s.src, s.index, name)
	if !ok {
		return errorAt(tok.pos, "missing %q tag", "end"+name)
	}
	if lineBreak {
		return errorAt(positionOf(s.src, start), "%s closing tag cannot contain a line break", name)
	}
	s.appendText(start - s.index)
	s.advance(end - s.index)
	if rightTrim {
		s.advance(len(s.src[s.index:]) - len(jsnum.TrimStart(s.src[s.index:])))
	}
	return nil
}

func (s *scanner) skipNewline() {
	rest := s.src[s.index:]
	switch {
	case strings.HasPrefix(rest, "\r\n"):
		s.advance(2)
	case strings.HasPrefix(rest, "\n"):
		s.advance(1)
	}
}

func kindName(k tokenKind) string {
	switch k {
	case tokBlock:
		return "block"
	case tokComment:
		return "comment"
	}
	return "variable"
}

// stripBlockIndent removes the white space before a block tag that starts its
// line (lstripBlocks).
func stripBlockIndent(text string, lineHasContent bool) string {
	if lineHasContent {
		return text
	}
	nl := strings.LastIndexByte(text, '\n')
	suffix := text[nl+1:]
	if jsnum.Trim(suffix) == "" {
		return text[:nl+1]
	}
	return text
}

// findRawEnd finds the endraw (or endverbatim) closing the raw block that
// starts at start, counting nested raw openings.
func findRawEnd(src string, start int, name string) (from, to int, lineBreak, ok bool) {
	depth := 1
	for i := start; i < len(src); {
		m := strings.Index(src[i:], "{%")
		if m < 0 {
			return 0, 0, false, false
		}
		m += i
		kind, end, found := scanRawMarker(src, m, name)
		if !found {
			i = m + 2
			continue
		}
		if kind == "open" {
			depth++
		} else if depth--; depth == 0 {
			return m, end, strings.Contains(src[m:end], "\n"), true
		}
		i = end
	}
	return 0, 0, false, false
}

func scanRawMarker(src string, start int, name string) (kind string, end int, ok bool) {
	i := start + 2
	if i < len(src) && src[i] == '-' {
		return "", 0, false
	}
	i += len(src[i:]) - len(jsnum.TrimStart(src[i:]))
	switch {
	case strings.HasPrefix(src[i:], "end"+name):
		kind = "close"
		i += len("end" + name)
	case strings.HasPrefix(src[i:], name):
		kind = "open"
		i += len(name)
	default:
		return "", 0, false
	}
	i += len(src[i:]) - len(jsnum.TrimStart(src[i:]))
	if strings.HasPrefix(src[i:], "%}") {
		return kind, i + 2, true
	}
	return "", 0, false
}

func positionOf(src string, offset int) pos {
	return advancePos(pos{}, src[:offset])
}

func advancePos(p pos, text string) pos {
	for _, r := range text {
		if r == '\n' {
			p.line++
			p.col = 0
		} else {
			p.col++
		}
	}
	return p
}

// Code white space is the narrower set nunjitsu's expression syntax skips.
func isCodeSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimCodeSpaceStart(s string) string {
	for {
		if s != "" && isCodeSpace(s[0]) {
			s = s[1:]
		} else if strings.HasPrefix(s, "\u00a0") {
			s = s[len("\u00a0"):]
		} else {
			return s
		}
	}
}

func trimCodeSpace(s string) string {
	s = trimCodeSpaceStart(s)
	for {
		if s != "" && isCodeSpace(s[len(s)-1]) {
			s = s[:len(s)-1]
		} else if strings.HasSuffix(s, "\u00a0") {
			s = s[:len(s)-len("\u00a0")]
		} else {
			return s
		}
	}
}

func tagName(value string) string {
	v := trimCodeSpace(value)
	if v == "" || !isIdentStart(v[0]) {
		return ""
	}
	n := 1
	for n < len(v) && isIdentPart(v[n]) {
		n++
	}
	return v[:n]
}

func tagRemainder(value string) string {
	return trimCodeSpace(trimCodeSpace(value)[len(tagName(value)):])
}

func isIdentStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }

// scanIdent returns the end of the identifier at start (optionally after
// leading digits, as in `values.1password`), or -1.
func scanIdent(src string, start int, leadingDigits bool) int {
	i := start
	if leadingDigits {
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	if i >= len(src) || !isIdentStart(src[i]) {
		return -1
	}
	i++
	for i < len(src) && isIdentPart(src[i]) {
		i++
	}
	return i
}

// skipCodeToken skips a string, identifier, number run or regex literal at
// index, so that delimiters inside them are not mistaken for the tag's end.
func skipCodeToken(src string, index int) (int, bool, error) {
	if q := src[index]; q == '"' || q == '\'' {
		for i := index + 1; i < len(src); i++ {
			switch src[i] {
			case '\\':
				i++
			case q:
				return i + 1, true, nil
			}
		}
		return len(src), true, nil
	}
	end := scanIdent(src, index, true)
	if end < 0 {
		i := index
		for i < len(src) && isDigit(src[i]) {
			i++
		}
		return i, i > index, nil
	}
	if end == index+1 && src[index] == 'r' && end < len(src) && src[end] == '/' {
		lit, err := scanRegexLiteral(src, index)
		if err != nil {
			return 0, false, err
		}
		return lit.end, true, nil
	}
	return end, true, nil
}

func findCodeTerminator(src string, start int, terminator string) (int, error) {
	for i := start; i <= len(src)-len(terminator); {
		next, skipped, err := skipCodeToken(src, i)
		if err != nil {
			return 0, err
		}
		switch {
		case skipped:
			i = next
		case strings.HasPrefix(src[i:], terminator):
			return i, nil
		default:
			_, n := utf8.DecodeRuneInString(src[i:])
			i += n
		}
	}
	return -1, nil
}

// findTopLevel finds c outside strings and brackets (the = of a set tag).
func findTopLevel(src string, c byte) (int, error) {
	depth := 0
	for i := 0; i < len(src); {
		next, skipped, err := skipCodeToken(src, i)
		if err != nil {
			return 0, err
		}
		if skipped {
			i = next
			continue
		}
		switch src[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		default:
			if depth == 0 && src[i] == c {
				return i, nil
			}
		}
		i++
	}
	return -1, nil
}

// splitTopLevelKeyword splits around a stand-alone keyword (the `in` of a
// for tag) outside strings and brackets.
func splitTopLevelKeyword(src, keyword string) (left, right string, ok bool, err error) {
	depth := 0
	for i := 0; i < len(src); {
		if end := scanIdent(src, i, true); end >= 0 {
			if end == i+1 && src[i] == 'r' && end < len(src) && src[end] == '/' {
				lit, err := scanRegexLiteral(src, i)
				if err != nil {
					return "", "", false, err
				}
				i = lit.end
				continue
			}
			before := i == 0 || isCodeSpace(src[i-1]) || strings.HasSuffix(src[:i], "\u00a0")
			after := end == len(src) || isCodeSpace(src[end]) || strings.HasPrefix(src[end:], "\u00a0")
			if depth == 0 && src[i:end] == keyword && before && after {
				return trimCodeSpace(src[:i]), trimCodeSpace(src[end:]), true, nil
			}
			i = end
			continue
		}
		next, skipped, err := skipCodeToken(src, i)
		if err != nil {
			return "", "", false, err
		}
		if skipped {
			i = next
			continue
		}
		switch src[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
		i++
	}
	return "", "", false, nil
}

type regexLiteral struct {
	source, flags string
	end           int
}

// scanRegexLiteral reads `r/pattern/flags` at start.
func scanRegexLiteral(src string, start int) (regexLiteral, error) {
	at := positionOf(src, start)
	var pattern strings.Builder
	backslashes := 0
	for i := start + 2; i < len(src); i++ {
		c := src[i]
		if (c != '/' || backslashes > 0) && pattern.Len() >= maxRegexPattern {
			return regexLiteral{}, errorAt(at, "regular-expression literal exceeds the maximum length")
		}
		switch {
		case c == '\\':
			pattern.WriteByte(c)
			backslashes++
		case c == '/' && backslashes > 0:
			if backslashes%2 == 0 {
				return regexLiteral{}, errorAt(at, "ambiguous regular-expression delimiter escape")
			}
			pattern.WriteByte(c)
			backslashes = 0
		case c == '/':
			end := i + 1
			flags := ""
			for ; end < len(src) && strings.IndexByte("gimy", src[end]) >= 0; end++ {
				if strings.IndexByte(flags, src[end]) >= 0 {
					return regexLiteral{}, errorAt(at, "duplicate regular-expression flag")
				}
				flags += src[end : end+1]
			}
			if end < len(src) && (src[end]|0x20 >= 'a' && src[end]|0x20 <= 'z') {
				return regexLiteral{}, errorAt(at, "unsupported regular-expression flag")
			}
			if _, err := compileRegex(pattern.String(), flags); err != nil {
				return regexLiteral{}, errorAt(at, "invalid regular-expression literal")
			}
			return regexLiteral{source: pattern.String(), flags: flags, end: end}, nil
		default:
			pattern.WriteByte(c)
			backslashes = 0
		}
	}
	return regexLiteral{}, errorAt(at, "unterminated regular-expression literal")
}

// Expression tokens.

type exprTokKind int

const (
	etEOF exprTokKind = iota
	etName
	etNumber
	etString
	etRegex
	etOp
)

type exprToken struct {
	kind  exprTokKind
	value string
	at    pos
}

var multiCharOps = []string{"===", "!==", "**", "//", "==", "!=", "<=", ">="}

// tokenizeExpr splits one expression into tokens as nunjitsu's expression
// tokenizer does.
func tokenizeExpr(src string, at pos) ([]exprToken, error) {
	var toks []exprToken
	for i := 0; i < len(src); {
		c := src[i]
		if isCodeSpace(c) || strings.HasPrefix(src[i:], "\u00a0") {
			n := 1
			if c >= utf8.RuneSelf {
				n = len("\u00a0")
			}
			at = advancePos(at, src[i:i+n])
			i += n
			continue
		}
		start := at
		var prev *exprToken
		if len(toks) > 0 {
			prev = &toks[len(toks)-1]
		}
		afterDot := prev != nil && prev.kind == etOp && prev.value == "."
		if end := scanIdent(src, i, afterDot); end >= 0 {
			if end == i+1 && c == 'r' && end < len(src) && src[end] == '/' {
				lit, err := scanRegexLiteral(src, i)
				if err != nil {
					return nil, errorAt(start, "%s", err.(*syntaxError).msg)
				}
				toks = append(toks, exprToken{etRegex, lit.source + "/" + lit.flags, start})
				at.col += utf8.RuneCountInString(src[i:lit.end])
				i = lit.end
				continue
			}
			toks = append(toks, exprToken{etName, src[i:end], start})
			at.col += end - i
			i = end
			continue
		}
		afterOperand := prev != nil && (prev.kind == etName || prev.kind == etNumber || prev.kind == etString || prev.kind == etRegex ||
			(prev.kind == etOp && (prev.value == ")" || prev.value == "]" || prev.value == "}")))
		if c == '.' && i+1 < len(src) && isDigit(src[i+1]) && !afterOperand {
			return nil, errorAt(start, "invalid numeric literal")
		}
		if isDigit(c) {
			end := i
			for end < len(src) && isDigit(src[end]) {
				end++
			}
			if end < len(src) && src[end] == '.' {
				end++
				for end < len(src) && isDigit(src[end]) {
					end++
				}
			}
			if end < len(src) && isIdentStart(src[end]) {
				return nil, errorAt(start, "invalid numeric literal")
			}
			toks = append(toks, exprToken{etNumber, src[i:end], start})
			at.col += end - i
			i = end
			continue
		}
		if c == '"' || c == '\'' {
			value, end, err := readString(src, i, start)
			if err != nil {
				return nil, err
			}
			toks = append(toks, exprToken{etString, value, start})
			at = advancePos(at, src[i:end])
			i = end
			continue
		}
		op := ""
		for _, m := range multiCharOps {
			if strings.HasPrefix(src[i:], m) {
				op = m
				break
			}
		}
		if op == "" {
			if strings.IndexByte("()[]{}.,:|~+-*/%<>=", c) < 0 {
				r, _ := utf8.DecodeRuneInString(src[i:])
				return nil, errorAt(start, "unexpected character %q", r)
			}
			op = src[i : i+1]
		}
		toks = append(toks, exprToken{etOp, op, start})
		at.col += len(op)
		i += len(op)
	}
	return append(toks, exprToken{etEOF, "", at}), nil
}

func readString(src string, start int, at pos) (string, int, error) {
	q := src[start]
	var b strings.Builder
	for i := start + 1; i < len(src); i++ {
		c := src[i]
		if c == q {
			return b.String(), i + 1, nil
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(src) {
			break
		}
		switch src[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default:
			b.WriteByte(src[i])
		}
	}
	return "", 0, errorAt(at, "unterminated string literal")
}
