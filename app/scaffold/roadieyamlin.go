package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/nunjucks"
)

// YAML read as the `yaml` npm package's YAML.parse and parseAllDocuments
// read it (YAML 1.2's core schema, then toJSON): mappings become
// *nunjucks.Object with keys as strings, numbers float64, `<<` an ordinary
// key, timestamps strings. The file is untrusted: aliases and nesting are
// bounded.

const (
	// maxYAMLAliased bounds the values one document may repeat through
	// aliases, so a few bytes cannot unfold into gigabytes; the values
	// written out are bounded by the file's size.
	maxYAMLAliased = 100_000
	maxYAMLDepth   = 500
)

var errYAMLMultiple = errors.New("Source contains multiple documents; please use YAML.parseAllDocuments()")

// parseYAML is YAML.parse: one document, null for an empty one.
func parseYAML(data []byte) (any, error) {
	docs, err := readYAML(data, true)
	if err != nil {
		return nil, err
	}
	switch len(docs) {
	case 0:
		return nil, nil
	case 1:
		return docs[0], nil
	}
	return nil, errYAMLMultiple
}

// parseYAMLDocuments is YAML.parseAllDocuments(…).map(d => d.toJSON()),
// which keeps the documents of a file with repeated keys (the last wins)
// where YAML.parse fails.
func parseYAMLDocuments(data []byte) ([]any, error) { return readYAML(data, false) }

func readYAML(data []byte, uniqueKeys bool) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []any
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parse YAML: %w", err)
		}
		r := yamlReader{uniqueKeys: uniqueKeys}
		var v any
		if len(n.Content) > 0 {
			v, err = r.value(n.Content[0], 0)
			if err != nil {
				return nil, err
			}
		}
		out = append(out, v)
	}
}

type yamlReader struct {
	aliased    int
	inAlias    bool
	uniqueKeys bool
}

func (r *yamlReader) value(n *yaml.Node, depth int) (any, error) {
	if r.inAlias {
		r.aliased++
		if r.aliased > maxYAMLAliased {
			return nil, fmt.Errorf("line %d: aliases repeat more than %d values", n.Line, maxYAMLAliased)
		}
	}
	if depth > maxYAMLDepth {
		return nil, fmt.Errorf("line %d: nested deeper than %d levels", n.Line, maxYAMLDepth)
	}
	switch n.Kind {
	case yaml.AliasNode:
		outer := r.inAlias
		r.inAlias = true
		v, err := r.value(n.Alias, depth+1)
		r.inAlias = outer
		return v, err
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := r.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		o := nunjucks.NewObject()
		// Scalar keys must differ once resolved (null and ~, 1 and 1.0).
		seen := map[any]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, err := r.value(n.Content[i], depth+1)
			if err != nil {
				return nil, err
			}
			switch k.(type) {
			case *nunjucks.Object, []any:
			default:
				if seen[k] && r.uniqueKeys {
					return nil, fmt.Errorf("line %d: map keys must be unique", n.Content[i].Line)
				}
				seen[k] = true
			}
			v, err := r.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			o.Set(jsKey(k), v)
		}
		return o, nil
	case yaml.ScalarNode:
		return coreScalar(n), nil
	}
	return nil, nil
}

// jsKey is the property name JavaScript makes of a key: String(key), with
// collections as JSON.
func jsKey(k any) string {
	switch x := k.(type) {
	case string:
		return x
	case nil:
		return ""
	case float64:
		return jsNumberString(x)
	case bool:
		return strconv.FormatBool(x)
	}
	s, _ := jsonStringify(k, nil, "")
	return s
}

func jsNumberString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return jsNumber(f)
}

// coreScalar resolves a scalar with YAML 1.2's core schema. An explicit
// tag resolves as that type when the text is one (!!int "5" is 5), else
// the scalar is a string, as is any tag the schema lacks.
func coreScalar(n *yaml.Node) any {
	s := n.Value
	if tagged(n) {
		want := map[string][]int{"!!null": {0}, "!!bool": {1}, "!!int": {2, 3, 4}, "!!float": {5, 6, 7}}[n.Tag]
		for _, i := range want {
			if yamlCoreScalar[i].MatchString(s) {
				return resolveCore(s, i)
			}
		}
		return s
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return s
	}
	for i, re := range yamlCoreScalar {
		if re.MatchString(s) {
			return resolveCore(s, i)
		}
	}
	return s
}

// resolveCore reads s as the core schema's type yamlCoreScalar[i].
func resolveCore(s string, i int) any {
	switch i {
	case 0:
		return nil
	case 1:
		return s[0] == 't' || s[0] == 'T'
	case 2:
		v, _ := strconv.ParseInt(s[2:], 8, 64)
		return float64(v)
	case 4:
		v, _ := strconv.ParseUint(s[2:], 16, 64)
		return float64(v)
	case 5:
		if strings.HasSuffix(strings.ToLower(s), "nan") {
			return math.NaN()
		}
		if s[0] == '-' {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// tagged says whether the scalar carries an explicit tag in the source.
func tagged(n *yaml.Node) bool { return n.Style&yaml.TaggedStyle != 0 }
