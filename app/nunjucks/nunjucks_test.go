package nunjucks

import (
	"context"
	"errors"
	"github.com/callboard/callboard/app/jsnum"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testData = map[string]any{
	"parameters": map[string]any{
		"name":    "my-service",
		"n":       3,
		"f":       1.5,
		"list":    []any{"b", "a", "c"},
		"obj":     map[string]any{"b": 2, "a": 1},
		"users":   []any{map[string]any{"name": "Ann", "team": "x"}, map[string]any{"name": "bob", "team": "y"}},
		"repoUrl": "github.com?owner=acme&repo=my-service",
		"owner":   "group:default/team-a",
		"on":      true,
		"nul":     nil,
	},
}

func newEnv(t *testing.T, opts Options) *Env {
	t.Helper()
	if opts.Filters == nil {
		opts.Filters = ScaffolderFilters(nil)
	}
	env, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// The expected outputs are nunjitsu's; TestAgainstNunjitsu checks many more
// cases against nunjitsu itself.
func TestRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want string
		opts            Options
	}{
		{"text", "plain", "plain", Options{}},
		{"expression", "hi ${{ parameters.name }}!", "hi my-service!", Options{}},
		{"jinja braces are text", "{{ parameters.name }}", "{{ parameters.name }}", Options{}},
		{"cookiecutter", "{{ cookiecutter.name }}${{ x }}", "my-service$", Options{CookiecutterCompat: true}},
		{"jsonify", "{{ cookiecutter.name | jsonify }}", `"my-service"`, Options{CookiecutterCompat: true}},
		{"undefined renders empty", "[${{ parameters.missing }}${{ parameters.nul }}${{ nope.deeper }}]", "[]", Options{}},
		{"concat shows undefined", "${{ 'a' ~ parameters.missing }}", "aundefined", Options{}},
		{"numbers as JavaScript", "${{ 1.0 }} ${{ 0.1 + 0.2 }} ${{ 1 / 3 }} ${{ 2 ** 70 }} ${{ 1 / 0 }}", "1 0.30000000000000004 0.3333333333333333 1.1805916207174113e+21 Infinity", Options{}},
		{"plus coerces", "${{ 1 + '1' }} ${{ parameters.n + 1 }} ${{ '3' * '2' }}", "11 4 6", Options{}},
		{"arrays and records", "${{ parameters.list }} ${{ parameters.obj }} ${{ [1, [2, null]] }}", "b,a,c [object Object] 1,2,", Options{}},
		{"dump", "${{ parameters.obj | dump }} ${{ 'q\"' | dump }}", `{"a":1,"b":2} "q\""`, Options{}},
		{"dump indent", "${{ [1] | dump(2) }}", "[\n  1\n]", Options{}},
		{"inline if without else", "${{ 'x.txt' if parameters.on }}|${{ 'y' if parameters.nul }}|", "x.txt||", Options{}},
		{"loop", "{% for x in parameters.list %}${{ loop.index }}${{ x }}${{ ',' if not loop.last }}{% endfor %}", "1b,2a,3c", Options{}},
		{"loop over record", "{% for k, v in parameters.obj %}${{ k }}=${{ v }} {% endfor %}", "a=1 b=2 ", Options{}},
		{"loop else", "{% for x in [] %}x{% else %}empty{% endfor %}", "empty", Options{}},
		{"set leaks from loop only when set before", "{% set a = 1 %}{% for x in [2] %}{% set a = x %}{% set b = x %}{% endfor %}${{ a }}${{ b }}", "2", Options{}},
		{"block set", "{% set x %}[${{ parameters.n }}]{% endset %}${{ x }}", "[3]", Options{}},
		{"raw", "{% raw %}${{ x }}{% endraw %}", "${{ x }}", Options{}},
		{"comment", "a{# ${{ x }} #}b", "ab", Options{}},
		{"whitespace control", "a  ${{- 'b' -}}  c {%- if true %} d{% endif %}", "abc d", Options{}},
		{"trim and lstrip blocks", "x\n  {% if true %}\n  y\n  {% endif %}\nz", "x\n  y\nz", Options{TrimBlocks: true, LstripBlocks: true}},
		{"filters", "${{ parameters.name | upper | replace('-', '_') }} ${{ parameters.users | join(',', 'name') }} ${{ parameters.list | sort | first }}", "MY_SERVICE Ann,bob a", Options{}},
		{"regex replace", "${{ 'CamelCase' | replace(r/([a-z])([A-Z])/g, '$1-$2') | lower }}", "camel-case", Options{}},
		{"methods", "${{ parameters.name.split('-') | last }} ${{ parameters.f.toFixed(2) }}", "service 1.50", Options{}},
		{"tests", "${{ parameters.n is odd }} ${{ parameters.missing is defined }} ${{ 'a' in parameters.list }}", "true false true", Options{}},
		{"macro", "{% macro m(x, y='!') %}${{ x }}${{ y }}{% endmacro %}${{ m('hi') }}", "hi!", Options{}},
		{"globals", "${{ greeting }} ${{ always() }}", "hello true", Options{Globals: map[string]any{
			"greeting": "hello",
			"always":   Func(func(...any) (any, error) { return true, nil }),
		}}},
		{"parseRepoUrl", "${{ parameters.repoUrl | parseRepoUrl | dump }}", `{"host":"github.com","owner":"acme","repo":"my-service"}`, Options{}},
		{"projectSlug", "${{ parameters.repoUrl | projectSlug }}", "acme/my-service", Options{}},
		{"parseRepoUrl of a local folder needs no owner", "${{ 'local?repo=site&path=%2Fsrv' | parseRepoUrl | dump }}", `{"host":"local","repo":"site"}`,
			Options{Filters: ScaffolderFilters(append(slices.Clone(DefaultIntegrations), Integration{Host: "local", Type: "local"}))}},
		{"parseEntityRef and pick", "${{ parameters.owner | parseEntityRef | pick('name') }}", "team-a", Options{}},
		{"utf-16 lengths", "${{ '😀é' | length }} ${{ '😀é'[2] }}", "3 é", Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, tt.opts)
			data := testData
			if tt.opts.CookiecutterCompat {
				data = map[string]any{"cookiecutter": testData["parameters"]}
			}
			got, err := env.RenderString(context.Background(), "t", tt.src, data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want string
		is              error
	}{
		{"unknown filter", "line\n  ${{ x | foo }}", `skeleton/README.md:2:11: unknown filter "foo"`, nil},
		{"syntax", "${{ 1 + }}", "skeleton/README.md:1:9: unexpected expression token at end of input", ErrSyntax},
		{"unclosed tag", "{% if x %}", "skeleton/README.md:1:1: missing endif tag", ErrSyntax},
		{"not callable", "${{ parameters.name() }}", `skeleton/README.md:1:16: template value "parameters.name" resolved to string and cannot be called`, nil},
		{"filter failure", "${{ parameters.n | trim }}", `skeleton/README.md:1:20: filter "trim" failed for number input: filter input must be a string`, nil},
		{"host filter failure", "${{ 'example.org?repo=x' | parseRepoUrl }}", "skeleton/README.md:1:28: no matching integration configuration for host example.org, please check your integrations config", nil},
		{"work budget", "{% for i in range(3000000) %}{% endfor %}", "skeleton/README.md:1:13: template evaluation exceeded the work unit limit of 1000000", ErrLimit},
		{"recursion", "{% macro f() %}${{ f() }}{% endmacro %}${{ f() }}", "", ErrLimit},
	}
	env := newEnv(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := env.RenderString(context.Background(), "skeleton/README.md", tt.src, testData)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if tt.want != "" && err.Error() != tt.want {
				t.Errorf("got %q, want %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%v is not %v", err, tt.is)
			}
		})
	}
}

func TestRenderLimits(t *testing.T) {
	t.Parallel()
	env := newEnv(t, Options{MaxOutput: 1000})
	_, err := env.RenderString(context.Background(), "t", "{% for i in range(100) %}0123456789x{% endfor %}", nil)
	if !errors.Is(err, ErrLimit) {
		t.Errorf("output over MaxOutput: got %v", err)
	}
	_, err = env.RenderString(context.Background(), "t", "{% set s = 'xx' %}{% for i in range(40) %}{% set s = s ~ s %}{% endfor %}", nil)
	if !errors.Is(err, ErrLimit) {
		t.Errorf("doubling a string: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = newEnv(t, Options{}).RenderString(ctx, "t", "{% for i in range(100000) %}${{ i }}{% endfor %}", nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	ctx, stop := context.WithTimeout(context.Background(), time.Nanosecond)
	defer stop()
	<-ctx.Done()
	_, err = newEnv(t, Options{}).RenderString(ctx, "t", "{% for i in range(100000) %}${{ i }}{% endfor %}", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: got %v", err)
	}
}

func TestRenderValueReportsWhatIsLeftAsWritten(t *testing.T) {
	t.Parallel()
	env := newEnv(t, Options{})
	input, err := DecodeJSON([]byte(`{
		"branch": "add-readme-${{ '' | now }}",
		"ok": "${{ parameters.name }}",
		"list": ["x", {"deep": "${{ parameters.n.call() }}"}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	got, err := env.RenderValueReporting(context.Background(), input, testData, func(at string, err error) {
		kept = append(kept, at+": "+err.Error())
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`branch: value:1:21: unknown filter "now"`, "list.1.deep: "}
	if len(kept) != 2 || kept[0] != want[0] || !strings.HasPrefix(kept[1], want[1]) {
		t.Errorf("kept = %q, want %q and one at list.1.deep", kept, want[0])
	}
	if b, _ := Plain(got).(map[string]any)["branch"].(string); b != "add-readme-${{ '' | now }}" {
		t.Errorf("branch = %q, want it as written", b)
	}
}

func TestRenderValue(t *testing.T) {
	t.Parallel()
	env := newEnv(t, Options{})
	input, err := DecodeJSON([]byte(`{
		"n": "${{ parameters.n }}",
		"list": "${{ parameters.list }}",
		"text": "name: ${{ parameters.name }}",
		"bool": "{% if parameters.on %}true{% endif %}",
		"gone": "${{ parameters.missing }}",
		"str": "${{ parameters.n | string }}",
		"broken": "${{ parameters.n | nope }}",
		"items": ["${{ parameters.name }}", "${{ parameters.missing }}", 5],
		"repo": "${{ parameters.repoUrl | parseRepoUrl }}"
	}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := env.RenderValue(context.Background(), input, testData)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"n":      3.0,
		"list":   []any{"b", "a", "c"},
		"text":   "name: my-service",
		"bool":   true,
		"str":    "3",
		"broken": "${{ parameters.n | nope }}",
		"items":  []any{"my-service", Undefined, 5.0},
		"repo":   map[string]any{"host": "github.com", "owner": "acme", "repo": "my-service"},
	}
	if diff := cmp.Diff(want, Plain(got)); diff != "" {
		t.Errorf("RenderValue (-want +got):\n%s", diff)
	}
	if v, _ := env.RenderValue(context.Background(), "${{ parameters.list }}", testData); !IsTruthy(v) {
		t.Errorf("IsTruthy(%v) = false", v)
	}
	if v, _ := env.RenderValue(context.Background(), "${{ [] }}", testData); IsTruthy(v) {
		t.Errorf("IsTruthy(%v) = true", v)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, opts := range []Options{
		{MaxOutput: -1},
		{Filters: map[string]Filter{"bad name": func(any, ...any) (any, error) { return nil, nil }}},
		{Filters: map[string]Filter{"nil": nil}},
		{Globals: map[string]any{"constructor": 1}},
		{Globals: map[string]any{"ch": make(chan int)}},
	} {
		if _, err := New(opts); err == nil {
			t.Errorf("New(%+v) succeeded", opts)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	for f, want := range map[float64]string{
		0: "0", 1: "1", -1.5: "-1.5", 0.1: "0.1", 1e21: "1e+21", 1e20: "100000000000000000000",
		1.5e-7: "1.5e-7", 0.000001: "0.000001", 123456789012345680000: "123456789012345680000",
		1.7976931348623157e308: "1.7976931348623157e+308", 5e-324: "5e-324",
	} {
		if got := jsnum.Format(f); got != want {
			t.Errorf("jsnum.Format(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestObjectOrder(t *testing.T) {
	t.Parallel()
	v, err := DecodeJSON([]byte(`{"b":1,"10":2,"a":3,"2":4,"b":5}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	if got, want := strings.Join(o.Keys(), ","), "2,10,b,a"; got != want {
		t.Errorf("keys %s, want %s", got, want)
	}
	if b, _ := o.Get("b"); b != 5.0 {
		t.Errorf("b = %v, want the last value 5", b)
	}
}
