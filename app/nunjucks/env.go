package nunjucks

import (
	"context"
	"fmt"
	"maps"
	"strings"
)

const (
	defaultMaxOutput = 16 << 20 // nunjitsu's ceiling is 16 Mi UTF-16 code units
	maxWork          = 1_000_000
	maxNesting       = 512
	maxValueDepth    = 256
	maxRegexPattern  = 16 * 1024
)

// Options mirror what Backstage hands nunjitsu's createTemplateRenderer.
type Options struct {
	// CookiecutterCompat switches expressions to `{{ }}` (instead of `${{ }}`)
	// and adds the jsonify filter and Jinja's True/False/None and dict/list
	// methods, as fetch:template's cookiecutterCompat does.
	CookiecutterCompat bool
	// TrimBlocks drops the first newline after a block tag; LstripBlocks
	// strips the white space before a block tag that starts its line.
	TrimBlocks, LstripBlocks bool
	// Filters are added to the built-in ones and win over them by name, as
	// Backstage's template filters do. ScaffolderFilters returns Backstage's.
	Filters map[string]Filter
	// Globals are values or Funcs visible to every template unless the data
	// has the same name.
	Globals map[string]any
	// MaxOutput caps a render's output in bytes, counting captured text
	// (block set, filter blocks); 0 means 16 MiB.
	MaxOutput int
	// DisallowRegex turns off regular-expression execution (`r/…/` in
	// replace, split, test), which Backstage allows.
	DisallowRegex bool
}

// Env is a configured engine; it is safe for concurrent use.
type Env struct {
	opts    Options
	globals map[string]any
}

// New validates opts and returns an Env.
func New(opts Options) (*Env, error) {
	if opts.MaxOutput < 0 {
		return nil, fmt.Errorf("max output %d is negative", opts.MaxOutput)
	}
	if opts.MaxOutput == 0 {
		opts.MaxOutput = defaultMaxOutput
	}
	opts.Filters = maps.Clone(opts.Filters)
	for name, f := range opts.Filters {
		if f == nil {
			return nil, fmt.Errorf("filter %q is nil", name)
		}
		if err := checkName(name, true); err != nil {
			return nil, fmt.Errorf("filter %q: %w", name, err)
		}
	}
	env := &Env{opts: opts, globals: make(map[string]any, len(opts.Globals))}
	for name, g := range opts.Globals {
		if err := checkName(name, false); err != nil {
			return nil, fmt.Errorf("global %q: %w", name, err)
		}
		switch g := g.(type) {
		case Func:
			env.globals[name] = hostFunc(name, g)
		case func(...any) (any, error):
			env.globals[name] = hostFunc(name, g)
		default:
			v, err := fromGo(g, 0)
			if err != nil {
				return nil, fmt.Errorf("global %q: %w", name, err)
			}
			env.globals[name] = v
		}
	}
	return env, nil
}

// checkName accepts identifiers (dotted for filters), as nunjitsu does.
func checkName(name string, dotted bool) error {
	segments := []string{name}
	if dotted {
		segments = strings.Split(name, ".")
	}
	for _, s := range segments {
		if scanIdent(s, 0, false) != len(s) {
			return fmt.Errorf("not an identifier")
		}
		if isReservedName(s) {
			return fmt.Errorf("reserved name")
		}
	}
	return nil
}

// Template is a compiled template, safe for concurrent use.
type Template struct {
	env  *Env
	name string
	body []node
}

// Compile parses src; errors are *Error naming name, line and column.
func (e *Env) Compile(name, src string) (*Template, error) {
	body, err := parseTemplate(src, e.opts)
	if err != nil {
		se := err.(*syntaxError)
		return nil, &Error{Name: name, Line: se.at.line + 1, Column: se.at.col + 1, Msg: se.msg, Err: ErrSyntax}
	}
	return &Template{env: e, name: name, body: body}, nil
}

// Render renders the template with data as its context.
func (t *Template) Render(ctx context.Context, data map[string]any) (string, error) {
	ev, err := t.env.newEvaluator(ctx, t.name, data)
	if err != nil {
		return "", err
	}
	out := &output{}
	if err := ev.run(t.body, out); err != nil {
		return "", err
	}
	return out.b.String(), nil
}

// RenderString compiles and renders src, as fetch:template does for every
// file and file name. A src with no tag in it renders as itself without
// being lexed or data being converted: most of a skeleton's files and
// names are such text, and converting the values for each was most of
// what rendering them cost.
func (e *Env) RenderString(ctx context.Context, name, src string, data map[string]any) (string, error) {
	if e.isText(src) && !hasReservedKey(data) {
		return src, nil
	}
	t, err := e.Compile(name, src)
	if err != nil {
		return "", err
	}
	return t.Render(ctx, data)
}

// isText says whether src holds no tag, comment or stray comment end (an
// error), so that it renders as itself, within the output limit.
func (e *Env) isText(src string) bool {
	varStart := "${{"
	if e.opts.CookiecutterCompat {
		varStart = "{{"
	}
	return len(src) <= e.opts.MaxOutput && !strings.Contains(src, varStart) &&
		!strings.Contains(src, "{%") && !strings.Contains(src, "{#") && !strings.Contains(src, "#}")
}

// hasReservedKey says whether data has a key newEvaluator refuses.
func hasReservedKey(data map[string]any) bool {
	for k := range data {
		if isReservedName(k) {
			return true
		}
	}
	return false
}
