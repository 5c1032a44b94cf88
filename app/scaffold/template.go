package scaffold

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/sync/remote"
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
	// Buttons are spec.presentation.buttonLabels.
	Buttons ButtonLabels
	// Files reads the repository the template is in; Dir is the folder of
	// its template.yaml there, which relative fetch URLs start from. Home
	// is that repository: fetch URLs into it are read from Files.
	Files catalog.Files
	Dir   string
	Home  remote.Home
	// File is the template's file in its repository, for errors.
	File string
}

// ButtonLabels are the form's button texts a template sets ("" for
// Backstage's: Back, Create, Review).
type ButtonLabels struct {
	Back, Create, Review string
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
	// Line is where the step starts in the template's file, InputLines
	// where each of its inputs is written; 0 and nil when not known (a
	// placeholder brought them).
	Line       int
	InputLines map[string]int
}

// Source is where a template entity was read from: the files of its
// repository at the commit the catalog shows, the file, and which
// repository that is, so a fetch URL into it is read from Files with no
// network.
type Source struct {
	Files catalog.Files
	File  string
	Home  remote.Home
}

// Load reads the template named name (any, when "") from src.File the way
// the catalog reads it: catalog.Process over that file, so placeholders
// ($yaml, $json, $text) anywhere in it are resolved exactly as in the
// catalog (those naming a URL through opts.Remote), and a template the
// catalog refuses is refused with the catalog's errors.
func Load(ctx context.Context, src Source, name string, opts catalog.Options) (Template, error) {
	res := catalog.Process(ctx, src.Files, opts, src.File)
	var found []string
	for _, v := range res.Verdicts {
		if v.Kind != "Template" || v.Source.File != src.File {
			continue
		}
		ref, err := catalog.ParseRef(v.Ref, "template", catalog.DefaultNamespace)
		if err != nil {
			continue
		}
		found = append(found, ref.Name)
		if name != "" && ref.Name != name {
			continue
		}
		if len(v.Errors) > 0 {
			// The catalog's errors name the file, line and field.
			return Template{}, errors.New(joinErrors(v.Errors))
		}
		for _, p := range res.Entities {
			if p.Entity.Ref().String() == v.Ref {
				return FromEntity(p.Entity.Raw, src)
			}
		}
	}
	switch {
	case len(found) > 0:
		return Template{}, fmt.Errorf("%s has templates %s, not %s", src.File, strings.Join(found, ", "), name)
	case len(res.Errors) > 0:
		return Template{}, errors.New(joinErrors(res.Errors))
	}
	return Template{}, fmt.Errorf("%s holds no kind: Template", src.File)
}

func joinErrors(errs []catalog.Error) string {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// FromEntity makes a Template of a template entity as the catalog
// processed it (the stored entity's document, placeholders resolved):
// what runs is what the catalog shows, no value of it read again from the
// file. That document is Go maps, which forget the author's key order
// (the form's field order, the order of values a skeleton iterates); the
// order alone is taken from src.File and the local files its placeholders
// name, when they can be read, and keys they lack come after, sorted.
func FromEntity(doc map[string]any, src Source) (Template, error) {
	meta, _ := doc["metadata"].(map[string]any)
	name, _ := meta["name"].(string)
	t, err := parse(ordered(doc, src.keyOrder(name), src.follow), src.File)
	if err != nil {
		return Template{}, err
	}
	t.Files, t.Dir, t.Home, t.File = src.Files, path.Dir(src.File), src.Home, src.File
	if lines := src.stepLines(name); len(lines) == len(t.Steps) {
		for i, l := range lines {
			t.Steps[i].Line, t.Steps[i].InputLines = l.Line, l.InputLines
		}
	}
	return t, nil
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
	presentation, _ := get(spec, "presentation")
	labels, _ := get(presentation, "buttonLabels")
	t.Buttons.Back, _ = str(labels, "backButtonText")
	t.Buttons.Create, _ = str(labels, "createButtonText")
	t.Buttons.Review, _ = str(labels, "reviewButtonText")
	steps, _ := get(spec, "steps")
	list, ok := steps.([]any)
	if steps != nil && !ok {
		return fail("spec.steps: want a list")
	}
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
		}
		// Ids may repeat, as in Backstage: each step that runs sets
		// steps.<id>.output anew, so a later step reads the last of them.
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
	switch s.(type) {
	case *nunjucks.Object, map[string]any:
	default:
		return st, fmt.Errorf("must be a mapping with an action (id, name, action, input), is %s", describe(s))
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
