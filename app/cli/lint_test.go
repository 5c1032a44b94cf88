package cli

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/portal/portaltest"
	"github.com/callboard/callboard/app/scaffold/lint"
)

// template lint: findings as file:line:col, --json for CI, exit 1 on
// errors, on warnings only with --strict.
func TestTemplateLint(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	write := func(src string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	const head = "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec:\n  type: x\n"
	clean := write(head + "  parameters:\n    properties:\n      name: {type: string}\n  steps:\n    - {id: log, action: debug:log, input: {message: '${{ parameters.name }}'}}\n")
	warned := write(head + "  parameters:\n    properties:\n      name: {type: string}\n  steps:\n    - {id: log, action: debug:log}\n")
	broken := write(head + "  steps:\n    - {id: log, action: acme:nope, input: {message: '${{ parameters.name }}'}}\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
	}{
		{"clean", []string{clean}, 0, []string{"0 errors, 0 warnings"}},
		{"warning", []string{warned}, 0, []string{"template.yaml:8:7: warning: parameter name is never used", "[unused-parameter]", "0 errors, 1 warning"}},
		{"strict", []string{warned, "--strict"}, 1, []string{"0 errors, 1 warning"}},
		{"errors", []string{broken, clean}, 1, []string{"template.yaml:7:25: error: step \"log\": Callboard has no action acme:nope", "template.yaml:7:58: error: step \"log\": parameters.name: no parameter is named name", "2 errors, 0 warnings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := run(ctx, nil, nil, append([]string{"template", "lint"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, r.stdout)
				}
			}
		})
	}
	r := run(ctx, nil, nil, "template", "lint", broken, "--json")
	var rep lintReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 1 || rep.Errors != 2 || rep.Findings[0].Rule != lint.RuleUnknownAction {
		t.Errorf("--json: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	// The demo organisation's templates have nothing to report.
	demo, _ := filepath.Glob("../../demo/repo/templates/*")
	if r := run(ctx, nil, nil, append([]string{"template", "lint", "--strict"}, demo...)...); len(demo) < 3 || r.code != 0 || !strings.Contains(r.stdout, "0 errors, 0 warnings") {
		t.Errorf("demo templates %v: exit %d\n%s%s", demo, r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"template", "lint"}, {"template", "lint", t.TempDir()}} {
		if r := run(ctx, nil, nil, args...); r.code != 2 {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
}

// pluginActions is a running instance as template lint sees it: it
// answers Info and lists one plugin's action.
type pluginActions struct{ portal.API }

func (pluginActions) Info(context.Context) (portal.Info, error) { return portal.Info{}, nil }

func (pluginActions) ScaffoldActions(context.Context) ([]portal.ScaffoldAction, error) {
	return []portal.ScaffoldAction{
		{ID: "acme:deploy", Source: portal.ActionPlugin, Plugin: "acme"},
		{ID: "kube:apply", Source: portal.ActionUnavailable, Why: "needs a server"},
	}, nil
}

// With an instance running on the data dir, its plugins' actions are
// known; an action Callboard cannot run stays unknown.
func TestTemplateLintKnowsARunningInstancesPlugins(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	root := t.TempDir()
	ln, err := net.Listen("unix", instance.PathsOf(root).Socket)
	if err != nil {
		t.Fatal(err)
	}
	portaltest.Serve(t, httpapi.New(pluginActions{}, httpapi.Options{LoopbackOnly: true, Log: portaltest.Quiet}), ln)
	dir := t.TempDir()
	src := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec:\n  type: x\n  steps:\n" +
		"    - {id: deploy, action: acme:deploy}\n    - {id: apply, action: kube:apply}\n"
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		dataDir string
		want    string
	}{
		{root, "1 error, 0 warnings"},
		{t.TempDir(), "2 errors, 0 warnings"},
	} {
		r := run(ctx, nil, nil, "template", "lint", dir, "--data-dir", tt.dataDir)
		if r.code != 1 || !strings.Contains(r.stdout, tt.want) || strings.Contains(r.stdout, "acme:deploy") == (tt.dataDir == root) {
			t.Errorf("data dir %s: exit %d, want %q\n%s%s", tt.dataDir, r.code, tt.want, r.stdout, r.stderr)
		}
	}
}
