package nunjucks

import (
	"errors"
	"github.com/callboard/callboard/app/jsnum"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReferences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want []string // path@line:col
	}{
		{"plain text", nil},
		{"${{ parameters.name }}", []string{"parameters.name@1:5"}},
		{"${{ parameters['repo url'] | parseRepoUrl }}", []string{"parameters.repo url@1:5"}},
		{"${{ parameters.list[0].name }}", []string{"parameters.list.0.name@1:5"}},
		{"${{ parameters.map[parameters.key].x }}", []string{"parameters.map@1:5", "parameters.key@1:20"}},
		{"a\n  ${{ steps.publish.output.remoteUrl }}", []string{"steps.publish.output.remoteUrl@2:7"}},
		{"${{ 'x' if values.docker else values.name | upper }}", []string{"values.docker@1:12", "values.name@1:31"}},
		{"{% for e in values.endpoints %}${{ e.path }}${{ loop.index }}{% endfor %}${{ e }}", []string{"values.endpoints@1:13", "e@1:78"}},
		{"{% set x = values.a %}${{ x.b }}", []string{"values.a@1:12"}},
		{"{% macro m(a, b=1) %}${{ a }}${{ b }}${{ c }}{% endmacro %}${{ m(values.e) }}", []string{"c@1:42", "values.e@1:66"}},
		{"${{ user.entity.metadata.name is defined }}", []string{"user.entity.metadata.name@1:5"}},
		{"${{ range(1, n) | join(sep) }}", []string{"range@1:5", "n@1:14", "sep@1:24"}},
		{"${{ {a: values.x, 'b': true} }}", []string{"values.x@1:9"}},
		{"{% if parameters.a %}${{ parameters.b }}{% else %}${{ parameters.c }}{% endif %}", []string{"parameters.a@1:7", "parameters.b@1:26", "parameters.c@1:55"}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			refs, err := References("t", tt.src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range refs {
				got = append(got, strings.Join(r.Path, ".")+"@"+itoa(r.Line)+":"+itoa(r.Column))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func itoa(n int) string { return jsnum.Format(float64(n)) }

func TestReferencesSyntaxError(t *testing.T) {
	t.Parallel()
	_, err := References("t", "ok\n${{ parameters. }}", Options{})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrSyntax) || e.Line != 2 {
		t.Fatalf("err = %v", err)
	}
}

func FuzzReferences(f *testing.F) {
	for _, s := range []string{"${{ parameters.a }}", "{% for x in y %}${{ x.z }}{% endfor %}", "{% macro m(a) %}${{ a }}{% endmacro %}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		refs, err := References("f", src, Options{})
		if err != nil {
			return
		}
		for _, r := range refs {
			if len(r.Path) == 0 || r.Line < 1 || r.Column < 1 {
				t.Fatalf("reference %+v", r)
			}
		}
	})
}
