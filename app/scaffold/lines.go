package scaffold

import (
	"errors"
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
)

// stepLines reads where src.File writes the steps of template name: each
// step's line and its inputs' lines, in order; nil when the file cannot
// be read or its steps are not written there (a placeholder brings them).
func (src Source) stepLines(name string) []Step {
	data, err := catalog.ReadLimited(src.Files, src.File)
	if err != nil {
		return nil
	}
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			continue
		}
		kind, _ := doc.Scalar("kind")
		n, _ := doc.Scalar("metadata", "name")
		if kind != "Template" || n != name {
			continue
		}
		root, err := doc.Node()
		if err != nil {
			return nil
		}
		// Node lines count from the document's start; Line from the file's.
		offset := doc.Line() - root.Line
		steps := mappingValue(mappingValue(root, "spec"), "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			return nil
		}
		out := make([]Step, len(steps.Content))
		for i, s := range steps.Content {
			if s.Kind != yaml.MappingNode || mappingValue(s, "$yaml") != nil || mappingValue(s, "$json") != nil {
				continue
			}
			out[i].Line = s.Line + offset
			in := mappingValue(s, "input")
			if in == nil || in.Kind != yaml.MappingNode {
				continue
			}
			out[i].InputLines = map[string]int{}
			for j := 0; j+1 < len(in.Content); j += 2 {
				out[i].InputLines[in.Content[j].Value] = in.Content[j].Line + offset
			}
		}
		return out
	}
	return nil
}

// mappingValue is the value of key in mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// stepAt names step i of t in errors: the template's file and the step's
// line when known, and the step, e.g. `t/template.yaml:42 step "publish"`.
func (t Template) stepAt(i int) string {
	return t.at(t.Steps[i].Line) + " step " + strconv.Quote(t.Steps[i].shortName())
}

// inputAt names input key of step i, at the line that writes it (the
// step's when not known).
func (t Template) inputAt(i int, key string) string {
	s := t.Steps[i]
	line := s.Line
	if l, ok := s.InputLines[inputKey(key)]; ok {
		line = l
	}
	return t.at(line) + " step " + strconv.Quote(s.shortName())
}

func (t Template) at(line int) string {
	if line <= 0 {
		return t.File
	}
	return fmt.Sprintf("%s:%d", t.File, line)
}

// inputKey is the top-level input an input path is in: files[0].from is
// in files.
func inputKey(path string) string {
	for i, r := range path {
		if r == '[' || r == '.' {
			return path[:i]
		}
	}
	return path
}

// shortName is how errors name a step: its id, else its name, else its
// action.
func (s Step) shortName() string {
	if s.ID != "" && s.ID != "undefined" {
		return s.ID
	}
	return cmpOr(s.Name, s.Action)
}

// stepError says where step i of t failed: at the input the error is
// about (an *InputError), else at the step.
func (t Template) stepError(i int, err error) error {
	if in, ok := errors.AsType[*InputError](err); ok {
		return fmt.Errorf("%s: %w", t.inputAt(i, in.Input), err)
	}
	return fmt.Errorf("%s: %w", t.stepAt(i), err)
}
