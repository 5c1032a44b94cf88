package scaffold

import (
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// A step that cannot be loaded is named by its place (file, line, column
// and field, as the catalog names it, or its id and name) with what is
// wrong with it.
func TestLoadStepErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, steps, want string
	}{
		{"no action", "    - id: fetch\n      name: Fetch\n      input: {url: ./skeleton}\n",
			`t/template.yaml:8:7: spec.steps.0.action: is required`},
		{"an action that is a list", "    - id: a\n      action: debug:log\n    - id: b\n      action: [fetch:plain]\n",
			`t/template.yaml:11:15: spec.steps.1.action: must be a string, is a list`},
		{"an id that is a number", "    - id: 1\n      name: One\n      action: debug:log\n",
			`t/template.yaml:8:11: spec.steps.0.id: must be a string, is the number 1`},
		{"a step that is a string", "    - fetch:template\n",
			`t/template.yaml:8:7: spec.steps.0: must be a mapping, is the string "fetch:template"`},
		{"a placeholder naming no file", "    - $yaml: ./steps/missing.yaml\n",
			`t/template.yaml:8:7: spec.steps.0: placeholder $yaml cannot be read: t/steps/missing.yaml does not exist in the repository`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := load(tmpl(tc.steps), "t/template.yaml")
			if err == nil || err.Error() != tc.want {
				t.Errorf("error = %v\nwant    %s", err, tc.want)
			}
		})
	}
}

// A stored entity is what the catalog accepted, but the scaffolder does
// not take that on trust: a step it cannot run is named by its place, id
// and name.
func TestFromEntityStepErrors(t *testing.T) {
	t.Parallel()
	doc := func(steps ...any) map[string]any {
		return map[string]any{"apiVersion": APIVersion, "kind": "Template", "metadata": map[string]any{"name": "t"},
			"spec": map[string]any{"type": "service", "steps": steps}}
	}
	for _, tc := range []struct {
		name string
		doc  map[string]any
		want string
	}{
		{"no action", doc(map[string]any{"id": "fetch", "name": "Fetch"}),
			`t/template.yaml: spec.steps[0] (id "fetch", name "Fetch"): has no action; each step names the action it runs, e.g. action: fetch:template`},
		{"nothing but input", doc(map[string]any{"input": map[string]any{}}),
			`t/template.yaml: spec.steps[0]: has no action; each step names the action it runs, e.g. action: fetch:template`},
		{"an action that is a list", doc(map[string]any{"id": "b", "action": []any{"fetch:plain"}}),
			`t/template.yaml: spec.steps[0] (id "b"): action must be a string, is a list`},
		{"a step that is a string", doc("fetch:template"),
			`t/template.yaml: spec.steps[0]: must be a mapping with an action (id, name, action, input), is a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := FromEntity(tc.doc, Source{Files: catalog.MapFiles{}, File: "t/template.yaml"})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error = %v\nwant    %s", err, tc.want)
			}
		})
	}
}

// spec.presentation.buttonLabels name the form's buttons; none, or a
// presentation of the wrong shape, leaves Backstage's.
func TestButtonLabels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		presentation any
		want         ButtonLabels
	}{
		{"all three", map[string]any{"buttonLabels": map[string]any{"backButtonText": "Previous", "createButtonText": "Make it", "reviewButtonText": "Check"}},
			ButtonLabels{Back: "Previous", Create: "Make it", Review: "Check"}},
		{"one", map[string]any{"buttonLabels": map[string]any{"createButtonText": "Make it"}}, ButtonLabels{Create: "Make it"}},
		{"none", nil, ButtonLabels{}},
		{"not a mapping", "big buttons", ButtonLabels{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec := map[string]any{"type": "service", "steps": []any{}}
			if tc.presentation != nil {
				spec["presentation"] = tc.presentation
			}
			tpl, err := FromEntity(map[string]any{"apiVersion": APIVersion, "kind": "Template", "metadata": map[string]any{"name": "t"}, "spec": spec},
				Source{Files: catalog.MapFiles{}, File: "t/template.yaml"})
			if err != nil || tpl.Buttons != tc.want {
				t.Errorf("buttons = %+v, %v; want %+v", tpl.Buttons, err, tc.want)
			}
		})
	}
}
