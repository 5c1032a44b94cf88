package scaffold

import (
	"testing"
)

// A step that cannot be loaded is named by its place, id and name, with
// what is wrong with it.
func TestLoadStepErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, steps, want string
	}{
		{"no action", "    - id: fetch\n      name: Fetch\n      input: {url: ./skeleton}\n",
			`t/template.yaml: spec.steps[0] (id "fetch", name "Fetch"): has no action; each step names the action it runs, e.g. action: fetch:template`},
		{"no action, no id", "    - name: Fetch\n",
			`t/template.yaml: spec.steps[0] (name "Fetch"): has no action; each step names the action it runs, e.g. action: fetch:template`},
		{"nothing but input", "    - input: {}\n",
			`t/template.yaml: spec.steps[0]: has no action; each step names the action it runs, e.g. action: fetch:template`},
		{"an action that is a list", "    - id: a\n      action: debug:log\n    - id: b\n      action: [fetch:plain]\n",
			`t/template.yaml: spec.steps[1] (id "b"): action must be a string, is a list`},
		{"an id that is a number", "    - id: 1\n      name: One\n      action: debug:log\n",
			`t/template.yaml: spec.steps[0] (name "One"): id must be a string, is a number`},
		{"a step that is a string", "    - fetch:template\n",
			`t/template.yaml: spec.steps[0]: must be a mapping with an action (id, name, action, input), is a string`},
		{"a placeholder", "    - $yaml: ./steps/fetch.yaml\n",
			`t/template.yaml: spec.steps[0]: is a $yaml placeholder (./steps/fetch.yaml), which Callboard does not resolve in a template's steps`},
		{"a repeated id", "    - id: a\n      action: debug:log\n    - id: a\n      name: Again\n      action: debug:log\n",
			`t/template.yaml: spec.steps[1] (id "a", name "Again"): spec.steps[0] has this id already; step ids must be unique`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(tmpl(tc.steps), "t/template.yaml", "")
			if err == nil || err.Error() != tc.want {
				t.Errorf("error = %v\nwant    %s", err, tc.want)
			}
		})
	}
}
