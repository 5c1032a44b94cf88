package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
)

// ActionSource says where an action comes from, and so whether a step
// using it runs here.
type ActionSource string

const (
	// ActionBuiltIn actions are Callboard's own.
	ActionBuiltIn ActionSource = "builtin"
	// ActionPlugin actions are an enabled plugin's.
	ActionPlugin ActionSource = "plugin"
	// ActionSkipped actions are Backstage's that change a repository's
	// host or reach a Backstage server: their steps are skipped, saying why.
	ActionSkipped ActionSource = "skipped"
	// ActionUnavailable actions are Backstage's that need a server; no
	// plugin adds them, so a template using one cannot run here.
	ActionUnavailable ActionSource = "unavailable"
)

// ScaffoldAction is an action a template's step can name, as the
// installed actions page shows it. The schemas are JSON Schemas, absent
// when the action declares none (or a plugin's is not JSON: Why says so).
type ScaffoldAction struct {
	ID           string          `json:"id"`
	Description  string          `json:"description"`
	Source       ActionSource    `json:"source"`
	Plugin       string          `json:"plugin,omitempty"`
	Why          string          `json:"why,omitempty"`
	InputSchema  json.RawMessage `json:"inputSchema,omitempty"`
	OutputSchema json.RawMessage `json:"outputSchema,omitempty"`
	// Examples are YAML steps using it.
	Examples []string `json:"examples"`
}

// TemplateExtensions are the filters and globals of a template's ${{ }},
// and the values (as `parameters`) their examples read.
type TemplateExtensions struct {
	ExampleValues json.RawMessage     `json:"exampleValues"`
	Extensions    []TemplateExtension `json:"extensions"`
}

// TemplateExtension is one filter or global. Kind is filter or global;
// From is backstage, nunjucks or callboard.
type TemplateExtension struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	From        string `json:"from"`
	Signature   string `json:"signature"`
	Description string `json:"description"`
	Example     string `json:"example"`
}

// TemplateEvaluation is an expression to render, with the form's values
// as `parameters` (a JSON object, or nothing).
type TemplateEvaluation struct {
	Expression string          `json:"expression"`
	Values     json.RawMessage `json:"values,omitempty"`
}

// TemplateEvaluated is what an expression rendered to: the text a file
// gets and the value a step's input gets (JSON; absent when undefined),
// or why it could not render.
type TemplateEvaluated struct {
	Text  string          `json:"text"`
	Value json.RawMessage `json:"value,omitempty"`
	Error string          `json:"error,omitempty"`
}

// maxEvaluationValues bounds the values an evaluation reads.
const maxEvaluationValues = 64 << 10

// ScaffoldActions answers API.ScaffoldActions: by id, the built-in ones
// (and those skipped here), the enabled plugins', and the server-only
// ones no plugin adds.
func (s *templateRuns) ScaffoldActions(ctx context.Context) ([]ScaffoldAction, error) {
	var out []ScaffoldAction
	have := map[string]bool{}
	for _, a := range scaffold.NewRunner(scaffoldHost{s}, nil).Actions() {
		src := ActionBuiltIn
		if scaffold.SkipsHere(a.ID) {
			src = ActionSkipped
		}
		out = append(out, ScaffoldAction{ID: a.ID, Description: a.Description, Source: src, InputSchema: rawSchema(a.InputSchema), OutputSchema: rawSchema(a.OutputSchema), Examples: a.Examples})
		have[a.ID] = true
	}
	if s.plugins != nil {
		for _, a := range s.plugins.Actions(ctx) {
			id := a.Spec.GetId()
			act := ScaffoldAction{ID: id, Description: a.Spec.GetDescription(), Source: ActionPlugin, Plugin: a.Plugin,
				InputSchema: rawSchema(a.Spec.GetInputSchemaJson()), Examples: []string{scaffold.ExampleStep(id, a.Spec.GetInputSchemaJson())}}
			switch {
			case have[id]:
				act.Source = ActionUnavailable
				act.Why = "an action of Callboard's has this id, so the plugin's is left out"
			case a.Spec.GetInputSchemaJson() != "" && act.InputSchema == nil:
				act.Why = "its input schema is not JSON"
			}
			out = append(out, act)
			have[id] = true
		}
	}
	for _, a := range scaffold.ServerOnly {
		if !have[a.ID] {
			out = append(out, ScaffoldAction{ID: a.ID, Source: ActionUnavailable, Why: "Callboard cannot run it: " + a.Why + ". A plugin can add it.",
				Examples: []string{scaffold.ExampleStep(a.ID, "")}})
		}
	}
	slices.SortStableFunc(out, func(a, b ScaffoldAction) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// rawSchema is a schema's JSON text as JSON, nil when empty or not JSON.
func rawSchema(text string) json.RawMessage {
	if text == "" || !json.Valid([]byte(text)) {
		return nil
	}
	return json.RawMessage(text)
}

// TemplateExtensions answers API.TemplateExtensions.
func (s *templateRuns) TemplateExtensions(context.Context) (TemplateExtensions, error) {
	values, err := json.Marshal(scaffold.ExampleValues)
	if err != nil {
		return TemplateExtensions{}, fmt.Errorf("example values: %w", err)
	}
	out := TemplateExtensions{ExampleValues: values}
	for _, e := range scaffold.Extensions() {
		out.Extensions = append(out.Extensions, TemplateExtension(e))
	}
	return out, nil
}

// EvaluateTemplate answers API.EvaluateTemplate: the expression as a
// step's input renders it, as the user running it.
func (s *templateRuns) EvaluateTemplate(ctx context.Context, req TemplateEvaluation) (TemplateEvaluated, error) {
	if len(req.Expression) > scaffold.MaxExpression {
		return TemplateEvaluated{}, fmt.Errorf("expression of %d bytes: at most %d: %w", len(req.Expression), scaffold.MaxExpression, ErrInvalid)
	}
	if len(req.Values) > maxEvaluationValues {
		return TemplateEvaluated{}, fmt.Errorf("values of %d bytes: at most %d: %w", len(req.Values), maxEvaluationValues, ErrInvalid)
	}
	values := any(nunjucks.NewObject())
	if len(req.Values) > 0 && string(req.Values) != "null" {
		v, err := nunjucks.DecodeJSON(req.Values)
		if err != nil {
			return TemplateEvaluated{}, fmt.Errorf("values: %v: %w", err, ErrInvalid)
		}
		if _, ok := v.(*nunjucks.Object); !ok {
			return TemplateEvaluated{}, fmt.Errorf("values: want a JSON object: %w", ErrInvalid)
		}
		values = v
	}
	ident, _ := s.users.identity(ctx)
	got, err := scaffold.NewRunner(scaffoldHost{s}, nil).Evaluate(ctx, req.Expression, values, scaffold.User{Ref: ident.UserRef, Name: ident.Name, Email: ident.Email})
	if err != nil {
		return TemplateEvaluated{}, fmt.Errorf("evaluate: %w", err)
	}
	return TemplateEvaluated{Text: got.Text, Value: got.Value, Error: got.Error}, nil
}
