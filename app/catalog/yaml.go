package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	goyaml "github.com/goccy/go-yaml"
	goparser "github.com/goccy/go-yaml/parser"
	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest catalog file read; descriptor files are small,
// and a bigger one is almost always a mistake or an attack.
const MaxFileSize = 10 << 20

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

// YAMLError is a problem with a file's YAML, at a file line and column
// and, when it lies inside the document, a field (keys and indexes
// joined by dots).
type YAMLError struct {
	Line, Column int
	Field        string
	Message      string
}

func (e *YAMLError) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, msg)
	}
	return msg
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
func readDocuments(data []byte) ([]document, []YAMLError) {
	var docs []document
	var errs []YAMLError
	for doc, err := range parseDocuments(data) {
		if err != nil {
			errs = append(errs, *err)
			continue
		}
		v, err := doc.decode(nil)
		if err != nil {
			errs = append(errs, *err)
			continue
		}
		if v == nil {
			continue
		}
		doc.value = v
		docs = append(docs, *doc)
	}
	return docs, errs
}

// parseDocuments parses the documents of a file one at a time, into nodes
// that are not decoded yet; empty documents are skipped. A file that is
// not UTF-8 is one error.
func parseDocuments(data []byte) iter.Seq2[*document, *YAMLError] {
	return func(yield func(*document, *YAMLError) bool) {
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
			yield(nil, &YAMLError{Line: 1 + bytes.Count(data[:bad], []byte("\n")), Message: "file is not valid UTF-8 text"})
			return
		}
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		chunks, offsets := splitDocuments(data)
		for i, chunk := range chunks {
			if bytes.HasPrefix(chunk, []byte("...")) {
				chunk = chunk[3:] // a document end marker with nothing of its own after it
			}
			var root yaml.Node
			if err := yaml.Unmarshal(chunk, &root); err != nil {
				e := diagnose(chunk, err)
				if e.Line > 0 {
					e.Line += offsets[i]
				}
				if !yield(nil, &e) {
					return
				}
				continue
			}
			if len(root.Content) == 0 {
				continue
			}
			if !yield(&document{node: root.Content[0], offset: offsets[i]}, nil) {
				return
			}
		}
	}
}

// decode turns the document into JSON-like Go values (map[string]any,
// []any, string, float64, bool and nil), once checkBudget has found its
// aliases expand within the budget. Mappings are built by newMapping when
// it is set, so a caller can keep their order.
func (d *document) decode(newMapping func(size int) Mapping) (any, *YAMLError) {
	if err := d.checkBudget(); err != nil {
		return nil, err
	}
	return d.decodeNode(d.node, newMapping)
}

func (d *document) decodeNode(n *yaml.Node, newMapping func(size int) Mapping) (any, *YAMLError) {
	switch n.Kind {
	case yaml.AliasNode:
		return d.decodeNode(n.Alias, newMapping)
	case yaml.ScalarNode:
		return scalar(n), nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := d.decodeNode(c, newMapping)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		size := len(n.Content) / 2
		seen := make(jsonObject, size) // the mapping itself, unless newMapping builds it
		var out Mapping = seen
		if newMapping != nil {
			out = newMapping(size)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			for k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				msg := "mapping keys must be plain values, not lists or mappings"
				if k.Kind == yaml.MappingNode && k.Style&n.Style&yaml.FlowStyle != 0 {
					// {{x}} is how cookiecutter and other template skeletons write values.
					msg += "; {{ }} reads as a mapping inside a mapping: a template value left unrendered? Quote it"
				}
				return nil, &YAMLError{Line: d.line(k), Column: k.Column, Message: msg}
			}
			key := keyString(scalar(k))
			if _, dup := seen[key]; dup {
				return nil, &YAMLError{Line: d.line(n.Content[i]), Column: n.Content[i].Column, Message: fmt.Sprintf("duplicate key %q: map keys must be unique", key)}
			}
			v, err := d.decodeNode(n.Content[i+1], newMapping)
			if err != nil {
				return nil, err
			}
			out.Set(key, v)
			if newMapping != nil {
				seen[key] = nil
			}
		}
		if newMapping == nil {
			return map[string]any(seen), nil
		}
		return out, nil
	}
	return nil, nil
}

// Mapping receives a YAML mapping's pairs in the order they are written.
type Mapping interface {
	Set(key string, v any)
}

// jsonObject is the Mapping the catalog decodes into.
type jsonObject map[string]any

func (o jsonObject) Set(key string, v any) { o[key] = v }

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
	intRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[-+]?[0-9]+$`) })
	octRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^0o[0-7]+$`) })
	hexRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^0x[0-9a-fA-F]+$`) })
	floatRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$`)
	})
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
	case intRE().MatchString(s):
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return float64(i)
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case octRE().MatchString(s):
		i, _ := strconv.ParseUint(s[2:], 8, 64)
		return float64(i)
	case hexRE().MatchString(s):
		i, _ := strconv.ParseUint(s[2:], 16, 64)
		return float64(i)
	case floatRE().MatchString(s):
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	return s
}

var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): `) })

// diagnose explains a syntax error yaml.v3 found. yaml.v3's positions are
// often off (an unclosed "[" is reported on line 1), so the chunk is
// parsed again with goccy/go-yaml, whose errors carry the exact line and
// column; yaml.v3's own message is the fallback. goccy counts a comment
// ending in CRLF as two lines, so it reads the chunk with LF line ends:
// the same lines and columns.
func diagnose(chunk []byte, err error) YAMLError {
	if _, perr := goparser.ParseBytes(bytes.ReplaceAll(chunk, []byte("\r\n"), []byte("\n")), 0); perr != nil {
		var ye goyaml.Error
		if errors.As(perr, &ye) && ye.GetToken() != nil {
			pos := ye.GetToken().Position
			return YAMLError{Line: pos.Line, Column: pos.Column, Message: ye.GetMessage()}
		}
	}
	msg := err.Error()
	if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return YAMLError{Line: n, Message: msg[len(m[0]):]}
	}
	e := YAMLError{Message: strings.TrimPrefix(msg, "yaml: ")}
	m := unknownAnchorRE().FindStringSubmatch(msg)
	if m == nil {
		// yaml.v3 counts lines from 0 and names none for the first line's
		// syntax errors.
		e.Line = 1
		return e
	}
	// Nor does it place an alias to an anchor nobody defined.
	e.Line = 1
	if i := aliasAt(chunk, m[1]); i >= 0 {
		before := chunk[:i]
		e.Line = 1 + bytes.Count(before, []byte("\n"))
		e.Column = 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	}
	return e
}

var unknownAnchorRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`) })

// aliasAt finds where chunk first uses the alias *name, not followed by
// more of a longer name, or -1.
func aliasAt(chunk []byte, name string) int {
	token := []byte("*" + name)
	for off := 0; ; {
		i := bytes.Index(chunk[off:], token)
		if i < 0 {
			return -1
		}
		end := off + i + len(token)
		if end == len(chunk) || !isAnchorByte(chunk[end]) {
			return off + i
		}
		off = end
	}
}

func isAnchorByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}
