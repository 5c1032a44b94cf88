package scaffold

import (
	"slices"
	"strings"
	"testing"
)

// Errors name the template's file and line, the step and the input: the
// input an action refused, the input that did not render, or the step
// whose action failed.
func TestStepErrorPositions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, steps, want string
	}{
		{"an input the action refuses", "    - id: log\n      action: debug:log\n    - id: publish\n      action: publish:github\n      input:\n        description: x\n        repoUrl: nohost\n",
			`t/template.yaml:14 step "publish": input repoUrl: repoUrl "nohost": want host?owner=…&repo=…`},
		{"an input of the wrong type", "    - id: log\n      action: debug:log\n      input:\n        message: [a]\n",
			`t/template.yaml:11 step "log": input message: want a string, got a list`},
		{"an input that renders to nothing", "    - id: publish\n      action: publish:gitlab\n      input:\n        sourcePath: .\n        repoUrl: ${{ parameters.repoUrl }}\n",
			`t/template.yaml:12 step "publish": input repoUrl: repoUrl "": want host?owner=…&repo=…`},
		{"an action that fails", "    - id: register\n      action: catalog:register\n      input:\n        repoContentsUrl: https://github.com/o/r/blob/main\n",
			`t/template.yaml:8 step "register": the new project has no catalog-info.yaml to register`},
		{"a step without id", "    - action: catalog:register\n      input: {catalogInfoUrl: https://github.com/o/r/blob/main/x.yaml}\n",
			`t/template.yaml:8 step "catalog:register": the new project has no x.yaml to register`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, _ := run(t, tmpl(tc.steps), "t/template.yaml", Request{DryRun: true, Values: values(t, `{"name":"x"}`)})
			if res.Status != Failed || !strings.HasPrefix(res.Error, tc.want) {
				t.Errorf("%s: %q\nwant an error starting %q", res.Status, res.Error, tc.want)
			}
			failed := slices.IndexFunc(res.Steps, func(s StepResult) bool { return s.Status == Failed })
			if failed < 0 || !strings.HasPrefix(res.Steps[failed].Error, tc.want) {
				t.Errorf("steps %+v: want the failed one's error to start %q", res.Steps, tc.want)
			}
		})
	}
}
