package apigen

import (
	"fmt"
	"go/types"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// tsWriter renders Go types as TypeScript, noting the named types used.
type tsWriter struct {
	c    *Contract
	used map[string]bool
	strings.Builder
}

func newTSWriter(c *Contract) *tsWriter { return &tsWriter{c: c, used: map[string]bool{}} }

func (w *tsWriter) printf(format string, args ...any) { fmt.Fprintf(w, format, args...) }

// expr is t as a TypeScript type.
func (w *tsWriter) expr(t types.Type) string {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		if s := special(t); s != "" {
			return s
		}
		if n, ok := w.c.Types.byObj[t.Obj()]; ok {
			w.used[n.Name] = true
			return n.Name
		}
		return w.expr(t.Underlying())
	case *types.Basic:
		switch {
		case t.Info()&types.IsString != 0:
			return "string"
		case t.Info()&types.IsBoolean != 0:
			return "boolean"
		case t.Info()&types.IsNumeric != 0:
			return "number"
		}
	case *types.Pointer:
		return w.expr(t.Elem())
	case *types.Slice:
		if b, ok := t.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte {
			return "string" // base64
		}
		return w.list(t.Elem())
	case *types.Array:
		return w.list(t.Elem())
	case *types.Map:
		return "Record<string, " + w.expr(t.Elem()) + ">"
	case *types.Struct:
		fields := jsonFields(t)
		if len(fields) == 0 {
			return "Record<string, never>"
		}
		var parts []string
		for _, f := range fields {
			parts = append(parts, w.field(f))
		}
		return "{ " + strings.Join(parts, "; ") + " }"
	}
	return "unknown"
}

func (w *tsWriter) list(elem types.Type) string {
	e := w.expr(elem)
	if strings.Contains(e, " | ") {
		e = "(" + e + ")"
	}
	return e + "[]"
}

var identRE = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)

// jsReserved are the words a TypeScript parameter cannot be named.
var jsReserved = map[string]bool{"await": true, "break": true, "case": true, "catch": true, "class": true, "const": true,
	"continue": true, "debugger": true, "default": true, "delete": true, "do": true, "else": true, "enum": true, "export": true,
	"extends": true, "false": true, "finally": true, "for": true, "function": true, "if": true, "implements": true,
	"import": true, "in": true, "instanceof": true, "interface": true, "let": true, "new": true, "null": true, "package": true,
	"private": true, "protected": true, "public": true, "return": true, "static": true, "super": true, "switch": true,
	"this": true, "throw": true, "true": true, "try": true, "typeof": true, "var": true, "void": true, "while": true,
	"with": true, "yield": true}

// tsParam is p's name as a TypeScript parameter.
func tsParam(p *Param) string {
	if jsReserved[p.Name] {
		return p.Name + "Arg"
	}
	return p.Name
}

// field is f as a member of an object type: optional when it may be
// absent, null when a nil pointer is written as null.
func (w *tsWriter) field(f jsonField) string {
	name := f.JSON
	if !identRE.MatchString(name) {
		name = "'" + name + "'"
	}
	t := w.expr(f.Type)
	if _, ptr := f.Type.Underlying().(*types.Pointer); ptr && !f.Optional {
		t += " | null"
	}
	if f.Optional {
		return name + "?: " + t
	}
	return name + ": " + t
}

// jsDoc is text as a JSDoc comment at indent.
func jsDoc(text, indent string) string {
	if text == "" {
		return ""
	}
	text = strings.ReplaceAll(text, "*/", "*\\/")
	lines := strings.Split(text, "\n")
	if len(lines) == 1 {
		return indent + "/** " + text + " */\n"
	}
	var b strings.Builder
	b.WriteString(indent + "/**\n")
	for _, l := range lines {
		if l == "" {
			b.WriteString(indent + " *\n")
		} else {
			b.WriteString(indent + " * " + l + "\n")
		}
	}
	b.WriteString(indent + " */\n")
	return b.String()
}

func tsString(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
	return "'" + strings.ReplaceAll(q, "'", `\'`) + "'"
}

// typesFile is frontend/src/api/types.gen.ts: every named type the
// contract reaches, the events and the method names.
func typesFile(c *Contract) []byte {
	w := newTSWriter(c)
	w.printf("// %s\n// The JSON shapes of the portal API, from the declaration in app/portal:\n// what every transport sends and receives. Lists are [] and maps {} when\n// empty, never null.\n\n", header)
	for _, n := range c.Types.list {
		w.printf("%s", jsDoc(c.Docs.typ(n.Obj.Pkg().Path(), n.Obj.Name()), ""))
		switch n.Kind {
		case tsUnion:
			var vals []string
			for _, v := range n.Values {
				vals = append(vals, tsString(v))
			}
			w.printf("export type %s = %s;\n\n", n.Name, strings.Join(vals, " | "))
		case tsInterface:
			if len(n.Fields) == 0 {
				w.printf("export type %s = Record<string, never>;\n\n", n.Name)
				continue
			}
			w.printf("export interface %s {\n", n.Name)
			for _, f := range n.Fields {
				if f.Owner != nil {
					w.printf("%s", jsDoc(c.Docs.field(f.Owner.Pkg().Path(), f.Owner.Name(), f.Var.Name()), "  "))
				}
				w.printf("  %s;\n", w.field(f))
			}
			w.printf("}\n\n")
		}
	}
	if len(c.Events) > 0 {
		w.printf("/** The events the portal publishes, by name, with their payloads. */\nexport interface EventPayload {\n")
		for _, e := range c.Events {
			w.printf("%s  %s: %s;\n", jsDoc(e.Doc, "  "), tsString(e.Name), w.expr(e.Payload))
		}
		w.printf("}\n\nexport type EventName = keyof EventPayload;\n\n")
		w.printf("/** The event names by their Go names (app/events). */\nexport const Events = {\n")
		for _, e := range c.Events {
			w.printf("  %s: %s,\n", e.Field, tsString(e.Name))
		}
		w.printf("} as const satisfies Record<string, EventName>;\n\n")
	}
	w.printf("/** The methods of the API a client calls, by their Go names. */\nexport const methodNames = [\n")
	for _, m := range c.Methods {
		if !m.Stream {
			w.printf("  %s,\n", tsString(m.Name))
		}
	}
	w.printf("] as const;\n\nexport type MethodName = (typeof methodNames)[number];\n")
	return []byte(w.String())
}

// clientFile is frontend/src/api/client.gen.ts: how each method travels
// over HTTP, and a client class with one typed method per API method.
func tsClientFile(c *Contract) []byte {
	w := newTSWriter(c)
	var b strings.Builder
	b.WriteString("/**\n * Where a parameter travels over HTTP: one escaped path segment, a\n * query parameter of its name, a struct's fields in the query, the whole\n * JSON body, or a member of the JSON body object keyed by its name.\n */\n")
	b.WriteString("export type ParamIn = 'path' | 'query' | 'fields' | 'body' | 'member';\n\n")
	b.WriteString("export interface RouteParam {\n  readonly name: string;\n  readonly in: ParamIn;\n}\n\n")
	b.WriteString("export interface Route {\n  readonly verb: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';\n  readonly path: string;\n  /** The parameters in the order the method takes them. */\n  readonly params: readonly RouteParam[];\n  /** The most bytes the body may hold. */\n  readonly limit: number;\n}\n\n")
	b.WriteString("/** How each method travels over HTTP (the //api:http lines of app/portal.API). */\nexport const routes = {\n")
	var stream *Method
	for _, m := range c.Methods {
		if m.Stream {
			stream = m
			continue
		}
		var ps []string
		for _, p := range m.Params {
			ps = append(ps, fmt.Sprintf("{ name: %s, in: %s }", tsString(p.Name), tsString(string(p.In))))
		}
		fmt.Fprintf(&b, "  %s: { verb: %s, path: %s, params: [%s], limit: %d },\n", m.Name, tsString(m.Verb), tsString(m.Path), strings.Join(ps, ", "), m.Limit)
	}
	b.WriteString("} as const satisfies Record<MethodName, Route>;\n\n")
	if stream != nil {
		param := ""
		for _, p := range stream.Params {
			if p.In == InQuery {
				param = p.Name
			}
		}
		fmt.Fprintf(&b, "/** The event stream (API.%s): Server-Sent Events, filtered by the names in param. */\n", stream.Name)
		fmt.Fprintf(&b, "export const eventStream = { path: %s, param: %s } as const;\n\n", tsString(stream.Path), tsString(param))
	}
	var iface, class strings.Builder
	iface.WriteString("/** The portal API as the UI calls it: app/portal.API, one method each. */\nexport interface PortalApi {\n")
	class.WriteString("/** PortalApi over a Transport: the Wails window's bindings or HTTP. */\nexport class PortalBase implements PortalApi {\n  constructor(protected readonly transport: Transport) {}\n\n")
	for _, m := range c.Methods {
		if m.Stream {
			continue
		}
		var ps, names []string
		for _, p := range m.Params {
			ps = append(ps, tsParam(p)+": "+w.expr(p.Type))
			names = append(names, tsParam(p))
		}
		res := "void"
		if m.Result != nil {
			res = w.expr(m.Result)
		}
		sig := fmt.Sprintf("%s(%s): Promise<%s>", unexported(m.Name), strings.Join(ps, ", "), res)
		doc := jsDoc(m.Doc, "  ")
		fmt.Fprintf(&iface, "%s  %s;\n", doc, sig)
		fmt.Fprintf(&class, "%s  %s {\n    return this.transport.call(%s, [%s]) as Promise<%s>;\n  }\n\n", doc, sig, tsString(m.Name), strings.Join(names, ", "), res)
	}
	iface.WriteString("}\n\n")
	if len(c.Events) > 0 {
		w.used["EventName"], w.used["EventPayload"] = true, true
		class.WriteString("  /** Calls cb with each event of that name; returns the function that stops it. */\n")
		class.WriteString("  subscribe<E extends EventName>(name: E, cb: (data: EventPayload[E]) => void): () => void {\n    return this.transport.subscribe(name, (data) => cb(data as EventPayload[E]));\n  }\n")
	}
	class.WriteString("}\n")
	w.used["MethodName"] = true
	imports := make([]string, 0, len(w.used))
	for n := range w.used {
		imports = append(imports, n)
	}
	slices.Sort(imports)
	var out strings.Builder
	fmt.Fprintf(&out, "// %s\n// The portal API's client, from the declaration in app/portal.\n\n", header)
	out.WriteString("import type { Transport } from './transport';\n")
	fmt.Fprintf(&out, "import type { %s } from './types.gen';\n\n", strings.Join(imports, ", "))
	out.WriteString(b.String())
	out.WriteString(iface.String())
	out.WriteString(class.String())
	return []byte(out.String())
}
