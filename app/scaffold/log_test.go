package scaffold

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/callboard/callboard/app/catalog"
)

func TestCutLine(t *testing.T) {
	t.Parallel()
	secret := strings.Repeat("S", 40)
	redact, longest := redactor(map[string]string{"token": secret})
	tests := []struct {
		name, line string
		want       func(string) bool
	}{
		{"short lines stay whole", "hello " + secret, func(s string) bool { return s == "hello ***" }},
		{"long lines are cut and say how long they were", strings.Repeat("a", 4<<20), func(s string) bool {
			return strings.HasPrefix(s, strings.Repeat("a", MaxLogLine)) && strings.HasSuffix(s, "[cut: 4194304 bytes in all]")
		}},
		{"a secret across the cut is not shown in part", strings.Repeat("a", MaxLogLine+longest-10) + secret + strings.Repeat("b", 100), func(s string) bool {
			return !strings.Contains(s, "SSSSS")
		}},
		{"a cut keeps whole characters", strings.Repeat("é", MaxLogLine), func(s string) bool { return utf8.ValidString(s) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := cutLine(tt.line, redact, longest)
			if len(got) > MaxLogLine+64 || !tt.want(got) {
				t.Errorf("cutLine = %d bytes: %.80q…%q", len(got), got, got[max(0, len(got)-80):])
			}
		})
	}
}

// logBytes counts what a result's logs hold.
func logBytes(res Result) (total int, longest int) {
	for _, s := range res.Steps {
		for _, l := range s.Log {
			total += len(l)
			longest = max(longest, len(l))
		}
	}
	return total, longest
}

// A template that logs without end (finding 6: a 4 MB debug:log ×300 in
// an each loop took the app to 7.3 GB) keeps at most the budgets: lines,
// steps and the run keep their head and tail, with a line saying what was
// cut.
func TestLogBudgets(t *testing.T) {
	t.Parallel()
	items := make([]string, 300)
	for i := range items {
		items[i] = fmt.Sprintf("%q", fmt.Sprint(i))
	}
	list := "[" + strings.Join(items, ",") + "]"
	big := strings.Repeat("x", 256<<10)
	tests := []struct {
		name, steps string
		// first and last are lines the log must start and end with.
		first, last string
		cut         string
	}{
		{
			name:  "a huge line in a loop",
			steps: "    - id: loop\n      action: debug:log\n      each: ${{ parameters.list }}\n      input:\n        message: 'line ${{ each.value }} ${{ parameters.big }}'\n",
			first: "line 0 x", last: "line 299 x", cut: "of this step's log cut here",
		},
		{
			name: "many steps under their own budget but over the run's",
			steps: strings.Repeat("    - action: debug:log\n      each: ${{ parameters.list }}\n      input:\n        message: 'line ${{ each.value }} ${{ parameters.mid }}'\n", 8) +
				"    - id: last\n      action: debug:log\n      input:\n        message: the end\n",
			first: "line 0 x", last: "the end", cut: "of the run's log cut here",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, _ := run(t, tmpl(tt.steps), "t/template.yaml", Request{DryRun: true, Values: values(t, `{"list":`+list+`,"big":"`+big+`","mid":"`+big[:600]+`"}`)})
			if res.Status != Completed {
				t.Fatalf("%s: %s", res.Status, res.Error)
			}
			total, longest := logBytes(res)
			if total > maxRunLog || longest > MaxLogLine+64 {
				t.Errorf("the log keeps %d bytes (at most %d), its longest line %d", total, maxRunLog, longest)
			}
			for _, s := range res.Steps {
				if n := len(strings.Join(s.Log, "")); n > maxStepLog {
					t.Errorf("step %s keeps %d bytes", s.ID, n)
				}
			}
			first, lastStep := res.Steps[0].Log, res.Steps[len(res.Steps)-1].Log
			if len(first) == 0 || !strings.HasPrefix(first[0], tt.first) || len(lastStep) == 0 || !strings.HasPrefix(lastStep[len(lastStep)-1], tt.last) {
				t.Errorf("head or tail lost: first %.40q, last step %d lines", first, len(lastStep))
			}
			var notes int
			for _, s := range res.Steps {
				for _, l := range s.Log {
					if strings.Contains(l, tt.cut) {
						notes++
					}
				}
			}
			if notes != 1 {
				t.Errorf("%d lines say %q", notes, tt.cut)
			}
		})
	}
}

// An action's outputs are bounded per step (an each loop appends them).
func TestOutputBudget(t *testing.T) {
	t.Parallel()
	tpl, err := load(tmpl("    - id: big\n      action: test:big\n      each: ${{ [1,2,3,4,5,6,7,8] }}\n"), "t/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := NewRunner(nil, nil)
	r.Add(Action{ID: "test:big", Run: func(_ context.Context, c *Context) error {
		c.Output("blob", strings.Repeat("x", 1<<20))
		return nil
	}})
	res := r.Run(context.Background(), tpl, Request{DryRun: true, WorkDir: t.TempDir()}, nil)
	if res.Status != Failed || !strings.Contains(res.Error, "outputs exceed 4 MiB") {
		t.Errorf("%s: %s", res.Status, res.Error)
	}
}

// A dry run shows file contents up to a total, then lists files without
// content.
func TestDryRunContentBudget(t *testing.T) {
	t.Parallel()
	files := catalog.MapFiles{"t/template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  type: service\n  steps:\n    - action: fetch:plain\n      input: {url: ./skeleton}\n"}
	for i := range 12 {
		files[fmt.Sprintf("t/skeleton/f%02d.txt", i)] = strings.Repeat("y", 200<<10)
	}
	res, _ := run(t, files, "t/template.yaml", Request{DryRun: true})
	if res.Status != Completed {
		t.Fatalf("%s: %s", res.Status, res.Error)
	}
	shown, listed := 0, 0
	for _, f := range res.Files {
		shown += len(f.Content)
		listed++
	}
	if shown > maxShownFiles || shown == 0 || listed != 12 {
		t.Errorf("%d files listed, %d bytes of content shown (at most %d)", listed, shown, maxShownFiles)
	}
}
