package nunjucks

import (
	"context"
	"errors"
	"testing"
	"time"
)

// FuzzRender renders arbitrary templates: they may fail, but must not panic,
// hang past the deadline or return an error that is not an *Error.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"hi ${{ parameters.name | upper }}",
		"{% for k, v in parameters.obj %}${{ loop.index }}${{ k }}{% else %}-{% endfor %}",
		"{% set x %}${{ parameters.list | join(',') }}{% endset %}${{ x | length }}",
		"{% macro m(a, b=2) %}${{ caller() if caller }}${{ a + b }}{% endmacro %}{% call m(1) %}c{% endcall %}",
		"{% raw %}${{ x }}{% endraw %}{# c #}${{- 'a' -}}",
		"${{ parameters.repoUrl | parseRepoUrl | dump(2) }}${{ 'a-b' | replace(r/-/g, '$&$&') }}",
		"{{ cookiecutter.name | jsonify }}{% switch 1 %}{% case 1 %}one{% endswitch %}",
		"${{ parameters.list[::-1] }}${{ range(3) | batch(2) | dump }}${{ (1).toFixed(2) }}",
	} {
		f.Add(seed, uint8(0))
		f.Add(seed, uint8(7))
	}
	f.Fuzz(func(t *testing.T, src string, flags uint8) {
		env, err := New(Options{
			CookiecutterCompat: flags&1 != 0,
			TrimBlocks:         flags&2 != 0,
			LstripBlocks:       flags&4 != 0,
			Filters:            ScaffolderFilters(nil),
			Globals:            oracleGlobals(),
			MaxOutput:          1 << 20,
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		data := map[string]any{"parameters": testData["parameters"], "cookiecutter": testData["parameters"]}
		if _, err := env.RenderString(ctx, "fuzz", src, data); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is a %T, not an *Error", err, err)
			}
		}
		if _, err := env.RenderValue(ctx, []any{src}, data); err != nil && ctx.Err() == nil {
			t.Fatalf("RenderValue: %v", err)
		}
	})
}
