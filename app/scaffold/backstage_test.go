package scaffold

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

// The differential test of how steps run against Backstage's own
// NunjucksWorkflowRunner (@backstage/plugin-scaffolder-backend 4.3.0,
// conformance/scaffolder/oracle.cjs): repeated step ids, steps skipped by
// their if or in a dry run, failures. Both runners get the same test
// actions (test:output sets its input's outputs, test:record keeps its
// rendered input, test:fail sets an output and fails); test:missing is an
// action Backstage skips in a dry run and Callboard does not have. What
// test:record received, and whether the run failed, must agree.
// `make conformance-scaffolder` installs the oracle and sets
// CALLBOARD_SCAFFOLDER_ORACLE to its folder; without it the test compares
// with Backstage's answers recorded in recordedSteps (-update with the
// oracle rewrites them).

const recordedSteps = "testdata/oracle/backstage-steps.json"

// stepCase is one case as oracle.cjs reads it.
type stepCase struct {
	Name   string `json:"name"`
	Steps  []any  `json:"steps"`
	DryRun bool   `json:"dryRun,omitempty"`
	// Lenient, when set, says why Callboard runs what Backstage fails.
	Lenient string `json:"-"`
}

// stepAnswer is how a case ended: the inputs test:record received, in
// order, and the run's error ("" when it completed).
type stepAnswer struct {
	Name    string            `json:"name,omitempty"`
	Records []json.RawMessage `json:"records"`
	Error   string            `json:"error"`
}

func step(id, action string, input map[string]any, extra ...any) map[string]any {
	s := map[string]any{"action": action, "input": input}
	if id != "" {
		s["id"] = id
	}
	for i := 0; i+1 < len(extra); i += 2 {
		s[extra[i].(string)] = extra[i+1]
	}
	return s
}

func outputs(kv ...any) map[string]any {
	o := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		o[kv[i].(string)] = kv[i+1]
	}
	return map[string]any{"outputs": o}
}

func record(v string) map[string]any { return map[string]any{"v": v, "fixed": "x"} }

func stepCases() []stepCase {
	const readV = "${{ steps.out.output.v }}"
	return []stepCase{
		{Name: "the later step's output", Steps: []any{
			step("out", "test:output", outputs("v", "a")), step("out", "test:output", outputs("v", "b")), step("show", "test:record", record(readV))}},
		{Name: "read between two steps with one id", Steps: []any{
			step("out", "test:output", outputs("v", "a")), step("show", "test:record", record(readV)), step("out", "test:output", outputs("v", "b"))}},
		{Name: "a later step skipped by its if", Steps: []any{
			step("out", "test:output", outputs("v", "a")), step("out", "test:output", outputs("v", "b"), "if", false), step("show", "test:record", record(readV))}},
		{Name: "a later step skipped by an if expression", Steps: []any{
			step("out", "test:output", outputs("v", "a")), step("out", "test:output", outputs("v", "b"), "if", "${{ steps.out.output.v == 'z' }}"), step("show", "test:record", record(readV))}},
		{Name: "replaced, not merged", Steps: []any{
			step("out", "test:output", outputs("v", "a", "w", 1.0)), step("out", "test:output", outputs("w", 2.0)),
			step("show", "test:record", map[string]any{"v": readV, "w": "${{ steps.out.output.w }}"})}},
		{Name: "steps without id", Steps: []any{
			step("", "test:output", outputs("v", "a")), step("", "test:output", outputs("v", "b")), step("show", "test:record", record("${{ steps.undefined.output.v }}"))},
			Lenient: "Backstage 4.3.0 fails a step without id (its prepared context refuses the key); Callboard keys its outputs by \"undefined\", as Backstage did before"},
		{Name: "an each step, then a plain one with its id", Steps: []any{
			step("out", "test:output", outputs("v", "${{ each.value }}"), "each", []any{"a", "b"}), step("show", "test:record", record(readV)),
			step("out", "test:output", outputs("v", "c")), step("show", "test:record", record(readV))}},
		{Name: "a failed step with an id already used", Steps: []any{
			step("out", "test:output", outputs("v", "a")), step("out", "test:fail", outputs("v", "b")), step("show", "test:record", record(readV), "if", "${{ always() }}")}},
		{Name: "dry run: a skipped step's output", DryRun: true, Steps: []any{
			step("m", "test:missing", map[string]any{}), step("show", "test:record", record("${{ steps.m.output.url }}"))}},
		{Name: "dry run: a skipped step replaces an earlier output", DryRun: true, Steps: []any{
			step("out", "test:output", outputs("v", "a")), step("out", "test:missing", map[string]any{}), step("show", "test:record", record(readV))}},
		{Name: "dry run: a skipped step's output in a string", DryRun: true, Steps: []any{
			step("m", "test:missing", map[string]any{}), step("show", "test:record", record("url: ${{ steps.m.output.url }}!"))}},
	}
}

// runCallboard runs c with this package's runner and the test actions.
func runCallboard(t *testing.T, c stepCase) stepAnswer {
	t.Helper()
	tpl, err := FromEntity(map[string]any{"apiVersion": APIVersion, "kind": "Template", "metadata": map[string]any{"name": "t"},
		"spec": map[string]any{"type": "service", "steps": jsonValue(t, c.Steps)}}, Source{Files: catalog.MapFiles{}, File: "t/template.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	ans := stepAnswer{Records: []json.RawMessage{}}
	r := NewRunner(nil, nil)
	setOutputs := func(c *Context) {
		outs, _ := get(c.Input, "outputs")
		if o, ok := outs.(*nunjucks.Object); ok {
			for _, k := range o.Keys() {
				v, _ := o.Get(k)
				c.Output(k, v)
			}
		}
	}
	for _, a := range []Action{
		{ID: "test:output", Run: func(_ context.Context, c *Context) error { setOutputs(c); return nil }},
		{ID: "test:fail", Run: func(_ context.Context, c *Context) error { setOutputs(c); return errors.New("test:fail fails") }},
		{ID: "test:record", Run: func(_ context.Context, c *Context) error {
			b, err := json.Marshal(c.Input)
			ans.Records = append(ans.Records, b)
			return err
		}},
	} {
		if err := r.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	res := r.Run(t.Context(), tpl, Request{DryRun: c.DryRun, Target: filepath.Join(t.TempDir(), "out"), WorkDir: t.TempDir()}, nil)
	ans.Error = res.Error
	return ans
}

// jsonValue is v as the catalog decodes it (map[string]any, []any,
// float64, …).
func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func runBackstage(t *testing.T, dir string, cases []stepCase) []stepAnswer {
	t.Helper()
	answers := runNodeOracle[stepAnswer](t, dir, "../../conformance/scaffolder/oracle.cjs", cases)
	if len(answers) != len(cases) {
		t.Fatalf("the oracle answered %d of %d cases", len(answers), len(cases))
	}
	for i := range answers {
		answers[i].Name = cases[i].Name
	}
	return answers
}

// compact rewrites the answers' records as compact JSON, so recordings
// compare with live answers.
func compact(t *testing.T, answers []stepAnswer) []stepAnswer {
	t.Helper()
	for i := range answers {
		for j, r := range answers[i].Records {
			var b bytes.Buffer
			if err := json.Compact(&b, r); err != nil {
				t.Fatalf("record %s: %v", r, err)
			}
			answers[i].Records[j] = b.Bytes()
		}
	}
	return answers
}

// agree compares answers: the same records, as JSON values, and both
// completed or both failed (the messages are each runner's own).
func agree(t *testing.T, want, got stepAnswer) {
	t.Helper()
	if (want.Error == "") != (got.Error == "") {
		t.Errorf("error %q, Backstage's %q", got.Error, want.Error)
	}
	decode := func(rs []json.RawMessage) []any {
		out := make([]any, len(rs))
		for i, r := range rs {
			if err := json.Unmarshal(r, &out[i]); err != nil {
				t.Fatalf("record %s: %v", r, err)
			}
		}
		return out
	}
	if diff := gocmp.Diff(decode(want.Records), decode(got.Records)); diff != "" {
		t.Errorf("test:record's inputs (-Backstage +Callboard):\n%s", diff)
	}
}

func TestStepsAgainstBackstage(t *testing.T) {
	t.Parallel()
	cases := stepCases()
	var recorded []stepAnswer
	if b, err := os.ReadFile(recordedSteps); err == nil {
		if err := json.Unmarshal(b, &recorded); err != nil {
			t.Fatalf("%s: %v", recordedSteps, err)
		}
	} else if !*update {
		t.Fatalf("%v: record Backstage's answers with `make conformance-scaffolder UPDATE=1`", err)
	}
	recorded = compact(t, recorded)
	want := recorded
	if dir := os.Getenv("CALLBOARD_SCAFFOLDER_ORACLE"); dir != "" {
		want = compact(t, runBackstage(t, dir, cases))
		if *update {
			b, err := json.MarshalIndent(want, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(recordedSteps, append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		} else if diff := gocmp.Diff(recorded, want); diff != "" {
			t.Errorf("%s differs from Backstage's answers now (-recorded +now; `make conformance-scaffolder UPDATE=1` rewrites it):\n%s", recordedSteps, diff)
		}
	} else if *update {
		t.Fatal("-update records Backstage's answers: run `make conformance-scaffolder UPDATE=1`, which installs the oracle")
	} else {
		t.Log("CALLBOARD_SCAFFOLDER_ORACLE is not set: comparing with Backstage's answers recorded in " + recordedSteps)
	}
	if len(want) != len(cases) {
		t.Fatalf("%d answers for %d cases: `make conformance-scaffolder UPDATE=1` records them", len(want), len(cases))
	}
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			if want[i].Name != c.Name {
				t.Fatalf("the answer recorded is %q's: `make conformance-scaffolder UPDATE=1` records them again", want[i].Name)
			}
			got := runCallboard(t, c)
			if c.Lenient != "" {
				if want[i].Error == "" || got.Error != "" {
					t.Errorf("Backstage's error %q, Callboard's %q: want Backstage to fail and Callboard to run (%s)", want[i].Error, got.Error, c.Lenient)
				}
				return
			}
			agree(t, want[i], got)
		})
	}
}
