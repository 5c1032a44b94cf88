package lint

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
)

// Severity says whether a finding fails a lint: errors do, warnings only
// when the caller is strict.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rules, as findings name them.
const (
	RuleYAML              = "yaml"
	RuleAPIVersion        = "api-version"
	RuleUnknownAction     = "unknown-action"
	RuleUndefinedParam    = "undefined-parameter"
	RuleUnusedParam       = "unused-parameter"
	RuleUnknownField      = "unknown-field"
	RuleStepOrder         = "step-order"
	RuleSchema            = "schema"
	RuleExpression        = "expression"
	RuleUndefinedValue    = "undefined-value"
	RuleUndefinedVariable = "undefined-variable"
	RuleMissingStepAction = "missing-action"
)

// Finding is one problem, at a 1-based line and column of File.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
}

// Options say what the template may use.
type Options struct {
	// HasAction says whether an action can run here: the runner's own
	// registry (built in, or added from plugins). Nil: every action can.
	HasAction func(id string) bool
	// Fields are the ui:field names the form renders; nil: FormFields.
	Fields []string
	// Skeletons is the template's folder (an os.Root's FS, so no link
	// leads out of it): fetch:template skeletons in it are looked into.
	// Nil: they are not.
	Skeletons fs.FS
}

// maxNodes bounds the YAML nodes a lint walks, aliases expanded, so an
// alias bomb is refused rather than followed.
const maxNodes = 200_000

// ErrTooLarge is a template whose YAML expands past maxNodes.
var ErrTooLarge = errors.New("the template's YAML expands to too many nodes")

// Template lints the template file named file, whose bytes are data. A
// file that is no v1beta3 template is one finding; the error is for a
// file too large to look at.
func Template(file string, data []byte, opts Options) ([]Finding, error) {
	l := &linter{file: file, src: data, opts: opts}
	if l.opts.Fields == nil {
		l.opts.Fields = FormFields()
	}
	doc, err := l.templateDoc()
	if err != nil {
		return nil, err
	}
	if doc != nil {
		if err := l.template(doc); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(l.out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return l.out, nil
}

type linter struct {
	file  string
	src   []byte
	opts  Options
	out   []Finding
	nodes int
	lines []string // src's lines, once needed
}

func (l *linter) add(file string, line, col int, rule string, sev Severity, format string, args ...any) {
	l.out = append(l.out, Finding{File: file, Line: line, Column: col, Rule: rule, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func (l *linter) at(n *yaml.Node, rule string, sev Severity, format string, args ...any) {
	l.add(l.file, n.Line, n.Column, rule, sev, format, args...)
}

// templateDoc finds the document of the file that is a Template.
func (l *linter) templateDoc() (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(l.src))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			l.yamlError(err)
			return nil, nil
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		if kind := scalar(lookup(root, "kind")); kind == "Template" {
			if av := scalar(lookup(root, "apiVersion")); av != "scaffolder.backstage.io/v1beta3" {
				l.at(root, RuleAPIVersion, Error, "apiVersion %q: Callboard runs scaffolder.backstage.io/v1beta3 templates", av)
				return nil, nil
			}
			return root, nil
		}
	}
	l.add(l.file, 1, 1, RuleYAML, Error, "no document of kind Template")
	return nil, nil
}

// yamlError reports a file that does not parse where the catalog does
// (yaml.v3's line is off by one for some errors), else as yaml.v3 says.
func (l *linter) yamlError(err error) {
	for _, e := range catalog.ReadYAML(l.src) {
		var ye *catalog.YAMLError
		if errors.As(e, &ye) && ye.Line > 0 {
			l.add(l.file, ye.Line, max(ye.Column, 1), RuleYAML, Error, "%s", ye.Message)
			return
		}
	}
	l.add(l.file, 1, 1, RuleYAML, Error, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
}

// lookup returns the value of key in a mapping node, nil when absent.
func lookup(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// deref follows an alias to what it names.
func deref(n *yaml.Node) *yaml.Node {
	for range 100 {
		if n == nil || n.Kind != yaml.AliasNode {
			return n
		}
		n = n.Alias
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// placeholder says whether a node is a $yaml, $json or $text placeholder,
// whose value the catalog reads from elsewhere.
func placeholder(n *yaml.Node) bool {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return false
	}
	return strings.HasPrefix(n.Content[0].Value, "$")
}
