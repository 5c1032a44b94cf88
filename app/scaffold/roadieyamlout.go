package scaffold

import (
	"math"
	"regexp"
	"strings"

	"github.com/callboard/callboard/app/nunjucks"
)

// YAML as the `yaml` npm package (2.x) writes it with YAML.stringify, which
// Roadie's actions use: the same choice of plain, quoted and block scalars,
// the same folding at the line width (counted in UTF-16 units, as
// JavaScript counts), the same indentation. Values are the runner's:
// *nunjucks.Object, []any, float64, string, bool, nil, nunjucks.Undefined.

// yamlCtx is the state the `yaml` package threads through its stringify
// functions.
type yamlCtx struct {
	opts             *yamlOptions
	indent           string
	indentStep       string
	inFlow           *bool
	implicitKey      bool
	indentAtStart    int // -1: not set
	forceBlockIndent bool
}

// stringifyYAML is YAML.stringify(v, options) for a value that is not
// undefined.
func stringifyYAML(v any, opts yamlOptions) string {
	c := &yamlCtx{opts: &opts, indentStep: strings.Repeat(" ", opts.indent), indentAtStart: -1}
	switch opts.collectionStyle {
	case "block":
		f := false
		c.inFlow = &f
	case "flow":
		t := true
		c.inFlow = &t
	}
	var lines []string
	if opts.directives != nil && *opts.directives {
		lines = append(lines, "---")
	}
	body := c.node(v)
	if len(lines) == 1 && body != "" && (body[0] == '|' || body[0] == '>') {
		lines[0] = "--- " + body
	} else {
		lines = append(lines, body)
	}
	return strings.Join(lines, "\n") + "\n"
}

func (c *yamlCtx) node(v any) string {
	switch x := v.(type) {
	case *nunjucks.Object:
		return c.mapping(x)
	case []any:
		return c.sequence(x)
	case string:
		return c.str(x)
	case bool:
		if x {
			return c.opts.trueStr
		}
		return c.opts.falseStr
	case float64:
		switch {
		case math.IsNaN(x):
			return ".nan"
		case math.IsInf(x, 1):
			return ".inf"
		case math.IsInf(x, -1):
			return "-.inf"
		case x == 0 && math.Signbit(x):
			return "-0"
		}
		return jsNumber(x)
	}
	return c.opts.nullStr
}

func (c *yamlCtx) flow() bool { return c.inFlow != nil && *c.inFlow }

func (c *yamlCtx) mapping(o *nunjucks.Object) string {
	var items []string
	item := *c
	if c.flow() {
		item.indent = c.indent + c.indentStep
	}
	for _, k := range o.Keys() {
		v, _ := o.Get(k)
		if v == nunjucks.Undefined {
			continue
		}
		items = append(items, item.pair(k, v))
	}
	if c.flow() {
		return c.flowCollection(items, "{", "}")
	}
	return c.blockCollection(items, "", "{}")
}

func (c *yamlCtx) sequence(list []any) string {
	items := make([]string, 0, len(list))
	item := *c
	item.indent = c.indent + "  "
	if c.flow() {
		item.indent += c.indentStep
	}
	for _, v := range list {
		if v == nunjucks.Undefined {
			v = nil
		}
		items = append(items, item.node(v))
	}
	if c.flow() {
		return c.flowCollection(items, "[", "]")
	}
	return c.blockCollection(items, "- ", "[]")
}

func (c *yamlCtx) blockCollection(items []string, prefix, empty string) string {
	if len(items) == 0 {
		return empty
	}
	var b strings.Builder
	for i, s := range items {
		if i > 0 {
			b.WriteString("\n" + c.indent)
		}
		b.WriteString(prefix + s)
	}
	return b.String()
}

func (c *yamlCtx) flowCollection(items []string, start, end string) string {
	if len(items) == 0 {
		return start + end
	}
	newline := false
	size := 2
	for i := range items {
		newline = newline || strings.Contains(items[i], "\n")
		if i < len(items)-1 {
			items[i] += ","
		}
		size += jsLen(items[i]) + 2
	}
	if !newline {
		newline = c.opts.lineWidth > 0 && size > c.opts.lineWidth
	}
	if newline {
		s := start
		for _, l := range items {
			s += "\n" + c.indentStep + c.indent + l
		}
		return s + "\n" + c.indent + end
	}
	pad := ""
	if c.opts.flowCollectionPadding {
		pad = " "
	}
	return start + pad + strings.Join(items, " ") + pad + end
}

// pair writes one key and value of a mapping; c is the mapping's item
// context (its indent is the mapping's, not yet stepped).
func (c *yamlCtx) pair(key string, v any) string {
	indent := c.indent
	kc := *c
	kc.implicitKey = true
	kc.indent = indent + c.indentStep
	kc.indentAtStart = -1
	str := kc.str(key)
	explicit := false
	if !c.flow() && jsLen(str) > 1024 {
		explicit = true
	}
	if explicit {
		str = "? " + str + "\n" + indent + ":"
	} else {
		str += ":"
	}
	vc := kc
	vc.implicitKey = false
	_, isColl := v.(*nunjucks.Object)
	if _, ok := v.([]any); ok {
		isColl = true
		if !c.opts.indentSeq && len(c.indentStep) >= 2 && !c.flow() && !explicit {
			vc.indent = vc.indent[2:]
		}
	}
	if !explicit && !isColl {
		vc.indentAtStart = jsLen(str) + 1
	}
	val := vc.node(v)
	ws := " "
	switch {
	case !explicit && isColl:
		empty := false
		switch x := v.(type) {
		case *nunjucks.Object:
			empty = x.Len() == 0
		case []any:
			empty = len(x) == 0
		}
		flow := empty
		if c.inFlow != nil {
			flow = *c.inFlow
		}
		if strings.Contains(val, "\n") || !flow {
			ws = "\n" + vc.indent
		}
	case val == "" || val[0] == '\n':
		ws = ""
	}
	return str + ws + val
}

var (
	yamlDocMarker   = regexp.MustCompile(`(?m)^(%|---|\.\.\.)`)
	yamlNotPlain    = regexp.MustCompile(`^[\n\t ,\[\]{}#&*!|>'"%@` + "`" + `]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$`)
	yamlFlowChars   = regexp.MustCompile(`[\[\]{},]`)
	yamlNeedsDouble = regexp.MustCompile(`[\x00-\x08\x0b-\x1f\x7f-\x{9f}]`)
	yamlNewlines    = regexp.MustCompile(`\n+`)
	yamlSpaceAround = regexp.MustCompile(`[ \t]\n|\n[ \t]`)
	yamlTrailingWS  = regexp.MustCompile(`\n[\t ]+$`)
	// The core schema's scalars other than strings: a plain string that
	// reads as one of them is quoted.
	yamlCoreScalar = []*regexp.Regexp{
		regexp.MustCompile(`^(?:~|[Nn]ull|NULL)?$`),
		regexp.MustCompile(`^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$`),
		regexp.MustCompile(`^0o[0-7]+$`),
		regexp.MustCompile(`^[-+]?[0-9]+$`),
		regexp.MustCompile(`^0x[0-9a-fA-F]+$`),
		regexp.MustCompile(`^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$`),
		regexp.MustCompile(`^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$`),
		regexp.MustCompile(`^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$`),
	}
)

// str writes a string scalar in the default style, as the `yaml` package
// does for a string it did not read.
func (c *yamlCtx) str(s string) string {
	style := c.opts.defaultStringType
	if c.implicitKey && c.opts.defaultKeyType != "" {
		style = c.opts.defaultKeyType
	}
	if yamlNeedsDouble.MatchString(s) {
		style = "QUOTE_DOUBLE"
	}
	switch style {
	case "BLOCK_FOLDED", "BLOCK_LITERAL":
		if c.implicitKey || c.flow() {
			return c.quoted(s)
		}
		return c.block(s, style)
	case "QUOTE_DOUBLE":
		return c.double(s)
	case "QUOTE_SINGLE":
		return c.single(s)
	}
	return c.plain(s)
}

func (c *yamlCtx) plain(s string) string {
	if (c.implicitKey && strings.Contains(s, "\n")) || (c.flow() && yamlFlowChars.MatchString(s)) {
		return c.quoted(s)
	}
	if yamlNotPlain.MatchString(s) {
		if c.implicitKey || c.flow() || !strings.Contains(s, "\n") {
			return c.quoted(s)
		}
		return c.block(s, "")
	}
	if !c.implicitKey && !c.flow() && strings.Contains(s, "\n") {
		return c.block(s, "")
	}
	if yamlDocMarker.MatchString(s) {
		if c.indent == "" {
			c.forceBlockIndent = true
			return c.block(s, "")
		}
		if c.implicitKey && c.indent == c.indentStep {
			return c.quoted(s)
		}
	}
	str := yamlNewlines.ReplaceAllString(s, "$0\n"+strings.ReplaceAll(c.indent, "$", "$$"))
	for _, re := range yamlCoreScalar {
		if re.MatchString(str) {
			return c.quoted(s)
		}
	}
	if c.implicitKey {
		return str
	}
	return foldLines(str, c.indent, foldFlow, c.indentAtStart, c.opts.lineWidth, c.opts.minContentWidth, nil)
}

func (c *yamlCtx) quoted(s string) string {
	sq := c.opts.singleQuote
	if sq != nil && !*sq {
		return c.double(s)
	}
	hasDouble, hasSingle := strings.Contains(s, `"`), strings.Contains(s, "'")
	switch {
	case hasDouble && !hasSingle:
		return c.single(s)
	case hasSingle && !hasDouble:
		return c.double(s)
	case sq != nil && *sq:
		return c.single(s)
	}
	return c.double(s)
}

func (c *yamlCtx) markerIndent(s string) string {
	if c.indent != "" {
		return c.indent
	}
	if yamlDocMarker.MatchString(s) {
		return "  "
	}
	return ""
}

func (c *yamlCtx) single(s string) string {
	if (c.opts.singleQuote != nil && !*c.opts.singleQuote) || (c.implicitKey && strings.Contains(s, "\n")) || yamlSpaceAround.MatchString(s) {
		return c.double(s)
	}
	indent := c.markerIndent(s)
	res := "'" + yamlNewlines.ReplaceAllString(strings.ReplaceAll(s, "'", "''"), "$0\n"+strings.ReplaceAll(indent, "$", "$$")) + "'"
	if c.implicitKey {
		return res
	}
	return foldLines(res, indent, foldFlow, c.indentAtStart, c.opts.lineWidth, c.opts.minContentWidth, nil)
}

func (c *yamlCtx) double(s string) string {
	js := jsonQuote(s)
	if c.opts.doubleQuotedAsJSON {
		return js
	}
	indent := c.markerIndent(s)
	at := func(i int) byte {
		if i < len(js) {
			return js[i]
		}
		return 0
	}
	var b strings.Builder
	start := 0
	for i := 0; i < len(js); i++ {
		ch := js[i]
		if ch == ' ' && at(i+1) == '\\' && at(i+2) == 'n' {
			b.WriteString(js[start:i] + `\ `)
			i++
			start = i
			ch = '\\'
		}
		if ch != '\\' {
			continue
		}
		switch at(i + 1) {
		case 'u':
			b.WriteString(js[start:i])
			code := js[i+2 : i+6]
			switch code {
			case "0000":
				b.WriteString(`\0`)
			case "0007":
				b.WriteString(`\a`)
			case "000b":
				b.WriteString(`\v`)
			case "001b":
				b.WriteString(`\e`)
			default:
				if strings.HasPrefix(code, "00") {
					b.WriteString(`\x` + code[2:])
				} else {
					b.WriteString(js[i : i+6])
				}
			}
			i += 5
			start = i + 1
		case 'n':
			if c.implicitKey || at(i+2) == '"' || jsLen(js) < c.opts.doubleQuotedMinMulti {
				i++
				break
			}
			b.WriteString(js[start:i] + "\n\n")
			for at(i+2) == '\\' && at(i+3) == 'n' && at(i+4) != '"' {
				b.WriteString("\n")
				i += 2
			}
			b.WriteString(indent)
			if at(i+2) == ' ' {
				b.WriteString(`\`)
			}
			i++
			start = i + 1
		default:
			i++
		}
	}
	str := js
	if start > 0 {
		str = b.String() + js[start:]
	}
	if c.implicitKey {
		return str
	}
	return foldLines(str, indent, foldQuoted, c.indentAtStart, c.opts.lineWidth, c.opts.minContentWidth, nil)
}

// block writes a block scalar; style is "BLOCK_FOLDED", "BLOCK_LITERAL"
// or "" (the package picks).
func (c *yamlCtx) block(value, style string) string {
	bq := c.opts.blockQuote
	if bq == "false" || yamlTrailingWS.MatchString(value) {
		return c.quoted(value)
	}
	indent := c.indent
	if indent == "" && (c.forceBlockIndent || yamlDocMarker.MatchString(value)) {
		indent = "  "
	}
	var literal bool
	switch {
	case bq == "literal":
		literal = true
	case bq == "folded" || style == "BLOCK_FOLDED":
		literal = false
	case style == "BLOCK_LITERAL":
		literal = true
	default:
		literal = !lineLengthOverLimit(value, c.opts.lineWidth, len(indent))
	}
	if value == "" {
		if literal {
			return "|\n"
		}
		return ">\n"
	}
	endStart := len(value)
	for endStart > 0 && strings.ContainsRune("\n\t ", rune(value[endStart-1])) {
		endStart--
	}
	end := value[endStart:]
	chomp := ""
	switch nl := strings.IndexByte(end, '\n'); {
	case nl == -1:
		chomp = "-"
	case value == end || nl != len(end)-1:
		chomp = "+"
	}
	if end != "" {
		value = value[:len(value)-len(end)]
		end = strings.TrimSuffix(end, "\n")
		end = indentInnerNewlines(end, indent)
	}
	startWithSpace := false
	startEnd, startNl := 0, -1
	for ; startEnd < len(value); startEnd++ {
		ch := value[startEnd]
		if ch == ' ' {
			startWithSpace = true
		} else if ch == '\n' {
			startNl = startEnd
		} else {
			break
		}
	}
	cut := startEnd
	if startNl < startEnd {
		cut = startNl + 1
	}
	start := value[:cut]
	if start != "" {
		value = value[len(start):]
		start = yamlNewlines.ReplaceAllString(start, "$0"+strings.ReplaceAll(indent, "$", "$$"))
	}
	header := chomp
	if startWithSpace {
		if indent != "" {
			header = "2" + chomp
		} else {
			header = "1" + chomp
		}
	}
	if !literal {
		folded := yamlNewlines.ReplaceAllString(value, "\n$0")
		folded = keepMoreIndented(folded)
		folded = yamlNewlines.ReplaceAllString(folded, "$0"+strings.ReplaceAll(indent, "$", "$$"))
		overflow := false
		var onOverflow *bool
		if bq != "folded" && style != "BLOCK_FOLDED" {
			onOverflow = &overflow
		}
		body := foldLines(start+folded+end, indent, foldBlock, len(indent), c.opts.lineWidth, c.opts.minContentWidth, onOverflow)
		if !overflow {
			return ">" + header + "\n" + indent + body
		}
	}
	value = yamlNewlines.ReplaceAllString(value, "$0"+strings.ReplaceAll(indent, "$", "$$"))
	return "|" + header + "\n" + indent + start + value + end
}

// indentInnerNewlines adds indent after every run of newlines that does
// not end the string.
func indentInnerNewlines(s, indent string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '\n' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '\n' {
			j++
		}
		b.WriteString(s[i:j])
		if j < len(s) {
			b.WriteString(indent)
		}
		i = j
	}
	return b.String()
}

// keepMoreIndented joins a line that starts with a space or tab to the
// lines around it, since a folded scalar does not fold such lines.
func keepMoreIndented(s string) string {
	var b strings.Builder
	blank := func(c byte) bool { return c == '\n' || c == '\t' || c == ' ' }
	for i := 0; i < len(s); {
		g1 := -1
		switch {
		case i == 0 && (s[0] == ' ' || s[0] == '\t'):
			g1 = 0
		case s[i] == '\n' && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\t'):
			g1 = i + 1
		}
		if g1 < 0 {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := g1
		for j < len(s) && s[j] != '\n' {
			j++
		}
		b.WriteString(s[g1:j])
		r := j
		for r < len(s) && blank(s[r]) {
			r++
		}
		if r > j && s[r-1] == '\n' {
			b.WriteString(s[j : r-1])
			j = r
		}
		i = j
	}
	return b.String()
}
