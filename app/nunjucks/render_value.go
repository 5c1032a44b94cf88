package nunjucks

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// RenderValue renders a step's input (or `if`, `each`, output) tree as
// NunjucksWorkflowRunner.render does: every string is rendered with
// nunjitsu's JSON coercion (see the package doc); a string whose rendering
// fails stays as it was; Undefined results drop their key from maps and
// *Objects and stay Undefined in slices (JavaScript's holes). Containers are
// copied, never modified. The error is non-nil only when ctx ends.
func (e *Env) RenderValue(ctx context.Context, v any, data map[string]any) (any, error) {
	return e.RenderValueReporting(ctx, v, data, nil)
}

// RenderValueReporting is RenderValue, telling kept (when not nil) of each
// string left as written because its rendering failed, with where it is
// in the tree (keys and indexes joined by dots, "" for the root) and why:
// Backstage keeps such a string silently, and what then fails with it
// (an unknown filter's `${{ }}` in a branch name) rarely says why.
func (e *Env) RenderValueReporting(ctx context.Context, v any, data map[string]any, kept func(at string, err error)) (any, error) {
	return e.renderValue(ctx, v, data, "", kept)
}

func (e *Env) renderValue(ctx context.Context, v any, data map[string]any, at string, kept func(string, error)) (any, error) {
	child := func(key string) string {
		if at == "" {
			return key
		}
		return at + "." + key
	}
	switch v := v.(type) {
	case string:
		out, err := e.renderJSON(ctx, v, data)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return nil, err
			}
			if kept != nil {
				kept(at, err)
			}
			return v, nil
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			r, err := e.renderValue(ctx, item, data, child(k), kept)
			if err != nil {
				return nil, err
			}
			if r != Undefined {
				out[k] = r
			}
		}
		return out, nil
	case *Object:
		out := NewObject()
		for _, k := range v.keys {
			r, err := e.renderValue(ctx, v.vals[k], data, child(k), kept)
			if err != nil {
				return nil, err
			}
			if r != Undefined {
				out.Set(k, r)
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			r, err := e.renderValue(ctx, item, data, child(strconv.Itoa(i)), kept)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// renderJSON is nunjitsu's renderValue(source, context, {coercion: 'json'}).
func (e *Env) renderJSON(ctx context.Context, src string, data map[string]any) (any, error) {
	t, err := e.Compile("value", src)
	if err != nil {
		return nil, err
	}
	ev, err := e.newEvaluator(ctx, t.name, data)
	if err != nil {
		return nil, err
	}
	out := &output{}
	// A template made of one expression or statement is JSON-decoded; text
	// around it, or several nodes, make it an ordinary string.
	if len(t.body) == 1 {
		if _, isText := t.body[0].(*textNode); !isText {
			out.json = &strings.Builder{}
		}
	}
	if err := ev.run(t.body, out); err != nil {
		return nil, err
	}
	normal := out.b.String()
	if out.json == nil {
		if normal == "" {
			return Undefined, nil
		}
		return normal, nil
	}
	encoded := out.json.String()
	if encoded == "" {
		return Undefined, nil
	}
	decoded, err := DecodeJSON([]byte(encoded))
	if err != nil {
		if normal == "" {
			return Undefined, nil
		}
		return normal, nil
	}
	return decoded, nil
}

// IsTruthy is Backstage's isTruthy for a rendered `if`: arrays are true when
// not empty, other values follow JavaScript.
func IsTruthy(v any) bool {
	switch v := v.(type) {
	case []any:
		return len(v) > 0
	case *array:
		return len(v.items) > 0
	}
	return truthy(v)
}
