package nunjucks

import (
	"context"
	"strings"
	"testing"
)

// RenderString's shortcut for text gives what compiling and rendering
// gives: the same output for text, and the same errors wherever a tag, a
// comment, a stray comment end or the output limit is involved.
func TestRenderStringText(t *testing.T) {
	t.Parallel()
	for _, cookiecutter := range []bool{false, true} {
		env := newEnv(t, Options{CookiecutterCompat: cookiecutter, MaxOutput: 64})
		for _, src := range []string{
			"", "plain\n", "func main() { return }\n", "${ {x}}", "$ {{x}}", "{{ parameters.name }}",
			"${{ parameters.name }}", "{% if true %}y{% endif %}", "{# note #}", "stray #} end",
			"# heading\n{\n#\n}", "\r\nline\r\n\x00\xff", strings.Repeat("x", 65), "{ %", "{{", "${{",
		} {
			got, gotErr := env.RenderString(context.Background(), "f", src, testData)
			want, wantErr := "", error(nil)
			tpl, err := env.Compile("f", src)
			if err != nil {
				wantErr = err
			} else {
				want, wantErr = tpl.Render(context.Background(), testData)
			}
			if got != want || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Errorf("cookiecutter %v, %q: got %q, %v; want %q, %v", cookiecutter, src, got, gotErr, want, wantErr)
			}
		}
	}
}
