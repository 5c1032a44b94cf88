package scaffold

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/nunjucks"
)

// Every action the runner has says what it does, declares its input as a
// JSON Schema object, and has an example that is a YAML step using it.
func TestActionsAreDocumented(t *testing.T) {
	t.Parallel()
	for _, a := range NewRunner(nil, nil).Actions() {
		t.Run(a.ID, func(t *testing.T) {
			t.Parallel()
			if a.Description == "" {
				t.Error("no description")
			}
			for name, schema := range map[string]string{"input": a.InputSchema, "output": a.OutputSchema} {
				if schema == "" && name == "output" {
					continue
				}
				var s map[string]any
				if err := json.Unmarshal([]byte(schema), &s); err != nil || s["type"] != "object" {
					t.Errorf("%s schema is not a JSON Schema object (%v): %s", name, err, schema)
				}
			}
			if len(a.Examples) == 0 {
				t.Fatal("no example")
			}
			for _, ex := range a.Examples {
				var steps []struct {
					ID, Action string
				}
				if err := yaml.Unmarshal([]byte(ex), &steps); err != nil || len(steps) != 1 || steps[0].Action != a.ID || steps[0].ID == "" {
					t.Errorf("example is not one step of %s (%v):\n%s", a.ID, err, ex)
				}
			}
		})
	}
}

func TestExampleStep(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, schema, want string
	}{
		{"required only", `{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"other":{"type":"number"}}}`,
			"- id: greet\n  name: acme:greet\n  action: acme:greet\n  input:\n    name: ${{ parameters.name }}"},
		{"first few, typed", `{"type":"object","properties":{"b":{"type":"boolean"},"a":{"type":"integer"},"c":{"enum":["x","y"]},"d":{"type":["array","null"]},"e":{"default":"z"}}}`,
			"- id: greet\n  name: acme:greet\n  action: acme:greet\n  input:\n    a: 1\n    b: true\n    c: \"x\"\n    d: []"},
		{"no schema", ``, "- id: greet\n  name: acme:greet\n  action: acme:greet"},
		{"not JSON", `{`, "- id: greet\n  name: acme:greet\n  action: acme:greet"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, ExampleStep("acme:greet", tt.schema)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Every nunjucks filter and every scaffolder filter is listed once, and
// every example renders with the example values.
func TestExtensions(t *testing.T) {
	t.Parallel()
	r := NewRunner(nil, nil)
	var filters []string
	seen := map[string]bool{}
	for _, e := range Extensions() {
		if seen[e.Kind+" "+e.Name] {
			t.Errorf("%s %s is listed twice", e.Kind, e.Name)
		}
		seen[e.Kind+" "+e.Name] = true
		if e.Kind == "filter" {
			filters = append(filters, e.Name)
		}
		if e.Signature == "" || e.Description == "" || e.Example == "" {
			t.Errorf("%s: signature, description or example missing", e.Name)
		}
		got, err := r.Evaluate(t.Context(), e.Example, nunjucks.Plain(values(t, mustJSON(t, ExampleValues))), User{Ref: "user:default/ada"})
		if err != nil || got.Error != "" {
			t.Errorf("%s: example %s: %v %s", e.Name, e.Example, err, got.Error)
		}
	}
	want := nunjucks.BuiltinFilters()
	for name := range nunjucks.ScaffolderFilters(nil) {
		want = append(want, name)
	}
	slices.Sort(want)
	slices.Sort(filters)
	if diff := cmp.Diff(want, filters); diff != "" {
		t.Errorf("filters listed (-want +got):\n%s", diff)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	r := NewRunner(nil, nil)
	params := values(t, `{"repoUrl":"github.com?owner=acme&repo=api","n":3}`)
	for _, tt := range []struct {
		expr                    string
		text, value, errContain string
	}{
		{expr: "${{ parameters.repoUrl | parseRepoUrl }}", text: "[object Object]", value: `{"host":"github.com","owner":"acme","repo":"api"}`},
		{expr: "${{ parameters.n + 1 }}", text: "4", value: "4"},
		{expr: "id-${{ parameters.n }}", text: "id-3", value: `"id-3"`},
		{expr: "${{ user.ref }}", text: "user:default/ada", value: `"user:default/ada"`},
		{expr: "${{ parameters.missing }}", text: ""},
		{expr: "${{ parameters.n | nope }}", errContain: "nope"},
		{expr: "${{ ", errContain: "expression"},
		{expr: "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", errContain: ""},
	} {
		got, err := r.Evaluate(t.Context(), tt.expr, params, User{Ref: "user:default/ada"})
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		if tt.errContain != "" || got.Error != "" {
			if got.Error == "" || !strings.Contains(got.Error, tt.errContain) {
				t.Errorf("%s: error %q, want one containing %q", tt.expr, got.Error, tt.errContain)
			}
			continue
		}
		if got.Text != tt.text || string(got.Value) != tt.value {
			t.Errorf("%s = %q, %s; want %q, %s", tt.expr, got.Text, got.Value, tt.text, tt.value)
		}
	}
	if _, err := r.Evaluate(t.Context(), strings.Repeat("x", MaxExpression+1), nil, User{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a long expression: %v, want ErrTooLarge", err)
	}
}
