package scaffold

import (
	"slices"
	"testing"
)

// Steps may share an id, as in Backstage's NunjucksWorkflowRunner: each
// step that runs replaces steps.<id>.output with its own outputs (nothing
// of the earlier one is kept), and a step whose if is false leaves it as
// it was.
func TestRepeatedStepIDs(t *testing.T) {
	t.Parallel()
	const (
		publishA = "    - id: out\n      action: publish:github\n      input: {repoUrl: 'github.com?owner=o&repo=a'}\n"
		publishB = "    - id: out\n      action: publish:github\n      input: {repoUrl: 'github.com?owner=o&repo=b'}\n"
		readdir  = "    - id: out\n      action: fs:readdir\n      input: {paths: ['.']}\n"
		show     = "    - id: show\n      action: debug:log\n      input: {message: '[${{ steps.out.output.remoteUrl }}]'}\n"
	)
	for _, tc := range []struct {
		name, steps, want string
	}{
		{"the later step's output", publishA + publishB + show, "[https://github.com/o/b]"},
		{"read between them", publishA + show + publishB, "[https://github.com/o/a]"},
		{"a later step skipped by its if", publishA + "    - id: out\n      if: false\n      action: publish:github\n      input: {repoUrl: 'github.com?owner=o&repo=b'}\n" + show,
			"[https://github.com/o/a]"},
		{"replaced, not merged", publishA + readdir + show, "[]"},
		{"no id twice", "    - action: publish:github\n      input: {repoUrl: 'github.com?owner=o&repo=a'}\n" +
			"    - action: publish:github\n      input: {repoUrl: 'github.com?owner=o&repo=b'}\n" +
			"    - action: debug:log\n      input: {message: '[${{ steps.undefined.output.remoteUrl }}]'}\n", "[https://github.com/o/b]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, tpl := run(t, tmpl(tc.steps), "t/template.yaml", Request{DryRun: true})
			if res.Status != Completed {
				t.Fatalf("%s: %s", res.Status, res.Error)
			}
			if len(res.Steps) != len(tpl.Steps) {
				t.Fatalf("%d step results for %d steps", len(res.Steps), len(tpl.Steps))
			}
			var shown []string
			for _, s := range res.Steps {
				if s.Action == "debug:log" {
					shown = append(shown, s.Log...)
				}
			}
			if !slices.Contains(shown, tc.want) {
				t.Errorf("log %q, want %q", shown, tc.want)
			}
		})
	}
}

// Progress events name a step by its place too, so a page following a run
// tells apart the steps that share an id.
func TestRepeatedStepIDEvents(t *testing.T) {
	t.Parallel()
	tpl, err := load(tmpl("    - id: a\n      action: debug:log\n      input: {message: one}\n    - id: a\n      action: debug:log\n      input: {message: two}\n"), "t/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []Event
	res := NewRunner(nil, nil).Run(t.Context(), tpl, Request{DryRun: true, WorkDir: t.TempDir()}, func(e Event) { got = append(got, e) })
	if res.Status != Completed {
		t.Fatalf("%s: %s", res.Status, res.Error)
	}
	want := []Event{{Step: "a", Index: 0, Kind: "start"}, {Step: "a", Index: 0, Kind: "log", Line: "one"}, {Step: "a", Index: 0, Kind: "end", Status: Completed},
		{Step: "a", Index: 1, Kind: "start"}, {Step: "a", Index: 1, Kind: "log", Line: "two"}, {Step: "a", Index: 1, Kind: "end", Status: Completed}}
	for i := range got {
		got[i].DurationMS = 0
	}
	if !slices.Equal(got, want) {
		t.Errorf("events %+v\nwant   %+v", got, want)
	}
}
