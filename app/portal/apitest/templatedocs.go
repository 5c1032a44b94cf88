package apitest

import (
	"encoding/json"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
)

func testRunHistory(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	empty, err := o.API.RunHistory(ctx, portal.RunQuery{})
	must(t, "RunHistory", err)
	if empty.Total != 0 || len(empty.Items) != 0 {
		t.Errorf("history before any run = %+v", empty)
	}
	lists(t, o.Fixture, "RunHistory", empty)
	var ids []string
	for _, name := range []string{"first", "second", "third"} {
		run, err := o.API.Scaffold(ctx, portal.ScaffoldRequest{Template: helloRef, Values: values(t, map[string]any{"name": name}), DryRun: true, Wait: true})
		must(t, "Scaffold", err)
		ids = append([]string{run.ID}, ids...)
	}
	for _, tt := range []struct {
		q    portal.RunQuery
		want []string
	}{
		{portal.RunQuery{}, ids},
		{portal.RunQuery{Limit: 2}, ids[:2]},
		{portal.RunQuery{Offset: 2, Limit: 2}, ids[2:]},
		{portal.RunQuery{Offset: 5}, nil},
	} {
		page, err := o.API.RunHistory(ctx, tt.q)
		must(t, "RunHistory", err)
		var got []string
		for _, r := range page.Items {
			got = append(got, r.ID)
			if r.Status != "completed" || r.Template != helloRef || !r.DryRun || r.Started == "" || r.Finished == "" {
				t.Errorf("summary %+v", r)
			}
		}
		if diff := gocmp.Diff(tt.want, got); diff != "" || page.Total != 3 {
			t.Errorf("RunHistory(%+v): total %d, want 3; ids (-want +got):\n%s", tt.q, page.Total, diff)
		}
		lists(t, o.Fixture, "RunHistory", page)
	}
	_, err = o.API.RunHistory(ctx, portal.RunQuery{Offset: -1})
	wantErr(t, "RunHistory(offset -1)", err, portal.ErrInvalid)

	// A run keeps its values, to start over with.
	run, err := o.API.ScaffoldRun(ctx, ids[0])
	must(t, "ScaffoldRun", err)
	if string(run.Values) != `{"name":"third"}` {
		t.Errorf("the run's values = %s", run.Values)
	}
}

func testScaffoldActions(t *testing.T, s *suite) {
	f := s.shared.Fixture
	actions, err := f.API.ScaffoldActions(t.Context())
	must(t, "ScaffoldActions", err)
	lists(t, f, "ScaffoldActions", actions)
	byID := map[string]portal.ScaffoldAction{}
	for i, a := range actions {
		if i > 0 && actions[i-1].ID >= a.ID {
			t.Errorf("%s after %s: want them by id, each once", a.ID, actions[i-1].ID)
		}
		byID[a.ID] = a
		if len(a.Examples) == 0 || !strings.Contains(a.Examples[0], "action: "+a.ID) {
			t.Errorf("%s: examples %q, want a step using it", a.ID, a.Examples)
		}
	}
	for id, want := range map[string]portal.ActionSource{
		"fetch:template":         portal.ActionBuiltIn,
		"publish:github":         portal.ActionBuiltIn,
		"catalog:register":       portal.ActionBuiltIn,
		"debug:log":              portal.ActionBuiltIn,
		"github:pages:enable":    portal.ActionSkipped,
		"http:backstage:request": portal.ActionUnavailable,
		"kube:apply":             portal.ActionUnavailable,
	} {
		a, ok := byID[id]
		if !ok || a.Source != want {
			t.Errorf("%s = %+v, want it listed as %s", id, a, want)
		}
	}
	var input struct {
		Required   []string
		Properties map[string]any
	}
	a := byID["publish:github"]
	must(t, "decode publish:github's input schema", json.Unmarshal(a.InputSchema, &input))
	if a.Description == "" || !gocmp.Equal(input.Required, []string{"repoUrl"}) || input.Properties["sourcePath"] == nil || !strings.Contains(string(a.OutputSchema), "repoContentsUrl") {
		t.Errorf("publish:github = %+v, want its description, input and output", a)
	}
	if a := byID["kube:apply"]; a.Why == "" || a.InputSchema != nil {
		t.Errorf("kube:apply = %+v, want why it cannot run", a)
	}
}

func testTemplateExtensions(t *testing.T, s *suite) {
	f := s.shared.Fixture
	ctx := t.Context()
	got, err := f.API.TemplateExtensions(ctx)
	must(t, "TemplateExtensions", err)
	lists(t, f, "TemplateExtensions", got)
	names := map[string]bool{}
	for _, e := range got.Extensions {
		names[e.Kind+":"+e.Name] = true
		if e.Signature == "" || e.Example == "" {
			t.Errorf("%s: no signature or example", e.Name)
		}
	}
	for _, want := range []string{"filter:parseRepoUrl", "filter:parseEntityRef", "filter:pick", "filter:projectSlug", "filter:replace", "filter:dump", "global:range"} {
		if !names[want] {
			t.Errorf("%s is not listed", want)
		}
	}
	// Every example renders with the example values.
	for _, e := range got.Extensions {
		out, err := f.API.EvaluateTemplate(ctx, portal.TemplateEvaluation{Expression: e.Example, Values: got.ExampleValues})
		if err != nil || out.Error != "" {
			t.Errorf("%s's example %s: %v %s", e.Name, e.Example, err, out.Error)
		}
	}
}

func testEvaluateTemplate(t *testing.T, s *suite) {
	f := s.shared.Fixture
	ctx := t.Context()
	for _, tt := range []struct {
		req  portal.TemplateEvaluation
		want portal.TemplateEvaluated
	}{
		{portal.TemplateEvaluation{Expression: "${{ parameters.repoUrl | projectSlug }}", Values: json.RawMessage(`{"repoUrl":"github.com?owner=acme&repo=api"}`)},
			portal.TemplateEvaluated{Text: "acme/api", Value: json.RawMessage(`"acme/api"`)}},
		{portal.TemplateEvaluation{Expression: "${{ parameters.n * 2 }}", Values: json.RawMessage(`{"n":21}`)},
			portal.TemplateEvaluated{Text: "42", Value: json.RawMessage(`42`)}},
		{portal.TemplateEvaluation{Expression: "${{ 'no values' | upper }}"},
			portal.TemplateEvaluated{Text: "NO VALUES", Value: json.RawMessage(`"NO VALUES"`)}},
		{portal.TemplateEvaluation{Expression: "${{ parameters.x }}"}, portal.TemplateEvaluated{}},
	} {
		got, err := f.API.EvaluateTemplate(ctx, tt.req)
		must(t, "EvaluateTemplate", err)
		if diff := gocmp.Diff(tt.want, got); diff != "" {
			t.Errorf("EvaluateTemplate(%q) (-want +got):\n%s", tt.req.Expression, diff)
		}
	}
	bad, err := f.API.EvaluateTemplate(ctx, portal.TemplateEvaluation{Expression: "${{ 1 | nosuchfilter }}"})
	must(t, "EvaluateTemplate", err)
	if !strings.Contains(bad.Error, "nosuchfilter") {
		t.Errorf("an unknown filter: %+v, want why", bad)
	}
	for _, req := range []portal.TemplateEvaluation{
		{Expression: strings.Repeat("x", 16<<10+1)},
		{Expression: "x", Values: json.RawMessage(`[1]`)},
		{Expression: "x", Values: json.RawMessage(`"text"`)},
	} {
		_, err := f.API.EvaluateTemplate(ctx, req)
		wantErr(t, "EvaluateTemplate(too long or bad values)", err, portal.ErrInvalid)
	}
}
