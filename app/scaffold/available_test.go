package scaffold

import (
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

const serverSteps = `    - id: argo
      name: Create the Argo CD app
      action: argocd:create-resources
      input: {appName: x}
    - id: show
      action: debug:log
      input: {message: '[${{ steps.argo.output.url }}]'}
    - id: hook
      if: false
      action: acme:deploy
`

// A template with actions Callboard does not have loads; Unavailable
// names each such step with why, and a real run is refused before it
// starts, naming them.
func TestUnavailableSteps(t *testing.T) {
	t.Parallel()
	tpl, err := load(tmpl(serverSteps), "t/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := NewRunner(nil, nil)
	var got []string
	for _, u := range r.Unavailable(tpl) {
		got = append(got, u.Step.ID+": "+u.Reason)
	}
	want := []string{
		"argo: action argocd:create-resources is not installed: it creates Argo CD applications through the Argo CD server's API; a plugin can provide it",
		"hook: action acme:deploy is not installed: it is not built in and no installed plugin provides it",
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("unavailable (-want +got):\n%s", diff)
	}
	res := r.Run(t.Context(), tpl, Request{Target: t.TempDir() + "/out", WorkDir: t.TempDir()}, nil)
	wantErr := `the template has 2 steps that cannot run here (a dry run skips them): t/template.yaml:8 step "argo": action argocd:create-resources is not installed: it creates Argo CD applications through the Argo CD server's API; a plugin can provide it; ` +
		`t/template.yaml:15 step "hook": action acme:deploy is not installed: it is not built in and no installed plugin provides it`
	if res.Status != Failed || res.Error != wantErr || len(res.Steps) != 0 {
		t.Errorf("real run: %s %q, steps %+v\nwant error %q and no step run", res.Status, res.Error, res.Steps, wantErr)
	}
}

// A dry run goes as far as it can: a step whose action is not installed
// is skipped with why in its log, its outputs read as empty (as a step
// Backstage skips in a dry run: output {}), and the steps after it run.
func TestDryRunSkipsUnavailable(t *testing.T) {
	t.Parallel()
	res, _ := run(t, tmpl(serverSteps), "t/template.yaml", Request{DryRun: true})
	if res.Status != Completed {
		t.Fatalf("%s: %s", res.Status, res.Error)
	}
	type step struct {
		ID     string
		Status Status
		Log    string
	}
	var got []step
	for _, s := range res.Steps {
		got = append(got, step{s.ID, s.Status, strings.Join(s.Log, "\n")})
	}
	want := []step{
		{"argo", Skipped, "Skipped: action argocd:create-resources is not installed: it creates Argo CD applications through the Argo CD server's API; a plugin can provide it"},
		{"show", Completed, "[]"},
		{"hook", Skipped, "Skipping step hook: its if is false"},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}
