package lint

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/nunjucks"
)

// template lints a Template document: its parameters, steps and output.
func (l *linter) template(root *yaml.Node) error {
	spec := lookup(root, "spec")
	if spec == nil {
		l.at(root, RuleYAML, Error, "no spec")
		return nil
	}
	paramsNode := lookup(spec, "parameters")
	params, err := l.parameters(paramsNode)
	if err != nil {
		return err
	}
	steps := lookup(spec, "steps")
	earlier := map[string]bool{}
	all := map[string]bool{}
	var stepNodes []*yaml.Node
	if steps != nil && steps.Kind == yaml.SequenceNode {
		for _, s := range steps.Content {
			if id := scalar(lookup(s, "id")); id != "" {
				all[id] = true
			}
		}
		stepNodes = steps.Content
	} else if steps != nil && !placeholder(steps) {
		l.at(steps, RuleYAML, Error, "spec.steps: want a list of steps")
	}
	for i, s := range stepNodes {
		s = deref(s)
		label := fmt.Sprintf("step %d", i+1)
		id := scalar(lookup(s, "id"))
		if id != "" {
			label = fmt.Sprintf("step %q", id)
		}
		if s.Kind != yaml.MappingNode {
			l.at(s, RuleYAML, Error, "%s: want a mapping with an action", label)
			continue
		}
		l.action(s, label)
		scope := stepScope{earlier: earlier, all: all, self: id, label: label}
		for _, key := range []string{"name", "if", "each", "input"} {
			if v := lookup(s, key); v != nil {
				if err := l.expressions(v, func(ref nunjucks.Reference, line, col int) {
					l.reference(ref, line, col, params, &scope)
				}); err != nil {
					return err
				}
			}
		}
		l.skeleton(s, label, params)
		if id != "" {
			earlier[id] = true
		}
	}
	// The form's expressions: a page's if, defaults and options.
	if paramsNode != nil {
		scope := stepScope{earlier: all, all: all, label: "spec.parameters"}
		if err := l.expressions(paramsNode, func(ref nunjucks.Reference, line, col int) {
			l.reference(ref, line, col, params, &scope)
		}); err != nil {
			return err
		}
	}
	if out := lookup(spec, "output"); out != nil {
		scope := stepScope{earlier: all, all: all, label: "spec.output"}
		if err := l.expressions(out, func(ref nunjucks.Reference, line, col int) {
			l.reference(ref, line, col, params, &scope)
		}); err != nil {
			return err
		}
	}
	l.unused(params)
	return nil
}

// action checks a step's action against what can run here.
func (l *linter) action(s *yaml.Node, label string) {
	a := lookup(s, "action")
	switch {
	case a == nil || scalar(a) == "":
		l.at(s, RuleMissingStepAction, Error, "%s names no action", label)
	case l.opts.HasAction != nil && !l.opts.HasAction(a.Value):
		l.at(a, RuleUnknownAction, Error, "%s: Callboard has no action %s (built in or from a plugin)", label, a.Value)
	}
}

// stepScope is what a reference to steps.<id> may name from where it is.
type stepScope struct {
	earlier, all map[string]bool
	self         string
	label        string
}

// reference checks one variable an expression reads.
func (l *linter) reference(ref nunjucks.Reference, line, col int, params *parameters, scope *stepScope) {
	if len(ref.Path) < 2 {
		if ref.Path[0] == "parameters" {
			// The whole of them, e.g. values: ${{ parameters }}.
			params.usedAll = true
		}
		return
	}
	name := ref.Path[1]
	switch ref.Path[0] {
	case "parameters":
		params.used[name] = true
		if params.known && !params.defined(name) {
			l.add(l.file, line, col, RuleUndefinedParam, Error, "%s: parameters.%s: no parameter is named %s%s", scope.label, name, name, suggest(name, params.names()))
		}
	case "secrets":
		params.used[name] = true
	case "steps":
		switch {
		case scope.earlier[name]:
			// An earlier step has the id (Backstage lets a later step
			// reuse it: steps.<id> is then the latest one's output).
		case name == scope.self:
			l.add(l.file, line, col, RuleStepOrder, Error, "%s: steps.%s is this step; its output exists only once it has run", scope.label, name)
		case scope.all[name]:
			l.add(l.file, line, col, RuleStepOrder, Error, "%s: steps.%s runs later; a step reads only the output of earlier steps", scope.label, name)
		default:
			l.add(l.file, line, col, RuleStepOrder, Error, "%s: steps.%s: no step has the id %s", scope.label, name, name)
		}
	}
}

// expressions calls f for every variable read by the `${{ }}` expressions
// of the strings under n, with the file line and column of each.
func (l *linter) expressions(n *yaml.Node, f func(ref nunjucks.Reference, line, col int)) error {
	return l.walk(n, func(s *yaml.Node) {
		if s.Kind != yaml.ScalarNode || !strings.Contains(s.Value, "${{") && !strings.Contains(s.Value, "{%") {
			return
		}
		refs, err := nunjucks.References(l.file, s.Value, nunjucks.Options{})
		var ne *nunjucks.Error
		if errors.As(err, &ne) {
			line, col := l.position(s, ne.Line, ne.Column)
			l.add(l.file, line, col, RuleExpression, Error, "%s", ne.Msg)
			return
		}
		for _, r := range refs {
			line, col := l.position(s, r.Line, r.Column)
			f(r, line, col)
		}
	})
}

// walk calls f for n and every node under it, keys included, aliases
// followed within the node budget.
func (l *linter) walk(n *yaml.Node, f func(*yaml.Node)) error {
	n = deref(n)
	if n == nil {
		return nil
	}
	if l.nodes++; l.nodes > maxNodes {
		return fmt.Errorf("%s: %w (more than %d)", l.file, ErrTooLarge, maxNodes)
	}
	f(n)
	for _, c := range n.Content {
		if err := l.walk(c, f); err != nil {
			return err
		}
	}
	return nil
}

// position maps a line and column inside a scalar's value to the file's.
func (l *linter) position(s *yaml.Node, line, col int) (int, int) {
	switch {
	case s.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// The value starts on the line after the indicator, indented.
		return s.Line + line, l.indent(s.Line+1) + col
	case line == 1:
		if s.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			col++
		}
		return s.Line, s.Column + col - 1
	}
	return s.Line + line - 1, col
}

// indent is the indentation of the first non-blank line from line on.
func (l *linter) indent(line int) int {
	if l.lines == nil {
		l.lines = strings.Split(string(l.src), "\n")
	}
	for i := line - 1; i >= 0 && i < len(l.lines); i++ {
		if t := strings.TrimLeft(l.lines[i], " "); t != "" {
			return len(l.lines[i]) - len(t)
		}
	}
	return 0
}

// suggest names the closest of names to name, when one is close.
func suggest(name string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := distance(strings.ToLower(name), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
