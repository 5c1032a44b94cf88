package scaffold

import (
	"fmt"
	"math"

	"github.com/callboard/callboard/app/nunjucks"
)

// yamlOptions are the `yaml` package's ToString options Roadie's actions
// accept (types.ts's yamlOptionsSchema), with that package's defaults.
type yamlOptions struct {
	blockQuote            string // "true", "false", "folded", "literal"
	collectionStyle       string // "any", "block", "flow"
	defaultKeyType        string // "" is null: defaultStringType
	defaultStringType     string
	directives            *bool
	doubleQuotedAsJSON    bool
	doubleQuotedMinMulti  int
	falseStr, trueStr     string
	nullStr               string
	flowCollectionPadding bool
	indent                int
	indentSeq             bool
	lineWidth             int
	minContentWidth       int
	simpleKeys            bool
	singleQuote           *bool
}

func defaultYAMLOptions() yamlOptions {
	return yamlOptions{
		blockQuote: "true", collectionStyle: "any", defaultStringType: "PLAIN",
		doubleQuotedMinMulti: 40, falseStr: "false", trueStr: "true", nullStr: "null",
		flowCollectionPadding: true, indent: 2, indentSeq: true, lineWidth: 80, minContentWidth: 20,
	}
}

// readYAMLOptions reads the input `options` (absent: the defaults).
func readYAMLOptions(in any) (yamlOptions, error) {
	o := defaultYAMLOptions()
	v, ok := get(in, "options")
	if !ok || v == nil || v == nunjucks.Undefined {
		return o, nil
	}
	rec, ok := v.(*nunjucks.Object)
	if !ok {
		return o, fmt.Errorf("input options: want an object, got %s", describe(v))
	}
	for _, k := range rec.Keys() {
		x, _ := rec.Get(k)
		if x == nunjucks.Undefined {
			continue
		}
		bad := func(want string) error { return fmt.Errorf("input options.%s: want %s, got %s", k, want, describe(x)) }
		b, isBool := x.(bool)
		s, isStr := x.(string)
		n, isNum := x.(float64)
		switch k {
		case "blockQuote":
			switch {
			case isBool:
				o.blockQuote = fmt.Sprint(b)
			case s == "folded" || s == "literal":
				o.blockQuote = s
			default:
				return o, bad(`true, false, "folded" or "literal"`)
			}
		case "collectionStyle":
			if s != "any" && s != "block" && s != "flow" {
				return o, bad(`"any", "block" or "flow"`)
			}
			o.collectionStyle = s
		case "defaultKeyType", "defaultStringType":
			switch s {
			case "BLOCK_FOLDED", "BLOCK_LITERAL", "QUOTE_DOUBLE", "QUOTE_SINGLE", "PLAIN":
			default:
				if !(x == nil && k == "defaultKeyType") {
					return o, bad("a string type such as PLAIN")
				}
			}
			if k == "defaultKeyType" {
				o.defaultKeyType = s
			} else {
				o.defaultStringType = s
			}
		case "directives", "singleQuote":
			var p *bool
			switch {
			case isBool:
				p = &b
			case x != nil:
				return o, bad("true, false or null")
			}
			if k == "directives" {
				o.directives = p
			} else {
				o.singleQuote = p
			}
		case "doubleQuotedAsJSON", "flowCollectionPadding", "indentSeq", "simpleKeys":
			if !isBool {
				return o, bad("true or false")
			}
			*map[string]*bool{"doubleQuotedAsJSON": &o.doubleQuotedAsJSON, "flowCollectionPadding": &o.flowCollectionPadding,
				"indentSeq": &o.indentSeq, "simpleKeys": &o.simpleKeys}[k] = b
		case "doubleQuotedMinMultiLineLength", "indent", "lineWidth", "minContentWidth":
			if !isNum || n != math.Trunc(n) || math.Abs(n) > 1<<20 {
				return o, bad("a whole number")
			}
			if k == "indent" && n <= 0 {
				return o, fmt.Errorf(`"indent" option must be a positive integer, not %s`, nunjucks.FormatNumber(n))
			}
			*map[string]*int{"doubleQuotedMinMultiLineLength": &o.doubleQuotedMinMulti, "indent": &o.indent,
				"lineWidth": &o.lineWidth, "minContentWidth": &o.minContentWidth}[k] = int(n)
		case "falseStr", "trueStr", "nullStr":
			if !isStr {
				return o, bad("a string")
			}
			*map[string]*string{"falseStr": &o.falseStr, "trueStr": &o.trueStr, "nullStr": &o.nullStr}[k] = s
		}
	}
	return o, nil
}
