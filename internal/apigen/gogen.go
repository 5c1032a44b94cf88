package apigen

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"
)

const (
	wirePath   = "github.com/callboard/callboard/app/wire"
	eventsPath = "github.com/callboard/callboard/app/events"
)

// params is the method's parameters as Go declares them, after ctx.
func params(f *goFile, m *Method) string {
	var out []string
	for i, p := range m.Params {
		t := f.typ(p.Type)
		if m.Variadic && i == len(m.Params)-1 {
			t = "..." + f.typ(p.Type.(*types.Slice).Elem())
		}
		out = append(out, local(p)+" "+t)
	}
	return strings.Join(out, ", ")
}

// args is the method's parameters as a call passes them on.
func args(m *Method, of func(p *Param) string) string {
	var out []string
	for i, p := range m.Params {
		a := of(p)
		if m.Variadic && i == len(m.Params)-1 {
			a += "..."
		}
		out = append(out, a)
	}
	return strings.Join(out, ", ")
}

func results(f *goFile, m *Method) string {
	if m.Stream {
		return "(<-chan " + f.typ(m.Result) + ", error)"
	}
	if m.Result == nil {
		return "error"
	}
	return "(" + f.typ(m.Result) + ", error)"
}

func name(p *Param) string { return local(p) }

// reserved are the names generated code gives its own variables.
var reserved = map[string]bool{"b": true, "body": true, "c": true, "ch": true, "ctx": true, "err": true, "h": true,
	"out": true, "q": true, "r": true, "v": true, "w": true}

// local is the Go variable of p in generated code: its name, unless the
// code uses that name itself.
func local(p *Param) string {
	if reserved[p.Name] {
		return p.Name + "Arg"
	}
	return p.Name
}

// bridgeFile is app/desktop's Bridge: each method bound to the window,
// with the context Wails handed over and the result normalised.
func bridgeFile(c *Contract) ([]byte, error) {
	f := newGoFile("desktop", "github.com/callboard/callboard/app/desktop")
	for _, m := range c.Methods {
		if m.Stream {
			continue // the window gets events through the Wails runtime
		}
		f.printf("%s", goDoc(m.Doc, ""))
		call := fmt.Sprintf("b.api.%s(%s)", m.Name, callArgs("b.ctx", m, name))
		f.printf("func (b *Bridge) %s(%s) %s {\n", m.Name, params(f, m), results(f, m))
		if m.Result == nil {
			f.printf("\treturn %s\n}\n\n", call)
			continue
		}
		f.printf("\tv, err := %s\n\treturn %s.Normalize(v), err\n}\n\n", call, f.use(wirePath, "wire"))
	}
	return f.source()
}

// callArgs is ctx and then the method's arguments.
func callArgs(ctx string, m *Method, of func(p *Param) string) string {
	if len(m.Params) == 0 {
		return ctx
	}
	return ctx + ", " + args(m, of)
}

// routesFile is app/httpapi's routes: one handler per method decoding
// its arguments from the path, the query and the body, calling the API
// and encoding its answer.
func routesFile(c *Contract) ([]byte, error) {
	f := newGoFile("httpapi", "github.com/callboard/callboard/app/httpapi")
	http := f.use("net/http", "http")
	f.printf("// routes registers a handler for each method of %s.API.\n", c.Pkg.Name())
	f.printf("func (h *handler) routes(mux *%s.ServeMux) {\n", http)
	for _, m := range c.Methods {
		f.printf("\tmux.HandleFunc(%q, h.handle%s)\n", m.Verb+" "+m.Path, m.Name)
	}
	f.printf("}\n\n")
	for _, m := range c.Methods {
		f.printf("func (h *handler) handle%s(w %s.ResponseWriter, r *%s.Request) {\n", m.Name, http, http)
		body := bodyParams(m)
		whole := len(body) == 1 && body[0].In == InBody
		for _, p := range m.Params {
			switch p.In {
			case InPath:
				if isNamedString(p.Type) {
					f.printf("\t%s := %s(r.PathValue(%q))\n", local(p), f.typ(p.Type), p.Name)
				} else {
					f.printf("\t%s := r.PathValue(%q)\n", local(p), p.Name)
				}
			case InQuery, InFields:
				key := p.Name
				if p.In == InFields {
					key = ""
				}
				f.printf("\tvar %s %s\n", local(p), f.typ(p.Type))
				f.printf("\tif err := %s.DecodeQuery(r.URL.Query(), %q, &%s); err != nil {\n\t\th.badRequest(w, err)\n\t\treturn\n\t}\n", f.use(wirePath, "wire"), key, local(p))
			case InBody:
				f.printf("\tvar %s %s\n", local(p), f.typ(p.Type))
				f.printf("\tif !h.decode(w, r, &%s, %s, `%s`) {\n\t\treturn\n\t}\n", local(p), size(m.Limit), shapeOf(p.Type.Underlying().(*types.Struct)))
			}
		}
		if len(body) > 0 && !whole {
			f.printf("\tvar body %s\n", bodyStruct(f, body))
			f.printf("\tif !h.decode(w, r, &body, %s, `%s`) {\n\t\treturn\n\t}\n", size(m.Limit), shapeOfParams(body))
		}
		arg := func(p *Param) string {
			if p.In == InMember {
				return "body." + exported(p.Name)
			}
			return local(p)
		}
		call := fmt.Sprintf("h.api.%s(%s)", m.Name, callArgs("r.Context()", m, arg))
		switch {
		case m.Stream:
			f.printf("\tch, err := %s\n\th.stream(w, r, ch, err)\n}\n\n", call)
		case m.Result == nil:
			f.printf("\th.reply(w, struct{}{}, %s)\n}\n\n", call)
		default:
			f.printf("\tv, err := %s\n\th.reply(w, v, err)\n}\n\n", call)
		}
	}
	return f.source()
}

// clientFile is app/apiclient's Client: each method as an HTTP call, and
// the decoding of each event's payload.
func clientFile(c *Contract) ([]byte, error) {
	f := newGoFile("apiclient", "github.com/callboard/callboard/app/apiclient")
	for _, m := range c.Methods {
		f.printf("// %s implements %s.API.\n", m.Name, c.Pkg.Name())
		f.printf("func (c *Client) %s(ctx %s.Context, %s) %s {\n", m.Name, f.use("context", "context"), params(f, m), results(f, m))
		ret := func(err string) string { return "nil, " + err }
		switch {
		case m.Result == nil:
			ret = func(err string) string { return err }
		case !m.Stream:
			f.printf("\tvar out %s\n", f.typ(m.Result))
			ret = func(err string) string { return "out, " + err }
		}
		for _, p := range m.Params {
			if p.In == InPath {
				f.printf("\tif %s == \"\" {\n\t\treturn %s\n\t}\n", local(p), ret(fmt.Sprintf("emptySegment(%q)", p.Name)))
			}
		}
		query := "nil"
		for _, p := range m.Params {
			if p.In != InQuery && p.In != InFields {
				continue
			}
			if query == "nil" {
				f.printf("\tq := %s.Values{}\n", f.use("net/url", "url"))
				query = "q"
			}
			key := p.Name
			if p.In == InFields {
				key = ""
			}
			f.printf("\tif err := %s.EncodeQuery(q, %q, %s); err != nil {\n\t\treturn %s\n\t}\n", f.use(wirePath, "wire"), key, local(p), ret("err"))
		}
		body := "nil"
		if bp := bodyParams(m); len(bp) == 1 && bp[0].In == InBody {
			body = local(bp[0])
		} else if len(bp) > 0 {
			var vals []string
			for _, p := range bp {
				vals = append(vals, local(p))
			}
			f.printf("\tbody := %s{%s}\n", bodyStruct(f, bp), strings.Join(vals, ", "))
			body = "body"
		} else if m.Verb != "GET" && m.Verb != "DELETE" {
			body = "struct{}{}"
		}
		path := goPath(f, m)
		switch {
		case m.Stream:
			f.printf("\treturn c.stream(ctx, %s, %s, decodeEvent)\n}\n\n", path, query)
		case m.Result == nil:
			f.printf("\treturn c.call(ctx, %q, %s, %s, %s, nil)\n}\n\n", m.Verb, path, query, body)
		default:
			f.printf("\terr := c.call(ctx, %q, %s, %s, %s, &out)\n\treturn out, err\n}\n\n", m.Verb, path, query, body)
		}
	}
	if len(c.Events) > 0 {
		ev := f.use(eventsPath, "events")
		f.printf("// decodeEvent decodes an event's data into the payload type its name\n// is declared with; an event this client does not know stays raw JSON.\n")
		f.printf("func decodeEvent(name string, data []byte) (any, error) {\n\tswitch name {\n")
		for _, e := range c.Events {
			f.printf("\tcase %s.%s:\n\t\tvar v %s\n\t\terr := %s.Unmarshal(data, &v)\n\t\treturn v, err\n", ev, e.Field, f.typ(e.Payload), f.use("encoding/json", "json"))
		}
		f.printf("\t}\n\treturn %s.RawMessage(data), nil\n}\n\n", f.use("encoding/json", "json"))
	}
	f.printf("var _ %s.API = (*Client)(nil)\n", f.use(c.Pkg.Path(), c.Pkg.Name()))
	return f.source()
}

// namesFile is app/events' names: one constant per declared event.
func namesFile(c *Contract) ([]byte, error) {
	f := newGoFile("events", eventsPath)
	f.printf("// Event names, area:verb, as %s.Events declares them with their payloads.\nconst (\n", c.Pkg.Name())
	for _, e := range c.Events {
		doc := e.Doc
		if doc == "" {
			doc = e.Field + " is " + e.Name + "."
		}
		f.printf("%s\t%s = %q\n", goDoc(doc, "\t"), e.Field, e.Name)
	}
	f.printf(")\n\n")
	f.printf("// Names lists the declared events' names.\nfunc Names() []string {\n\treturn []string{")
	for i, e := range c.Events {
		if i > 0 {
			f.printf(", ")
		}
		f.printf("%s", e.Field)
	}
	f.printf("}\n}\n\n")
	f.printf("// Known reports whether name is a declared event's.\nfunc Known(name string) bool {\n\tswitch name {\n\tcase ")
	for i, e := range c.Events {
		if i > 0 {
			f.printf(", ")
		}
		f.printf("%s", e.Field)
	}
	f.printf(":\n\t\treturn true\n\t}\n\treturn false\n}\n")
	return f.source()
}

// bodyParams are the parameters that travel in the body.
func bodyParams(m *Method) []*Param {
	var out []*Param
	for _, p := range m.Params {
		if p.In == InBody || p.In == InMember {
			out = append(out, p)
		}
	}
	return out
}

// bodyStruct is the struct type of a body object keyed by parameter names.
func bodyStruct(f *goFile, ps []*Param) string {
	var b strings.Builder
	b.WriteString("struct {\n")
	for _, p := range ps {
		fmt.Fprintf(&b, "\t%s %s `json:%q`\n", exported(p.Name), f.typ(p.Type), p.Name)
	}
	b.WriteString("}")
	return b.String()
}

// shapeOf says what a body must look like, for the error of one that does not.
func shapeOf(st *types.Struct) string {
	var names []string
	for _, fl := range jsonFields(st) {
		names = append(names, strconv.Quote(fl.JSON))
	}
	return "{" + strings.Join(names, ", ") + "}"
}

func shapeOfParams(ps []*Param) string {
	var names []string
	for _, p := range ps {
		names = append(names, strconv.Quote(p.Name))
	}
	return "{" + strings.Join(names, ", ") + "}"
}

// goPath is the Go expression of m's path with its parameters escaped.
func goPath(f *goFile, m *Method) string {
	var parts []string
	rest := m.Path
	for {
		loc := pathParamRE.FindStringSubmatchIndex(rest)
		if loc == nil {
			break
		}
		if loc[0] > 0 {
			parts = append(parts, strconv.Quote(rest[:loc[0]]))
		}
		arg := rest[loc[2]:loc[3]]
		for _, p := range m.Params {
			if p.Name != arg {
				continue
			}
			arg = local(p)
			if isNamedString(p.Type) {
				arg = "string(" + arg + ")"
			}
		}
		parts = append(parts, f.use("net/url", "url")+".PathEscape("+arg+")")
		rest = rest[loc[1]:]
	}
	if rest != "" {
		parts = append(parts, strconv.Quote(rest))
	}
	return strings.Join(parts, " + ")
}

// size is n bytes as Go source: 4 << 20 rather than 4194304.
func size(n int64) string {
	switch {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d << 20", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%d << 10", n>>10)
	}
	return strconv.FormatInt(n, 10)
}

func isNamedString(t types.Type) bool {
	_, named := types.Unalias(t).(*types.Named)
	return named && isString(t)
}
