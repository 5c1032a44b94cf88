// Package nunjucks renders Backstage software templates byte for byte as
// Backstage's scaffolder does.
//
// Since @backstage/plugin-scaffolder-backend 4.0.3 the scaffolder renders with
// nunjitsu, a closed, synchronous re-implementation of a subset of Nunjucks
// 3.2.4. This package is a Go interpreter of that subset: `${{ }}` (or, with
// CookiecutterCompat, `{{ }}`) expressions, `{% %}` statements (if/elif/else,
// for/else with loop.*, set and block set, filter blocks, switch, raw and
// verbatim), `{# #}` comments, `-` whitespace control, TrimBlocks and
// LstripBlocks, nunjitsu's built-in filters, tests and the range, cycler and
// joiner globals, the approved string, number and array methods, and
// JavaScript value semantics throughout (number formatting, `+` and `==`
// coercion, truthiness, UTF-16 string lengths and slicing).
//
// We interpret the language ourselves rather than extending a Go Jinja engine
// (gonja, pongo2): those implement Jinja2's Python semantics — None, Python
// number and string formatting, their own filter set and scoping — and every
// difference from nunjitsu would need a patch, while byte-exactness with
// Backstage is the whole point. A small tree-walking interpreter that follows
// nunjitsu's parser and evaluator step by step is easier to keep exact, to
// bound (a work budget, an output cap, the context's deadline) and to fuzz.
//
// # Values
//
// Data handed to Render and to RenderValue may hold nil, bool, any Go integer
// or float type, string, []any, map[string]any and *Object. Maps carry no key
// order, so their keys are taken in sorted order; use DecodeJSON or *Object
// when the author's order matters (it shows in `dump` and `for k, v in`).
// JavaScript's undefined is Undefined, distinct from null (nil).
//
// Filters and global functions receive and return the same forms, with
// arrays as []any and records as *Object; a Func in Options.Globals is
// callable from templates, which is how the runner supplies Backstage's
// always() and failure().
//
// # Rendering step inputs
//
// RenderValue follows NunjucksWorkflowRunner.render: every string in the tree
// is rendered with nunjitsu's JSON coercion — a template whose only node is an
// expression or statement has its output JSON-decoded (so `${{ parameters.n }}`
// stays a number), empty output becomes Undefined and drops the key — and a
// string whose rendering fails is kept unchanged, as Backstage keeps it.
//
// # Limits
//
// A render stops with an error when it exceeds its work budget (nunjitsu's
// one million evaluation steps), Options.MaxOutput, or when its context is
// done; templates can not panic the caller (FuzzRender checks it).
package nunjucks
