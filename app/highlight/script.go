package highlight

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// scriptLexer is chroma's JavaScript, TypeScript or react (JSX) lexer
// with a fast path in front: scan lexes a block by hand, rule for rule as
// the XML definition (lexers/javascript.xml, typescript.xml, react.xml)
// does through
// regexp2, which tried each rule's regexp in turn at every position and
// was a third of a docs build of real READMEs. Where scan is not sure of
// what regexp2 would do (a character outside ASCII where a rule asks
// whether it is a letter, digit or space; a token chroma's coalescer
// would split; invalid UTF-8; options other than the default) chroma
// lexes the block as before.
//
// The fast path's tokens are chroma's after chroma.Coalesce, which both
// callers apply; TestScriptAgainstChroma and FuzzScript hold it to that.
type scriptLexer struct {
	chroma.Lexer
	dialect dialect
}

// withFastPath wraps the definitions scan knows; it returns the others
// as they are.
func withFastPath(l chroma.Lexer) chroma.Lexer {
	switch l.Config().Name {
	case "JavaScript":
		return &scriptLexer{Lexer: l, dialect: javaScript}
	case "TypeScript":
		return &scriptLexer{Lexer: l, dialect: typeScript}
	case "react":
		return &scriptLexer{Lexer: l, dialect: react}
	}
	return l
}

func (l *scriptLexer) Tokenise(options *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	if options == nil || *options == (chroma.TokeniseOptions{State: "root", EnsureLF: true}) {
		if tokens, ok := scan(l.dialect, text); ok {
			return chroma.Literator(tokens...), nil
		}
	}
	return l.Lexer.Tokenise(options, text)
}

func (l *scriptLexer) SetRegistry(r *chroma.LexerRegistry) chroma.Lexer {
	l.Lexer.SetRegistry(r)
	return l
}

func (l *scriptLexer) SetAnalyser(analyser func(text string) float32) chroma.Lexer {
	l.Lexer.SetAnalyser(analyser)
	return l
}

type dialect uint8

const (
	javaScript dialect = iota
	typeScript
	// react is JavaScript with JSX tags (react.xml): its numbers, tags
	// and template escapes differ, and it adds no final newline.
	react
)

// state is one of the definitions' states; JSX adds tag, attr and
// expression, TypeScript's comment.
type state uint8

const (
	stRoot state = iota
	stSlashStartsRegex
	stBadRegex
	stInterp
	stInterpInside
	stTag
	stAttr
	stExpression
	stComment
)

const (
	// coalesceLimit is the length at which chroma.Coalesce stops merging
	// a token with the next: a token that long depends on how regexp2's
	// matches were cut, so scan leaves it to chroma.
	coalesceLimit = 8192
	// maxDepth bounds the state stack (each unclosed <Tag or ${ pushes).
	maxDepth = 512
	// maxStill bounds steps that move nothing (pushes and pops): chroma's
	// rules always move within a few; more means scan went wrong.
	maxStill = 16
)

// scanner holds one block's lexing: the text as chroma lexes it (line
// ends made \n, a \n added when missing), the position, the state stack
// and the coalesced tokens so far.
type scanner struct {
	dialect dialect
	text    string
	pos     int
	stack   []state
	tokens  []chroma.Token
	unsure  bool
}

// scan lexes text as chroma.Coalesce(lexer).Tokenise(nil, text) does for
// the dialect's lexer, or reports false where it is not sure to.
func scan(d dialect, text string) ([]chroma.Token, bool) {
	if !utf8.ValidString(text) {
		return nil, false
	}
	if strings.IndexByte(text, '\r') >= 0 {
		text = ensureLF(text)
	}
	// chroma adds a newline to lex but stops before it: a token may take
	// it (a comment to the end of the line) but nothing starts on it.
	// react's definition asks for none.
	end := len(text)
	if d != react && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	s := scanner{
		dialect: d,
		text:    text,
		stack:   append(make([]state, 0, 16), stRoot),
		tokens:  make([]chroma.Token, 0, len(text)/4+1),
	}
	still := 0
	for s.pos < end && !s.unsure {
		before := s.pos
		s.step()
		if s.pos != before {
			still = 0
		} else if still++; still > maxStill {
			return nil, false
		}
		if len(s.stack) == 0 || len(s.stack) > maxDepth {
			return nil, false
		}
	}
	if s.unsure {
		return nil, false
	}
	for _, t := range s.tokens {
		if len(t.Value) >= coalesceLimit {
			return nil, false
		}
	}
	return s.tokens, true
}

// ensureLF is chroma's: \r\n and \r become \n.
func ensureLF(text string) string {
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}

// emit takes the next n bytes as a token of type t, merged into the last
// token if that has the same type, as chroma.Coalesce merges them.
func (s *scanner) emit(t chroma.TokenType, n int) {
	if n == 0 {
		return
	}
	end := s.pos + n
	if k := len(s.tokens) - 1; k >= 0 && s.tokens[k].Type == t {
		s.tokens[k].Value = s.text[s.pos-len(s.tokens[k].Value) : end]
	} else {
		s.tokens = append(s.tokens, chroma.Token{Type: t, Value: s.text[s.pos:end]})
	}
	s.pos = end
}

func (s *scanner) push(st state) { s.stack = append(s.stack, st) }
func (s *scanner) pop()          { s.stack = s.stack[:len(s.stack)-1] }

// at is the byte at i, or 0 past the end.
func (s *scanner) at(i int) byte {
	if i < len(s.text) {
		return s.text[i]
	}
	return 0
}

func (s *scanner) step() {
	switch s.stack[len(s.stack)-1] {
	case stRoot:
		if !s.root() {
			s.noMatch()
		}
	case stSlashStartsRegex:
		s.slashStartsRegex()
	case stBadRegex:
		if s.text[s.pos] == '\n' {
			s.emit(chroma.Text, 1)
			s.pop()
		} else {
			s.noMatch()
		}
	case stInterp:
		s.interp()
	case stInterpInside:
		if s.text[s.pos] == '}' {
			s.emit(chroma.LiteralStringInterpol, 1)
			s.pop()
		} else if !s.root() {
			s.noMatch()
		}
	case stTag:
		s.tag()
	case stAttr:
		s.attr()
	case stExpression:
		switch s.text[s.pos] {
		case '{':
			s.emit(chroma.Punctuation, 1)
			s.push(stExpression)
		case '}':
			s.emit(chroma.Punctuation, 1)
			s.pop()
		default:
			if !s.root() {
				s.noMatch()
			}
		}
	case stComment:
		switch {
		case strings.HasPrefix(s.text[s.pos:], "-->"):
			s.emit(chroma.Comment, 3)
			s.pop()
		case s.text[s.pos] == '-':
			s.emit(chroma.Comment, 1)
		default:
			s.emit(chroma.Comment, s.until(s.pos, "-")-s.pos)
		}
	}
}

// noMatch is chroma's answer when no rule matches: a newline outside
// root empties the stack back to root; anything else is one rune of
// Error.
func (s *scanner) noMatch() {
	if s.text[s.pos] == '\n' && s.stack[len(s.stack)-1] != stRoot {
		s.stack = append(s.stack[:0], stRoot)
		return
	}
	_, n := utf8.DecodeRuneInString(s.text[s.pos:])
	s.emit(chroma.Error, n)
}

// until is the index of the first byte at or after i that is one of
// set, or the text's length.
func (s *scanner) until(i int, set string) int {
	if j := strings.IndexAny(s.text[i:], set); j >= 0 {
		return i + j
	}
	return len(s.text)
}

// Character classes, for ASCII: regexp2's \s, \w and \d are Unicode's, so
// a rule that asks one of them about a byte outside ASCII makes scan
// unsure (sure reports it).

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isWord(c byte) bool   { return isLetter(c) || isDigit(c) || c == '_' }

// run is the end of the run of bytes from i that in holds; a run that
// stops at a byte outside ASCII makes scan unsure.
func (s *scanner) run(i int, in func(byte) bool) int {
	for i < len(s.text) && in(s.text[i]) {
		i++
	}
	s.sure(i)
	return i
}

// sure marks scan unsure if the byte at i is outside ASCII.
func (s *scanner) sure(i int) {
	if i < len(s.text) && s.text[i] >= utf8.RuneSelf {
		s.unsure = true
	}
}

// boundaryBefore is regexp2's \b before a word character at i.
func (s *scanner) boundaryBefore(i int) bool {
	if i == 0 {
		return true
	}
	if s.text[i-1] >= utf8.RuneSelf {
		s.unsure = true
		return false
	}
	return !isWord(s.text[i-1])
}

// commentsAndWhitespace is the state both definitions include: spaces,
// <!--, // to the end of the line and /* */.
func (s *scanner) commentsAndWhitespace() bool {
	p, c := s.pos, s.text[s.pos]
	switch {
	case isSpace(c):
		s.emit(chroma.Text, s.run(p, isSpace)-p)
	case c == '<' && strings.HasPrefix(s.text[p:], "<!--"):
		s.emit(chroma.Comment, 4)
		if s.dialect == typeScript {
			s.push(stComment)
		}
	case c == '/' && s.at(p+1) == '/':
		nl := strings.IndexByte(s.text[p+2:], '\n')
		if nl < 0 {
			return false
		}
		s.emit(chroma.CommentSingle, nl+3)
	case c == '/' && s.at(p+1) == '*':
		e := strings.Index(s.text[p+2:], "*/")
		if e < 0 {
			return false
		}
		s.emit(chroma.CommentMultiline, e+4)
	default:
		return false
	}
	return true
}

func (s *scanner) slashStartsRegex() {
	c := s.text[s.pos]
	if c >= utf8.RuneSelf {
		s.unsure = true
		return
	}
	if s.commentsAndWhitespace() {
		return
	}
	if c == '/' {
		if n := s.regex(); n > 0 {
			s.emit(chroma.LiteralStringRegex, n)
			s.pop()
			return
		}
		// (?=/): the rest of the line is an error.
		s.stack[len(s.stack)-1] = stBadRegex
		return
	}
	s.pop()
}

// regex is the length of the regular expression literal at the position,
// /(\\.|[^[/\\\n]|\[(\\.|[^\]\\\n])*])+/([gimuy]+\b|\B) (TypeScript's
// flags: gim), or 0. Each item of the body can be read one way only, so
// regexp2's backtracking finds nothing a single pass does not.
func (s *scanner) regex() int {
	t := s.text
	i, items := s.pos+1, 0
body:
	for i < len(t) {
		switch t[i] {
		case '/', '\n':
			break body
		case '\\':
			if i+1 >= len(t) {
				break body
			}
			_, n := utf8.DecodeRuneInString(t[i+1:])
			i += 1 + n
		case '[':
			j := i + 1
			for {
				if j >= len(t) || t[j] == '\n' {
					break body
				}
				if t[j] == ']' {
					break
				}
				if t[j] == '\\' {
					if j+1 >= len(t) {
						break body
					}
					_, n := utf8.DecodeRuneInString(t[j+1:])
					j += 1 + n
					continue
				}
				_, n := utf8.DecodeRuneInString(t[j:])
				j += n
			}
			i = j + 1
		default:
			_, n := utf8.DecodeRuneInString(t[i:])
			i += n
		}
		items++
	}
	if items == 0 || i >= len(t) || t[i] != '/' {
		return 0
	}
	i++
	flags := "gimuy"
	if s.dialect == typeScript {
		flags = "gim"
	}
	j := i
	for j < len(t) && strings.IndexByte(flags, t[j]) >= 0 {
		j++
	}
	// [flags]+\b, else \B right after the slash; either way the next byte
	// must not be a word character.
	s.sure(j)
	if j < len(t) && isWord(t[j]) {
		return 0
	}
	return j - s.pos
}

func (s *scanner) interp() {
	p, c := s.pos, s.text[s.pos]
	switch c {
	case '`':
		s.emit(chroma.LiteralStringBacktick, 1)
		s.pop()
	case '\\':
		switch next := s.at(p + 1); {
		case next == '\\' || next == '`':
			s.emit(chroma.LiteralStringBacktick, 2)
		case s.dialect == javaScript && p+1 < len(s.text):
			_, n := utf8.DecodeRuneInString(s.text[p+1:])
			s.emit(chroma.LiteralStringBacktick, 1+n)
		default:
			s.noMatch()
		}
	case '$':
		if s.at(p+1) == '{' {
			s.emit(chroma.LiteralStringInterpol, 2)
			s.push(stInterpInside)
		} else {
			s.emit(chroma.LiteralStringBacktick, 1)
		}
	default:
		s.emit(chroma.LiteralStringBacktick, s.until(p, "`\\$")-p)
	}
}

// operator is the length of
// \+\+|--|~|&&|\?|:|\|\||\\(?=\n)|(<<|>>>?|==?|!=?|[-<>+*%&|^/])=?
// at the position, or 0: the first alternative that matches wins.
func (s *scanner) operator() int {
	p := s.pos
	c, next := s.text[p], s.at(p+1)
	switch {
	case (c == '+' || c == '-' || c == '&' || c == '|') && next == c:
		return 2
	case c == '~' || c == '?' || c == ':':
		return 1
	case c == '\\':
		if next == '\n' {
			return 1
		}
		return 0
	}
	var n int
	switch {
	case c == '<' && next == '<':
		n = 2
	case c == '>' && next == '>':
		n = 2
		if s.at(p+2) == '>' {
			n = 3
		}
	case c == '=' || c == '!':
		n = 1
		if next == '=' {
			n = 2
		}
	case strings.IndexByte("-<>+*%&|^/", c) >= 0:
		n = 1
	default:
		return 0
	}
	if s.at(p+n) == '=' {
		n++
	}
	return n
}

// quoted is the length of "(\\\\|\\"|[^"])*" (or with ') at the
// position, or 0. Without a closing quote regexp2 would backtrack into the
// escapes; scan leaves that to it.
func (s *scanner) quoted(q byte) int {
	t := s.text
	for i := s.pos + 1; i < len(t); i++ {
		switch t[i] {
		case '\\':
			if n := s.at(i + 1); n == '\\' || n == q {
				i++
			}
		case q:
			return i + 1 - s.pos
		}
	}
	s.unsure = true
	return 0
}

// root is the root state's rules, which interp-inside and expression
// include; false when none matches.
func (s *scanner) root() bool {
	p, c := s.pos, s.text[s.pos]
	if c >= utf8.RuneSelf {
		s.unsure = true
		return true
	}
	ts := s.dialect == typeScript
	if s.dialect != javaScript && c == '<' && s.jsx() {
		return true
	}
	if !ts && p == 0 && c == '#' {
		if n := s.hashbang(); n > 0 {
			s.emit(chroma.CommentHashbang, n)
			return true
		}
	}
	if (p == 0 || s.text[p-1] == '\n') && (isSpace(c) || c == '/' || strings.HasPrefix(s.text[p:], "<!--")) {
		s.push(stSlashStartsRegex)
		return true
	}
	if s.commentsAndWhitespace() {
		return true
	}
	if s.dialect == javaScript && isDigit(c) {
		return s.jsNumber()
	}
	if s.dialect == react && (isDigit(c) || c == '.') && s.reactNumber() {
		return true
	}
	if !ts && (strings.HasPrefix(s.text[p:], "...") || strings.HasPrefix(s.text[p:], "=>")) {
		n := 2
		if c == '.' {
			n = 3
		}
		s.emit(chroma.Punctuation, n)
		return true
	}
	if n := s.operator(); n > 0 {
		s.emit(chroma.Operator, n)
		s.push(stSlashStartsRegex)
		return true
	}
	switch c {
	case '{', '(', '[', ';', ',':
		s.emit(chroma.Punctuation, 1)
		s.push(stSlashStartsRegex)
		return true
	case '}', ')', ']', '.':
		s.emit(chroma.Punctuation, 1)
		return true
	}
	if isLetter(c) {
		w := s.run(p, isWord)
		if s.unsure {
			return true
		}
		if s.keyword(s.text[p:w]) {
			return true
		}
	}
	if ts {
		return s.tsRest()
	}
	return s.jsRest()
}

// hashbang is the length of \A#! ?/.*?\n, or 0.
func (s *scanner) hashbang() int {
	i := 2
	if !strings.HasPrefix(s.text, "#!") {
		return 0
	}
	if s.at(i) == ' ' {
		i++
	}
	if s.at(i) != '/' {
		return 0
	}
	nl := strings.IndexByte(s.text[i:], '\n')
	if nl < 0 {
		return 0
	}
	return i + nl + 1
}

// jsNumber is JavaScript's number rules, one of which matches any digit.
func (s *scanner) jsNumber() bool {
	p, t := s.pos, s.text
	// \d+(\.\d*|[eE][+\-]?\d+)
	d := s.run(p, isDigit)
	switch c := s.at(d); {
	case c == '.':
		s.emit(chroma.LiteralNumberFloat, s.run(d+1, isDigit)-p)
		return true
	case c == 'e' || c == 'E':
		e := d + 1
		if n := s.at(e); n == '+' || n == '-' {
			e++
		}
		s.sure(e)
		if isDigit(s.at(e)) {
			s.emit(chroma.LiteralNumberFloat, s.run(e, isDigit)-p)
			return true
		}
	}
	if s.radixNumber() {
		return true
	}
	// [0-9][0-9_]*
	i := p + 1
	for i < len(t) && (isDigit(t[i]) || t[i] == '_') {
		i++
	}
	s.emit(chroma.LiteralNumberInteger, i-p)
	return true
}

// radixNumber is 0[bB][01]+, 0[oO][0-7]+ and 0[xX][0-9a-fA-F]+, which
// JavaScript and react share.
func (s *scanner) radixNumber() bool {
	p, t := s.pos, s.text
	if t[p] != '0' {
		return false
	}
	var typ chroma.TokenType
	var in func(byte) bool
	switch s.at(p + 1) {
	case 'b', 'B':
		typ, in = chroma.LiteralNumberBin, func(c byte) bool { return c == '0' || c == '1' }
	case 'o', 'O':
		typ, in = chroma.LiteralNumberOct, func(c byte) bool { return '0' <= c && c <= '7' }
	case 'x', 'X':
		typ, in = chroma.LiteralNumberHex, isHex
	default:
		return false
	}
	if p+2 >= len(t) || !in(t[p+2]) {
		return false
	}
	i := p + 2
	for i < len(t) && in(t[i]) {
		i++
	}
	s.emit(typ, i-p)
	return true
}

// reactNumber is react's number rules at a digit or a dot, one of which
// matches any digit: (\.\d+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?, the radix
// ones, [0-9]+.
func (s *scanner) reactNumber() bool {
	p, t := s.pos, s.text
	i := -1
	if t[p] == '.' {
		if !isDigit(s.at(p + 1)) {
			s.sure(p + 1) // \d is Unicode's
			return false
		}
		i = s.run(p+1, isDigit)
	} else {
		d := p
		for d < len(t) && isDigit(t[d]) {
			d++
		}
		if s.at(d) == '.' {
			for i = d + 1; i < len(t) && isDigit(t[i]); i++ {
			}
		}
	}
	if i >= 0 {
		if c := s.at(i); c == 'e' || c == 'E' {
			e := i + 1
			if n := s.at(e); n == '+' || n == '-' {
				e++
			}
			if isDigit(s.at(e)) {
				for e < len(t) && isDigit(t[e]) {
					e++
				}
				i = e
			}
		}
		s.emit(chroma.LiteralNumberFloat, i-p)
		return true
	}
	if s.radixNumber() {
		return true
	}
	// [0-9]+
	i = p
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	s.emit(chroma.LiteralNumberInteger, i-p)
	return true
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// keyword applies the rules of words followed by \b to word, the whole
// run of word characters at the position (the one way a listed word is
// followed by \b). TypeScript's rules that also want \b before the word
// are in tsRest.
func (s *scanner) keyword(word string) bool {
	var kind wordKind
	if s.dialect == typeScript {
		kind = tsWords[word]
	} else {
		kind = jsWords[word]
	}
	switch kind {
	case wordKeyword:
		s.emit(chroma.Keyword, len(word))
		s.push(stSlashStartsRegex)
	case wordDeclaration:
		s.emit(chroma.KeywordDeclaration, len(word))
		s.push(stSlashStartsRegex)
	case wordReserved:
		s.emit(chroma.KeywordReserved, len(word))
	case wordConstant:
		s.emit(chroma.KeywordConstant, len(word))
	case wordBuiltin:
		s.emit(chroma.NameBuiltin, len(word))
	default:
		return false
	}
	return true
}

type wordKind uint8

const (
	wordNone wordKind = iota
	wordKeyword
	wordDeclaration
	wordReserved
	wordConstant
	wordBuiltin
)

// words lists each rule's words; a word in two rules takes the first's.
func words(rules ...[]string) map[string]wordKind {
	m := map[string]wordKind{}
	for i, ws := range rules {
		for _, w := range strings.Fields(ws[0]) {
			if _, ok := m[w]; !ok {
				m[w] = wordKind(i + 1)
			}
		}
	}
	return m
}

var (
	jsWords = words(
		[]string{"for in while do break return continue switch case default if else throw try catch finally new delete typeof instanceof void yield this of"},
		[]string{"var let with function"},
		[]string{"abstract async await boolean byte char class const debugger double enum export extends final float goto implements import int interface long native package private protected public short static super synchronized throws transient volatile"},
		[]string{"true false null NaN Infinity undefined"},
		[]string{"Array Boolean Date Error Function Math netscape Number Object Packages RegExp String Promise Proxy sun decodeURI decodeURIComponent encodeURI encodeURIComponent Error eval isFinite isNaN isSafeInteger parseFloat parseInt document this window"},
	)
	tsWords = words(
		[]string{"for in of while do break return yield continue switch case default if else throw try catch finally new delete typeof instanceof keyof asserts is infer await void this"},
		[]string{"var let with function"},
		[]string{"abstract async boolean class const debugger enum export extends from get global goto implements import interface namespace package private protected public readonly require set static super type"},
		[]string{"true false null NaN Infinity undefined"},
		[]string{"Array Boolean Date Error Function Math Number Object Packages RegExp String decodeURI decodeURIComponent encodeURI encodeURIComponent eval isFinite isNaN parseFloat parseInt document this window"},
	)
	// tsTypes and tsReservedAfter are TypeScript's rules with \b on both
	// sides.
	tsTypes         = words([]string{"string bool number any never object symbol unique unknown bigint"})
	tsReservedAfter = words([]string{"constructor declare interface as"})
)

// jsRest is JavaScript's rules after the keywords: names, strings and
// template literals.
func (s *scanner) jsRest() bool {
	p, c := s.pos, s.text[s.pos]
	// (?:[$_\p{L}\p{N}]|\\u[a-fA-F0-9]{4})(?:[$\p{L}\p{N}]|\\u[a-fA-F0-9]{4})*
	if c == '$' || c == '_' || isLetter(c) || s.unicodeEscape(p) {
		i := p + 1
		if c == '\\' {
			i = p + 6
		}
		for i < len(s.text) {
			if b := s.text[i]; b == '$' || isLetter(b) || isDigit(b) {
				i++
			} else if s.unicodeEscape(i) {
				i += 6
			} else {
				break
			}
		}
		s.sure(i)
		s.emit(chroma.NameOther, i-p)
		return true
	}
	return s.literal()
}

// unicodeEscape reports whether \uXXXX is at i.
func (s *scanner) unicodeEscape(i int) bool {
	if s.at(i) != '\\' || s.at(i+1) != 'u' || i+6 > len(s.text) {
		return false
	}
	for _, c := range []byte(s.text[i+2 : i+6]) {
		if !isHex(c) {
			return false
		}
	}
	return true
}

// literal is both definitions' string and template rules.
func (s *scanner) literal() bool {
	switch s.text[s.pos] {
	case '"':
		if n := s.quoted('"'); n > 0 {
			s.emit(chroma.LiteralStringDouble, n)
			return true
		}
	case '\'':
		if n := s.quoted('\''); n > 0 {
			s.emit(chroma.LiteralStringSingle, n)
			return true
		}
	case '`':
		s.emit(chroma.LiteralStringBacktick, 1)
		s.push(stInterp)
		return true
	}
	return false
}

func isNameByte(c byte) bool { return isWord(c) || c == '?' || c == '.' || c == '$' }

// tsRest is TypeScript's rules after the keywords.
func (s *scanner) tsRest() bool {
	p, c, t := s.pos, s.text[s.pos], s.text
	if isLetter(c) {
		w := s.run(p, isWord)
		word := t[p:w]
		before := s.boundaryBefore(p)
		if s.unsure {
			return true
		}
		if before && word == "module" && s.module(w) {
			return true
		}
		if before && tsTypes[word] != wordNone {
			s.emit(chroma.KeywordType, len(word))
			return true
		}
		if before && tsReservedAfter[word] != wordNone {
			s.emit(chroma.KeywordReserved, len(word))
			return true
		}
		// (super)(\s*)(\([\w,?.$\s]+\s*\)) never matches: super followed
		// by a word character is not super, and otherwise the reserved
		// words' rule took it.
	}
	if isNameByte(c) {
		name := s.run(p, isNameByte)
		if s.unsure {
			return true
		}
		// ([a-zA-Z_?.$][\w?.$]*)\(\) \{
		if !isDigit(c) && strings.HasPrefix(t[name:], "() {") {
			s.emit(chroma.NameOther, name+4-p)
			s.push(stSlashStartsRegex)
			return true
		}
		// ([\w?.$][\w?.$]*)(\s*:\s*)([\w?.$][\w?.$]*)
		colon := s.run(name, isSpace)
		if s.at(colon) == ':' {
			other := s.run(colon+1, isSpace)
			if s.unsure {
				return true
			}
			if other < len(t) && isNameByte(t[other]) {
				last := s.run(other, isNameByte)
				if s.unsure {
					return true
				}
				s.emit(chroma.NameOther, name-p)
				s.emit(chroma.Text, other-name)
				s.emit(chroma.KeywordType, last-other)
				return true
			}
		}
		if s.unsure {
			return true
		}
	}
	switch {
	case c == '$' || c == '_' || isLetter(c):
		// [$a-zA-Z_]\w*
		s.emit(chroma.NameOther, s.run(p+1, isWord)-p)
		return true
	case isDigit(c):
		s.tsNumber()
		return true
	case c == '@':
		// @\w+
		w := s.run(p+1, isWord)
		if s.unsure || w == p+1 {
			return s.unsure
		}
		s.emit(chroma.KeywordDeclaration, w-p)
		return true
	}
	return s.literal()
}

// module is TypeScript's \b(module)(\s+)("[\w\./@]+")(\s+) with the
// word's end at w.
func (s *scanner) module(w int) bool {
	q := s.run(w, isSpace)
	if q == w || s.at(q) != '"' {
		return false
	}
	name := s.run(q+1, func(c byte) bool { return isWord(c) || c == '.' || c == '/' || c == '@' })
	if name == q+1 || s.at(name) != '"' {
		return false
	}
	after := s.run(name+1, isSpace)
	if s.unsure || after == name+1 {
		return false
	}
	s.emit(chroma.KeywordReserved, w-s.pos)
	s.emit(chroma.Text, q-w)
	s.emit(chroma.NameOther, name+1-q)
	s.emit(chroma.Text, after-name-1)
	s.push(stSlashStartsRegex)
	return true
}

// tsNumber is TypeScript's number rules at a digit.
func (s *scanner) tsNumber() {
	p, t := s.pos, s.text
	// [0-9][0-9]*\.[0-9]+([eE][0-9]+)?[fd]?
	d := p
	for d < len(t) && isDigit(t[d]) {
		d++
	}
	if s.at(d) == '.' && isDigit(s.at(d+1)) {
		i := d + 1
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		if e := s.at(i); (e == 'e' || e == 'E') && isDigit(s.at(i+1)) {
			i++
			for i < len(t) && isDigit(t[i]) {
				i++
			}
		}
		if f := s.at(i); f == 'f' || f == 'd' {
			i++
		}
		s.emit(chroma.LiteralNumberFloat, i-p)
		return
	}
	// 0x[0-9a-fA-F]+
	if t[p] == '0' && s.at(p+1) == 'x' && isHex(s.at(p+2)) {
		i := p + 2
		for i < len(t) && isHex(t[i]) {
			i++
		}
		s.emit(chroma.LiteralNumberHex, i-p)
		return
	}
	s.emit(chroma.LiteralNumberInteger, d-p)
}

func isTagByte(c byte) bool { return isWord(c) || c == '.' }

// jsx is TypeScript's and react's rules for <, </ and <> at the
// position.
func (s *scanner) jsx() bool {
	p, t := s.pos, s.text
	switch next := s.at(p + 1); {
	case next == '>':
		// (<)(/?)(>)
		s.emit(chroma.Punctuation, 2)
	case next == '/' && s.at(p+2) == '>':
		s.emit(chroma.Punctuation, 3)
	case next >= utf8.RuneSelf:
		s.unsure = true
	case isTagByte(next):
		// (<)([\w\.]+)
		name := s.run(p+1, isTagByte)
		if s.unsure {
			return true
		}
		s.emit(chroma.Punctuation, 1)
		s.emit(chroma.NameTag, name-p-1)
		s.push(stTag)
	case next == '/':
		// (<)(/)([\w\.]*)(>), react's with [\w\.]+
		name := s.run(p+2, isTagByte)
		if s.unsure {
			return true
		}
		if name >= len(t) || t[name] != '>' || s.dialect == react && name == p+2 {
			return false
		}
		s.emit(chroma.Punctuation, 2)
		s.emit(chroma.NameTag, name-p-2)
		s.emit(chroma.Punctuation, 1)
	default:
		return false
	}
	return true
}

func (s *scanner) tag() {
	p, c, t := s.pos, s.text[s.pos], s.text
	if c >= utf8.RuneSelf {
		s.unsure = true
		return
	}
	attrByte := func(c byte) bool { return isWord(c) || c == '-' }
	if s.dialect == react {
		// \s+ alone, and ([\w]+\s*)(=)(\s*)
		if isSpace(c) {
			s.emit(chroma.Text, s.run(p, isSpace)-p)
			return
		}
		attrByte = isWord
	} else if s.commentsAndWhitespace() {
		return
	}
	// ([\w-]+\s*)(=)(\s*)
	if attrByte(c) {
		name := s.run(p, attrByte)
		eq := s.run(name, isSpace)
		if s.unsure {
			return
		}
		if s.at(eq) == '=' {
			after := s.run(eq+1, isSpace)
			if s.unsure {
				return
			}
			s.emit(chroma.NameAttribute, eq-p)
			s.emit(chroma.Operator, 1)
			s.emit(chroma.Text, after-eq-1)
			s.push(stAttr)
			return
		}
	}
	switch {
	case c == '{' || c == '}':
		i := p
		for i < len(t) && (t[i] == '{' || t[i] == '}') {
			i++
		}
		s.emit(chroma.Punctuation, i-p)
		return
	case isTagByte(c):
		s.emit(chroma.NameAttribute, s.run(p, isTagByte)-p)
		return
	}
	// (/?)(\s*)(>)
	i := p
	if c == '/' {
		i++
	}
	gt := s.run(i, isSpace)
	if s.unsure {
		return
	}
	if s.at(gt) == '>' {
		s.emit(chroma.Punctuation, i-p)
		s.emit(chroma.Text, gt-i)
		s.emit(chroma.Punctuation, 1)
		s.pop()
		return
	}
	s.noMatch()
}

func (s *scanner) attr() {
	p, c := s.pos, s.text[s.pos]
	switch c {
	case '{':
		s.emit(chroma.Punctuation, 1)
		s.push(stExpression)
		return
	case '"', '\'':
		// ".*?" and '.*?', newlines included
		if e := strings.IndexByte(s.text[p+1:], c); e >= 0 {
			s.emit(chroma.LiteralString, e+2)
			s.pop()
			return
		}
	}
	s.pop()
}
