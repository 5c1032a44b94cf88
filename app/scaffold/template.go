package scaffold

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

// APIVersion is the template format Callboard runs.
const APIVersion = "scaffolder.backstage.io/v1beta3"

// Template is a software template ready to run.
type Template struct {
	// Ref is template:NAMESPACE/NAME.
	Ref         string
	Name        string
	Title       string
	Description string
	// Parameters is spec.parameters as written: one JSON Schema object or
	// a list of them (form pages).
	Parameters any
	Steps      []Step
	// Output is spec.output: links and text, rendered after the steps.
	Output any
	// Files reads the repository the template is in; Dir is the folder of
	// its template.yaml there, which relative fetch URLs start from.
	Files catalog.Files
	Dir   string
}

// Step is one of spec.steps.
type Step struct {
	ID     string
	Name   string
	Action string
	Input  any
	// If and Each are as written (a boolean, a list or a `${{ }}` string);
	// nil when absent.
	If   any
	Each any
}

// Load reads the template named name (any, when "") from file in files.
// The file is read as catalog files are, through the catalog's YAML
// budget, one document at a time: documents of other kinds or names are
// never decoded, and the template's keeps the author's key order, as the
// JavaScript objects Backstage renders from do.
func Load(files catalog.Files, file, name string) (Template, error) {
	data, err := catalog.ReadLimited(files, file)
	if err != nil {
		return Template{}, fmt.Errorf("read template %s: %w", file, err)
	}
	var found []string
	var broken error // the first document that did not parse, if no template is found
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			broken = cmp.Or(broken, err)
			continue
		}
		if kind, _ := doc.Scalar("kind"); kind != "Template" {
			continue
		}
		n, _ := doc.Scalar("metadata", "name")
		found = append(found, n)
		if name != "" && n != name {
			continue
		}
		v, err := doc.Decode(func(int) catalog.Mapping { return nunjucks.NewObject() })
		if err != nil {
			return Template{}, fmt.Errorf("%s: %w", file, err)
		}
		t, err := parse(v, file)
		if err != nil {
			return Template{}, err
		}
		t.Files, t.Dir = files, path.Dir(file)
		return t, nil
	}
	switch {
	case len(found) > 0:
		return Template{}, fmt.Errorf("%s has templates %s, not %s", file, strings.Join(found, ", "), name)
	case broken != nil:
		return Template{}, fmt.Errorf("%s: %w", file, broken)
	}
	return Template{}, fmt.Errorf("%s holds no kind: Template", file)
}

func parse(v any, file string) (Template, error) {
	fail := func(format string, args ...any) (Template, error) {
		return Template{}, fmt.Errorf("%s: %s", file, fmt.Sprintf(format, args...))
	}
	if av, _ := str(v, "apiVersion"); av != APIVersion {
		return fail("apiVersion %q: Callboard runs %s templates", av, APIVersion)
	}
	meta, _ := get(v, "metadata")
	t := Template{}
	t.Name, _ = str(meta, "name")
	ns, _ := str(meta, "namespace")
	if ns == "" {
		ns = catalog.DefaultNamespace
	}
	t.Ref = "template:" + ns + "/" + t.Name
	t.Title, _ = str(meta, "title")
	t.Description, _ = str(meta, "description")
	spec, ok := get(v, "spec")
	if !ok {
		return fail("no spec")
	}
	t.Parameters, _ = get(spec, "parameters")
	t.Output, _ = get(spec, "output")
	steps, _ := get(spec, "steps")
	list, ok := steps.([]any)
	if steps != nil && !ok {
		return fail("spec.steps: want a list")
	}
	ids := map[string]int{}
	for i, s := range list {
		st, err := parseStep(s)
		at := fmt.Sprintf("spec.steps[%d]", i)
		if label := st.label(); label != "" {
			at += " (" + label + ")"
		}
		if err != nil {
			return fail("%s: %v", at, err)
		}
		if st.ID == "" {
			// Backstage keys the outputs of a step without id by "undefined".
			st.ID = "undefined"
		} else if first, dup := ids[st.ID]; dup {
			return fail("%s: spec.steps[%d] has this id already; step ids must be unique", at, first)
		} else {
			ids[st.ID] = i
		}
		if st.Name == "" {
			st.Name = cmpOr(strings.TrimPrefix(st.ID, "undefined"), st.Action)
		}
		t.Steps = append(t.Steps, st)
	}
	return t, nil
}

// parseStep reads one of spec.steps; the step holds what could be read of
// its id and name even when it fails, so the error can say which step.
func parseStep(s any) (Step, error) {
	var st Step
	size := 0
	switch o := s.(type) {
	case *nunjucks.Object:
		size = o.Len()
	case map[string]any:
		size = len(o)
	default:
		return st, fmt.Errorf("must be a mapping with an action (id, name, action, input), is %s", describe(s))
	}
	for _, p := range []string{"$yaml", "$json", "$text"} {
		if target, ok := get(s, p); ok && size == 1 {
			return st, fmt.Errorf("is a %s placeholder (%v), which Callboard does not resolve in a template's steps", p, target)
		}
	}
	st.Name, _ = stepString(s, "name")
	id, err := stepString(s, "id")
	if err != nil {
		return st, err
	}
	st.ID = id
	if st.Action, err = stepString(s, "action"); err != nil {
		return st, err
	}
	if st.Action == "" {
		return st, errors.New("has no action; each step names the action it runs, e.g. action: fetch:template")
	}
	st.Input, _ = get(s, "input")
	if st.Input == nil {
		st.Input = nunjucks.NewObject()
	}
	st.If, _ = get(s, "if")
	st.Each, _ = get(s, "each")
	return st, nil
}

// stepString reads a string field of a step; absent is "".
func stepString(s any, key string) (string, error) {
	v, ok := get(s, key)
	if !ok || v == nil {
		return "", nil
	}
	str, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string, is %s", key, describe(v))
	}
	return str, nil
}

// label names a step by its id and name, as far as it has them.
func (st Step) label() string {
	var parts []string
	if st.ID != "" {
		parts = append(parts, fmt.Sprintf("id %q", st.ID))
	}
	if st.Name != "" {
		parts = append(parts, fmt.Sprintf("name %q", st.Name))
	}
	return strings.Join(parts, ", ")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
