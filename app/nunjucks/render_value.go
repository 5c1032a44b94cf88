package nunjucks

import (
	"context"
	"errors"
	"strings"
)

// RenderValue renders a step's input (or `if`, `each`, output) tree as
// NunjucksWorkflowRunner.render does: every string is rendered with
// nunjitsu's JSON coercion (see the package doc); a string whose rendering
// fails stays as it was; Undefined results drop their key from maps and
// *Objects and stay Undefined in slices (JavaScript's holes). Containers are
// copied, never modified. The error is non-nil only when ctx ends.
func (e *Env) RenderValue(ctx context.Context, v any, data map[string]any) (any, error) {
	switch v := v.(type) {
	case string:
		out, err := e.renderJSON(ctx, v, data)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return nil, err
			}
			return v, nil
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			r, err := e.RenderValue(ctx, item, data)
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
			r, err := e.RenderValue(ctx, v.vals[k], data)
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
			r, err := e.RenderValue(ctx, item, data)
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
