package scorecard

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/internal/jsonl"
)

// The differential test of the operators against json-rules-engine 7.3.1
// (conformance/scorecards/oracle.cjs), the engine Backstage Tech Insights'
// fact checkers run: every operator over every pair of a set of values
// chosen for JavaScript's coercions. `make conformance-scorecards`
// installs it and sets CALLBOARD_SCORECARDS_ORACLE to its folder; without
// it the test compares with its answers recorded in recordedOperators
// (-update with the oracle rewrites them).

var update = flag.Bool("update", false, "record json-rules-engine's answers in testdata/oracle (needs CALLBOARD_SCORECARDS_ORACLE)")

const recordedOperators = "testdata/oracle/json-rules-engine.jsonl"

type operatorCase struct {
	Operator string `json:"operator"`
	Fact     any    `json:"fact"`
	Value    any    `json:"value"`
	Answer   string `json:"answer,omitempty"`
}

func operatorValues() []any {
	return []any{
		0.0, 1.0, -1.0, 2.5, 10.0, 1e21, 1e-7, "1", "10", "9", "2.5", "", " 5 ", "0x10", "12abc", "1e3", ".5",
		"Infinity", "-Infinity", "abc", "ab", "b", "B", "é", "null", true, false, nil,
		[]any{}, []any{1.0}, []any{1.0, 2.0}, []any{"a", "b"}, []any{"1"}, []any{nil, "x"},
		map[string]any{"a": 1.0},
	}
}

func operatorCases() []operatorCase {
	var cases []operatorCase
	for _, op := range catalog.Operators() {
		for _, f := range operatorValues() {
			for _, v := range operatorValues() {
				cases = append(cases, operatorCase{Operator: op, Fact: f, Value: v})
			}
		}
	}
	// Round trip through JSON, so the cases are what the recording and
	// the oracle read.
	b, _ := json.Marshal(cases)
	var out []operatorCase
	_ = json.Unmarshal(b, &out)
	return out
}

func goAnswer(c operatorCase) string {
	ok, err := compare(c.Operator, c.Fact, c.Value)
	switch {
	case err != nil:
		return "error"
	case ok:
		return "pass"
	}
	return "fail"
}

func TestOperatorsAgainstJSONRulesEngine(t *testing.T) {
	cases := operatorCases()
	dir := os.Getenv("CALLBOARD_SCORECARDS_ORACLE")
	var want []operatorCase
	if dir == "" {
		t.Log("CALLBOARD_SCORECARDS_ORACLE is not set: comparing with json-rules-engine's answers recorded in " + recordedOperators + " (`make conformance-scorecards` asks json-rules-engine itself)")
		recorded, err := jsonl.Read[operatorCase](recordedOperators)
		if err != nil {
			t.Fatal(err)
		}
		inputs := func(cs []operatorCase) []operatorCase {
			out := slices.Clone(cs)
			for i := range out {
				out[i].Answer = ""
			}
			return out
		}
		if d := gocmp.Diff(inputs(cases), inputs(recorded)); d != "" {
			t.Fatalf("the recording is stale: run `make conformance-scorecards UPDATE=1` (-cases +recorded):\n%s", d)
		}
		want = recorded
	} else {
		answers := askOracle(t, dir, cases)
		want = slices.Clone(cases)
		for i := range want {
			want[i].Answer = answers[i]
		}
		if *update {
			if err := jsonl.Write(recordedOperators, want); err != nil {
				t.Fatal(err)
			}
		} else if recorded, err := jsonl.Read[operatorCase](recordedOperators); err != nil || !gocmp.Equal(recorded, want) {
			t.Errorf("the recorded answers differ from json-rules-engine's (%v): run `make conformance-scorecards UPDATE=1`", err)
		}
	}
	failed := 0
	for _, c := range want {
		if got := goAnswer(c); got != c.Answer {
			failed++
			if failed <= 30 {
				f, _ := json.Marshal(c.Fact)
				v, _ := json.Marshal(c.Value)
				t.Errorf("%s(%s, %s) = %s, json-rules-engine says %s", c.Operator, f, v, got, c.Answer)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d cases differ", failed, len(want))
	}
}

func askOracle(t *testing.T, dir string, cases []operatorCase) []string {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("../../conformance/scorecards/oracle.cjs")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var answers []string
	if err := json.Unmarshal(out, &answers); err != nil || len(answers) != len(cases) {
		t.Fatalf("oracle output: %v (%d answers for %d cases)", err, len(answers), len(cases))
	}
	return answers
}
