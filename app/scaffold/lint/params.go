package lint

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// parameters is what spec.parameters defines, and what reads it.
type parameters struct {
	// known is false when the parameters could not be read (a
	// placeholder): references to them are not checked.
	known bool
	// defs are the top-level properties of every page, conditional ones
	// included, by name: the key node of the first definition.
	defs map[string]*yaml.Node
	used map[string]bool
	// usedAll: an expression reads the parameters as a whole.
	usedAll bool
}

func (p *parameters) defined(name string) bool { _, ok := p.defs[name]; return ok }

func (p *parameters) names() []string { return slices.Sorted(maps.Keys(p.defs)) }

// parameters reads spec.parameters (one JSON Schema, or a list of pages)
// and checks its schemas and ui:fields.
func (l *linter) parameters(n *yaml.Node) (*parameters, error) {
	p := &parameters{defs: map[string]*yaml.Node{}, used: map[string]bool{}}
	if n == nil {
		p.known = true
		return p, nil
	}
	if placeholder(n) {
		return p, nil
	}
	pages := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		pages = n.Content
	}
	p.known = true
	for i, page := range pages {
		page = deref(page)
		if placeholder(page) {
			p.known = false
			continue
		}
		if page.Kind != yaml.MappingNode {
			l.at(page, RuleSchema, Error, "parameters page %d: want a JSON Schema object", i+1)
			continue
		}
		l.topLevel(page, p, 0)
		if err := l.schema(page, i, len(pages) > 1); err != nil {
			return nil, err
		}
	}
	if err := l.walk(n, func(m *yaml.Node) { l.uiField(m, p) }); err != nil {
		return nil, err
	}
	return p, nil
}

// topLevel collects the properties a page defines at its top level,
// through the combinators and conditions that add properties to it, and
// marks the parameters its conditions and dependencies read as used.
func (l *linter) topLevel(s *yaml.Node, p *parameters, depth int) {
	s = deref(s)
	if s == nil || s.Kind != yaml.MappingNode || depth > 32 {
		return
	}
	if props := lookup(s, "properties"); props != nil && props.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(props.Content); i += 2 {
			if k := props.Content[i]; p.defs[k.Value] == nil {
				p.defs[k.Value] = k
			}
		}
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		if list := lookup(s, key); list != nil && list.Kind == yaml.SequenceNode {
			for _, sub := range list.Content {
				l.topLevel(sub, p, depth+1)
			}
		}
	}
	for _, key := range []string{"then", "else"} {
		l.topLevel(lookup(s, key), p, depth+1)
	}
	if cond := lookup(s, "if"); cond != nil {
		// A condition reads the parameters it names.
		if props := lookup(cond, "properties"); props != nil && props.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(props.Content); i += 2 {
				p.used[props.Content[i].Value] = true
			}
		}
		for _, r := range requiredNames(lookup(cond, "required")) {
			p.used[r] = true
		}
	}
	if deps := lookup(s, "dependencies"); deps != nil && deps.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(deps.Content); i += 2 {
			p.used[deps.Content[i].Value] = true
			l.topLevel(deps.Content[i+1], p, depth+1)
		}
	}
}

func requiredNames(n *yaml.Node) []string {
	var out []string
	if n != nil && n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			out = append(out, c.Value)
		}
	}
	return out
}

// uiField checks a ui:field against the fields the form renders.
func (l *linter) uiField(m *yaml.Node, p *parameters) {
	if m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "ui:field" {
			continue
		}
		v := deref(m.Content[i+1])
		if v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		if !slices.Contains(l.opts.Fields, v.Value) && !strings.EqualFold(v.Value, "secret") {
			l.at(v, RuleUnknownField, Error, "ui:field %s: the form has no such field%s", v.Value, suggest(v.Value, l.opts.Fields))
		}
	}
}

// unused warns of parameters nothing reads.
func (l *linter) unused(p *parameters) {
	if !p.known || p.usedAll {
		return
	}
	for _, name := range p.names() {
		if !p.used[name] {
			k := p.defs[name]
			l.at(k, RuleUnusedParam, Warning, "parameter %s is never used: no step, output or condition reads parameters.%s", name, name)
		}
	}
}

// schema checks a page against JSON Schema draft 7's metaschema, the
// draft the form's validator (ajv) reads parameters as; nothing is
// loaded by URL.
func (l *linter) schema(page *yaml.Node, index int, many bool) error {
	v, err := l.value(page, 0)
	if err != nil {
		return err
	}
	if m, ok := v.(map[string]any); ok {
		if _, expr := m["if"].(string); expr {
			// A page shown on a condition (`if: ${{ … }}`) is Backstage's,
			// not JSON Schema's: the form takes it out before validating.
			delete(m, "if")
		}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.UseLoader(noLoader{})
	const url = "mem:///parameters.json"
	if err := c.AddResource(url, v); err != nil {
		l.at(page, RuleSchema, Error, "parameters: %v", err)
		return nil
	}
	_, err = c.Compile(url)
	var sve *jsonschema.SchemaValidationError
	if errors.As(err, &sve) {
		var ve *jsonschema.ValidationError
		if errors.As(sve.Err, &ve) {
			english := message.NewPrinter(language.English)
			seen := map[string]bool{}
			for _, leaf := range leaves(ve) {
				// Alternatives of one keyword (type: a name or a list)
				// fail together: the first says enough.
				if loc := strings.Join(leaf.InstanceLocation, "/"); seen[loc] {
					continue
				} else {
					seen[loc] = true
				}
				at := nodeAt(page, leaf.InstanceLocation)
				l.at(at, RuleSchema, Error, "%s: %s", pointer(index, many, leaf.InstanceLocation), leaf.ErrorKind.LocalizedString(english))
			}
			return nil
		}
	}
	if err != nil {
		l.at(page, RuleSchema, Error, "parameters%s: %v", pageSuffix(index, many), err)
	}
	return nil
}

func pageSuffix(index int, many bool) string {
	if many {
		return fmt.Sprintf(" page %d", index+1)
	}
	return ""
}

// pointer names a place in the parameters as a JSON pointer.
func pointer(index int, many bool, loc []string) string {
	p := "parameters"
	if many {
		p += "/" + strconv.Itoa(index)
	}
	for _, t := range loc {
		p += "/" + t
	}
	return p
}

// leaves are the errors without causes: the ones that say what is wrong.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// nodeAt finds the node a JSON pointer's tokens name under n, as far as
// it exists.
func nodeAt(n *yaml.Node, loc []string) *yaml.Node {
	for _, tok := range loc {
		n = deref(n)
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					next = n.Content[i+1]
					if deref(next).Kind == yaml.ScalarNode {
						// The key says better where a wrong value is.
						next = n.Content[i]
					}
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// value is a node as the JSON value it stands for, within the node budget.
func (l *linter) value(n *yaml.Node, depth int) (any, error) {
	n = deref(n)
	if l.nodes++; l.nodes > maxNodes || depth > 256 {
		return nil, fmt.Errorf("%s: %w", l.file, ErrTooLarge)
	}
	if n == nil {
		return nil, nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := l.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := l.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return n.Value, nil
		}
		switch x := v.(type) {
		case int, int64, uint64, float64, bool, string, nil:
			return x, nil
		}
		return n.Value, nil
	}
	return nil, nil
}

// noLoader refuses to load schemas by URL: a template's $ref reaches
// neither the disk nor the network.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("%s: a parameter schema may refer only within itself", url)
}
