package scaffold

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/callboard/callboard/app/nunjucks"
)

// Bounds of one Evaluate: what the templating extensions page sends as
// the user types.
const (
	// MaxExpression is the longest expression Evaluate takes, in bytes.
	MaxExpression = 16 << 10
	// maxEvalOutput caps what an expression renders to.
	maxEvalOutput = 64 << 10
	// evalTimeout is how long an expression may render.
	evalTimeout = 2 * time.Second
)

// ErrTooLarge is an expression over MaxExpression.
var ErrTooLarge = errors.New("too large")

// Evaluation is what an expression renders to: as text, as it goes into
// a file, and as the value a step's input receives (Backstage's JSON
// coercion: a lone ${{ }} keeps its type). Error says why it could not
// render; Text and Value are then empty.
type Evaluation struct {
	Text  string
	Value json.RawMessage
	Error string
}

// Evaluate renders expr as a step's input is rendered, with values as
// `parameters`, a user, no steps before it, within MaxExpression bytes,
// 64 KiB of output and two seconds.
func (r *Runner) Evaluate(ctx context.Context, expr string, values any, user User) (Evaluation, error) {
	if len(expr) > MaxExpression {
		return Evaluation{}, fmt.Errorf("expression of %d bytes: %w: at most %d", len(expr), ErrTooLarge, MaxExpression)
	}
	env, err := nunjucks.New(nunjucks.Options{Filters: r.filters, MaxOutput: maxEvalOutput, Globals: map[string]any{
		"always":  nunjucks.Func(func(...any) (any, error) { return true, nil }),
		"failure": nunjucks.Func(func(...any) (any, error) { return false, nil }),
	}})
	if err != nil {
		return Evaluation{}, fmt.Errorf("evaluate: %w", err)
	}
	data := map[string]any{
		"parameters": orEmpty(values),
		"steps":      nunjucks.NewObject(),
		"user":       userValue(user),
		"context":    objectOf("task", objectOf("id", "evaluate")),
	}
	timed, cancel := context.WithTimeout(ctx, evalTimeout)
	defer cancel()
	text, err := env.RenderString(timed, "expression", expr, data)
	if err == nil {
		var v any
		if v, err = env.RenderValue(timed, expr, data); err == nil {
			return Evaluation{Text: text, Value: jsonOf(v, text)}, nil
		}
	}
	if ctx.Err() != nil {
		return Evaluation{}, ctx.Err()
	}
	if timed.Err() != nil {
		return Evaluation{Error: fmt.Sprintf("it took longer than %s to render", evalTimeout)}, nil
	}
	return Evaluation{Error: err.Error()}, nil
}

// jsonOf is a rendered value as JSON, in its keys' order; undefined is
// nil, and a value JSON cannot hold is its text.
func jsonOf(v any, text string) json.RawMessage {
	if v == nunjucks.Undefined {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(text)
	}
	return b
}
