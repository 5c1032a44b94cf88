package portal

import (
	"context"
	"strings"
	"testing"
)

// An enabled plugin's action is listed with the plugin's name, its
// description, its input schema and a step made from it.
func TestScaffoldActionsListPlugins(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	installFixture(t, dir, "ok")
	s := demoService(t, withPlugins(t, dir, nil))
	actions, err := s.ScaffoldActions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, a := range actions {
		if a.ID != "ok:greet" {
			continue
		}
		found = true
		if a.Source != ActionPlugin || a.Plugin != "ok" || a.Description != "writes hello.txt" || !strings.Contains(string(a.InputSchema), `"name"`) || a.Why != "" {
			t.Errorf("ok:greet = %+v", a)
		}
		if len(a.Examples) != 1 || !strings.Contains(a.Examples[0], "action: ok:greet\n  input:\n    name: ${{ parameters.name }}") {
			t.Errorf("ok:greet's example = %q", a.Examples)
		}
	}
	if !found {
		t.Errorf("the plugin's action is not listed: %+v", actions)
	}
}
