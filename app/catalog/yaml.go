package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	goyaml "github.com/goccy/go-yaml"
	goparser "github.com/goccy/go-yaml/parser"
	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest catalog file read; descriptor files are small,
// and a bigger one is almost always a mistake or an attack.
const MaxFileSize = 10 << 20

// maxAliasNodes bounds the values aliases may expand to in one document, so
// an alias bomb ("billion laughs") costs milliseconds, not gigabytes.
const maxAliasNodes = 100_000

// document is one YAML document of a file, decoded the way Backstage's
// parser (the `yaml` npm package, YAML 1.2 core schema, no merge keys)
// decodes it, with the node tree kept for positions.
type document struct {
	value  any
	node   *yaml.Node
	offset int // lines before this document in its file
}

// line is the file line of n.
func (d *document) line(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line + d.offset
}

// position finds the line and column of the value at path (keys and
// decimal indexes), or of its deepest ancestor present in the file.
func (d *document) position(path ...string) (int, int) {
	n := d.node
	for _, p := range path {
		next := child(n, p)
		if next == nil {
			break
		}
		n = next
	}
	return d.line(n), n.Column
}

// keyPosition is where the key of path is written, for errors about the
// field itself (unknown, wrong type) rather than its value.
func (d *document) keyPosition(path ...string) (int, int) {
	if len(path) == 0 {
		return d.position()
	}
	parent := d.node
	for _, p := range path[:len(path)-1] {
		if parent = child(parent, p); parent == nil {
			return d.position(path...)
		}
	}
	if parent.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(parent.Content); i += 2 {
			if parent.Content[i].Value == path[len(path)-1] {
				return d.line(parent.Content[i]), parent.Content[i].Column
			}
		}
	}
	return d.position(path...)
}

func child(n *yaml.Node, p string) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				return n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(p); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// yamlError is a problem with a file's YAML, at a file line.
type yamlError struct {
	line, column int
	msg          string
}

// splitDocuments cuts a file at its document markers ("---" or "..." at the
// start of a line, which YAML forbids inside content), so a broken document
// costs only itself, as in Backstage's parser. Each chunk keeps its first line.
func splitDocuments(data []byte) (chunks [][]byte, offsets []int) {
	start, startLine, line := 0, 0, 0
	for i := 0; i < len(data); {
		end := bytes.IndexByte(data[i:], '\n')
		next := len(data)
		if end >= 0 {
			next = i + end + 1
		}
		if i > start && isMarker(data[i:next]) {
			chunks = append(chunks, data[start:i])
			offsets = append(offsets, startLine)
			start, startLine = i, line
		}
		i = next
		line++
	}
	chunks = append(chunks, data[start:])
	offsets = append(offsets, startLine)
	return chunks, offsets
}

func isMarker(line []byte) bool {
	if len(line) < 3 || (!bytes.HasPrefix(line, []byte("---")) && !bytes.HasPrefix(line, []byte("..."))) {
		return false
	}
	return len(line) == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\n' || line[3] == '\r'
}

// readDocuments decodes every document of a file. Documents that fail are
// returned as errors in file order with the good ones; empty documents are
// skipped, as Backstage skips them.
func readDocuments(data []byte) ([]document, []yamlError) {
	if !utf8.Valid(data) {
		bad := len(data)
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				bad = i
				break
			}
			i += size
		}
		return nil, []yamlError{{line: 1 + bytes.Count(data[:bad], []byte("\n")), msg: "file is not valid UTF-8 text"}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	chunks, offsets := splitDocuments(data)
	var docs []document
	var errs []yamlError
	for i, chunk := range chunks {
		if bytes.HasPrefix(chunk, []byte("...")) {
			chunk = chunk[3:] // a document end marker with nothing of its own after it
		}
		var root yaml.Node
		if err := yaml.Unmarshal(chunk, &root); err != nil {
			e := diagnose(chunk, err)
			if e.line > 0 {
				e.line += offsets[i]
			}
			errs = append(errs, e)
			continue
		}
		if len(root.Content) == 0 {
			continue
		}
		doc := document{node: root.Content[0], offset: offsets[i]}
		budget := maxAliasNodes
		v, yerr := doc.decode(doc.node, &budget, false)
		if yerr != nil {
			errs = append(errs, *yerr)
			continue
		}
		if v == nil {
			continue
		}
		doc.value = v
		docs = append(docs, doc)
	}
	return docs, errs
}

// decode turns a node into JSON-like Go values: map[string]any, []any,
// string, int64, float64, bool and nil.
func (d *document) decode(n *yaml.Node, budget *int, aliased bool) (any, *yamlError) {
	if aliased {
		if *budget--; *budget < 0 {
			return nil, &yamlError{line: d.line(n), column: n.Column, msg: "aliases expand to too much data (an alias bomb?)"}
		}
	}
	switch n.Kind {
	case yaml.AliasNode:
		return d.decode(n.Alias, budget, true)
	case yaml.ScalarNode:
		return scalar(n), nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := d.decode(c, budget, aliased)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			for k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return nil, &yamlError{line: d.line(k), column: k.Column, msg: "mapping keys must be plain values, not lists or mappings"}
			}
			key := keyString(scalar(k))
			if _, dup := out[key]; dup {
				return nil, &yamlError{line: d.line(n.Content[i]), column: n.Content[i].Column, msg: fmt.Sprintf("duplicate key %q: map keys must be unique", key)}
			}
			v, err := d.decode(n.Content[i+1], budget, aliased)
			if err != nil {
				return nil, err
			}
			out[key] = v
		}
		return out, nil
	}
	return nil, nil
}

// keyString is a scalar key as JavaScript spells it as an object key: as
// a template literal would, but a null key is "".
func keyString(v any) string {
	if v == nil {
		return ""
	}
	return jsString(v)
}

func jsNumber(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

var (
	intRE   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	octRE   = regexp.MustCompile(`^0o[0-7]+$`)
	hexRE   = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
	floatRE = regexp.MustCompile(`^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$`)
)

// scalar resolves a scalar with the YAML 1.2 core schema Backstage's parser
// uses: "yes", "0b1", "1_000" and dates stay strings.
func scalar(n *yaml.Node) any {
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value
	}
	if n.Style&yaml.TaggedStyle != 0 {
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool", "!!int", "!!float":
		default:
			return n.Value
		}
	}
	s := n.Value
	if s == "" {
		return nil
	}
	if !strings.ContainsRune("0123456789+-.~nNtTfF", rune(s[0])) {
		return s
	}
	switch s {
	case "~", "null", "Null", "NULL":
		return nil
	case "true", "True", "TRUE":
		return true
	case "false", "False", "FALSE":
		return false
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1)
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1)
	case ".nan", ".NaN", ".NAN":
		return math.NaN()
	}
	switch {
	case intRE.MatchString(s):
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return float64(i)
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case octRE.MatchString(s):
		i, _ := strconv.ParseUint(s[2:], 8, 64)
		return float64(i)
	case hexRE.MatchString(s):
		i, _ := strconv.ParseUint(s[2:], 16, 64)
		return float64(i)
	case floatRE.MatchString(s):
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	return s
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// diagnose explains a syntax error yaml.v3 found. yaml.v3's positions are
// often off (an unclosed "[" is reported on line 1), so the chunk is
// parsed again with goccy/go-yaml, whose errors carry the exact line and
// column; yaml.v3's own message is the fallback.
func diagnose(chunk []byte, err error) yamlError {
	if _, perr := goparser.ParseBytes(chunk, 0); perr != nil {
		var ye goyaml.Error
		if errors.As(perr, &ye) && ye.GetToken() != nil {
			pos := ye.GetToken().Position
			return yamlError{line: pos.Line, column: pos.Column, msg: ye.GetMessage()}
		}
	}
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return yamlError{line: n, msg: msg[len(m[0]):]}
	}
	return yamlError{msg: strings.TrimPrefix(msg, "yaml: ")}
}
