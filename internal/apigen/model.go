package apigen

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Model is the API as declared: its methods in declaration order, its
// events, and the named types outside the methods that the contract
// includes (//api:type).
type Model struct {
	Pkg     *types.Package
	Methods []*Method
	Events  []*Event
	Extra   []*types.TypeName
	// EventType is the element type of a stream method's channel.
	EventType types.Type
}

// Method is one method of the API and how it travels over HTTP.
type Method struct {
	Name string
	Doc  string
	Verb string
	// Path is the URL path with {name} for each path parameter.
	Path string
	// Limit is the most bytes a request body may hold.
	Limit  int64
	Params []*Param
	// Result is the value returned besides the error; nil when none.
	Result types.Type
	// Stream marks a method returning a channel of events and an error:
	// Server-Sent Events over HTTP, not bound in the window.
	Stream   bool
	Variadic bool
}

// In says where a parameter travels over HTTP.
type In string

const (
	// InPath is one escaped path segment.
	InPath In = "path"
	// InQuery is a query parameter of the parameter's name.
	InQuery In = "query"
	// InFields is a struct's fields in the query, by their JSON names.
	InFields In = "fields"
	// InBody is the whole JSON body: the one struct parameter left.
	InBody In = "body"
	// InMember is a member of the JSON body object, keyed by the name.
	InMember In = "member"
)

// Param is one parameter of a method, the context aside.
type Param struct {
	Name string
	Type types.Type
	In   In
}

// Event is one declared event.
type Event struct {
	// Field is the declaring field's name, the Go and TypeScript constant's.
	Field   string
	Name    string
	Doc     string
	Payload types.Type
}

// DefaultLimit is the size limit of a request body unless limit= says otherwise.
const DefaultLimit = 64 << 10

var (
	directiveRE = regexp.MustCompile(`^//api:http (GET|POST|PUT|PATCH|DELETE) (/\S*)((?: \w+=\S+)*)$`)
	pathParamRE = regexp.MustCompile(`\{([^{}]*)\}`)
	eventNameRE = regexp.MustCompile(`^[a-z]+:[a-z]+$`)
)

// modelOf reads the declaration: the interface API of pkg, the struct
// type marked //api:events, and the types marked //api:type.
func modelOf(pkg *types.Package, files []*ast.File) (*Model, error) {
	m := &Model{Pkg: pkg}
	var apiSpec *ast.InterfaceType
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, s := range g.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok {
					continue
				}
				doc := ts.Doc
				if doc == nil && len(g.Specs) == 1 {
					doc = g.Doc
				}
				switch {
				case ts.Name.Name == "API":
					it, ok := ts.Type.(*ast.InterfaceType)
					if !ok {
						return nil, fmt.Errorf("API is not an interface")
					}
					apiSpec = it
				case hasDirective(doc, "//api:events"):
					evs, err := eventsOf(pkg, ts.Name.Name)
					if err != nil {
						return nil, err
					}
					m.Events = append(m.Events, evs...)
				case hasDirective(doc, "//api:type"):
					tn, ok := pkg.Scope().Lookup(ts.Name.Name).(*types.TypeName)
					if !ok {
						return nil, fmt.Errorf("%s: not a type", ts.Name.Name)
					}
					m.Extra = append(m.Extra, tn)
				}
			}
		}
	}
	if apiSpec == nil {
		return nil, fmt.Errorf("package %s declares no API interface", pkg.Path())
	}
	iface, ok := pkg.Scope().Lookup("API").Type().Underlying().(*types.Interface)
	if !ok {
		return nil, fmt.Errorf("API is not an interface")
	}
	for _, field := range apiSpec.Methods.List {
		if len(field.Names) != 1 {
			return nil, fmt.Errorf("API embeds an interface; declare its methods in API itself")
		}
		name := field.Names[0].Name
		var fn *types.Func
		for i := range iface.NumMethods() {
			if iface.Method(i).Name() == name {
				fn = iface.Method(i)
			}
		}
		meth, err := methodOf(fn, field.Doc)
		if err != nil {
			return nil, fmt.Errorf("API.%s: %w", name, err)
		}
		if meth.Stream {
			if m.EventType != nil && !types.Identical(m.EventType, meth.Result) {
				return nil, fmt.Errorf("API.%s: streams of two event types", name)
			}
			m.EventType = meth.Result
		}
		m.Methods = append(m.Methods, meth)
	}
	if err := checkRoutes(m.Methods); err != nil {
		return nil, err
	}
	return m, nil
}

func hasDirective(doc *ast.CommentGroup, directive string) bool {
	if doc == nil {
		return false
	}
	return slices.ContainsFunc(doc.List, func(c *ast.Comment) bool { return c.Text == directive })
}

// methodOf reads one method's signature and its //api:http directive.
func methodOf(fn *types.Func, doc *ast.CommentGroup) (*Method, error) {
	sig := fn.Type().(*types.Signature)
	m := &Method{Name: fn.Name(), Limit: DefaultLimit, Variadic: sig.Variadic()}
	var directive string
	if doc != nil {
		var lines []string
		for _, c := range doc.List {
			if strings.HasPrefix(c.Text, "//api:") {
				if directive != "" {
					return nil, fmt.Errorf("two //api: directives")
				}
				directive = c.Text
				continue
			}
			lines = append(lines, c.Text)
		}
		m.Doc = commentText(lines)
	}
	if directive == "" {
		return nil, fmt.Errorf("no //api:http line in its doc comment")
	}
	d := directiveRE.FindStringSubmatch(directive)
	if d == nil {
		return nil, fmt.Errorf("%q: want //api:http VERB /path [limit=N{KiB,MiB}]", directive)
	}
	m.Verb, m.Path = d[1], d[2]
	for _, opt := range strings.Fields(d[3]) {
		k, v, _ := strings.Cut(opt, "=")
		if k != "limit" {
			return nil, fmt.Errorf("%q: unknown option %s", directive, k)
		}
		n, err := parseSize(v)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", directive, err)
		}
		m.Limit = n
	}

	params := sig.Params()
	if params.Len() == 0 || !isContext(params.At(0).Type()) {
		return nil, fmt.Errorf("the first parameter must be a context.Context")
	}
	for i := 1; i < params.Len(); i++ {
		p := params.At(i)
		if p.Name() == "" || p.Name() == "_" {
			return nil, fmt.Errorf("parameter %d has no name, which the wire needs", i)
		}
		m.Params = append(m.Params, &Param{Name: p.Name(), Type: p.Type()})
	}
	res := sig.Results()
	if res.Len() == 0 || res.Len() > 2 || !isError(res.At(res.Len()-1).Type()) {
		return nil, fmt.Errorf("must return an error, after at most one value")
	}
	if res.Len() == 2 {
		m.Result = res.At(0).Type()
		if ch, ok := m.Result.(*types.Chan); ok {
			if ch.Dir() != types.RecvOnly {
				return nil, fmt.Errorf("a stream returns a receive-only channel")
			}
			if m.Verb != "GET" {
				return nil, fmt.Errorf("a stream is a GET")
			}
			m.Stream, m.Result = true, ch.Elem()
		}
	}
	if err := bind(m); err != nil {
		return nil, err
	}
	return m, nil
}

// bind decides where each parameter travels: {name} in the path binds
// the parameter of that name; the rest go in the query for GET and
// DELETE, in the body otherwise.
func bind(m *Method) error {
	byName := map[string]*Param{}
	for _, p := range m.Params {
		byName[p.Name] = p
	}
	for _, sub := range pathParamRE.FindAllStringSubmatch(m.Path, -1) {
		p := byName[sub[1]]
		if p == nil {
			return fmt.Errorf("path %s: no parameter %s", m.Path, sub[1])
		}
		if p.In != "" {
			return fmt.Errorf("path %s: {%s} twice", m.Path, sub[1])
		}
		if b, ok := p.Type.Underlying().(*types.Basic); !ok || b.Info()&types.IsString == 0 {
			return fmt.Errorf("path parameter %s: a string, as one segment", p.Name)
		}
		p.In = InPath
	}
	var rest []*Param
	for _, p := range m.Params {
		if p.In == "" {
			rest = append(rest, p)
		}
	}
	switch m.Verb {
	case "GET", "DELETE":
		fields := 0
		for _, p := range rest {
			p.In = InQuery
			if _, ok := p.Type.Underlying().(*types.Struct); ok {
				p.In = InFields
				fields++
			}
			if err := checkQuery(p); err != nil {
				return err
			}
		}
		if fields > 1 {
			return fmt.Errorf("two structs in one query; their fields would share one namespace")
		}
	default:
		if len(rest) == 1 {
			if _, ok := rest[0].Type.Underlying().(*types.Struct); ok {
				rest[0].In = InBody
				return nil
			}
		}
		for _, p := range rest {
			p.In = InMember
		}
	}
	return nil
}

// checkQuery refuses, when generating, what wire.EncodeQuery would refuse
// when called.
func checkQuery(p *Param) error {
	ok := func(t types.Type) bool { return isQueryScalar(t) }
	list := func(t types.Type) bool {
		s, isSlice := t.Underlying().(*types.Slice)
		return isSlice && ok(s.Elem())
	}
	value := func(t types.Type) bool {
		if ok(t) || list(t) {
			return true
		}
		mp, isMap := t.Underlying().(*types.Map)
		if !isMap || !isString(mp.Key()) {
			return false
		}
		return ok(mp.Elem()) || list(mp.Elem())
	}
	if p.In == InFields {
		for _, f := range jsonFields(p.Type.Underlying().(*types.Struct)) {
			if !value(f.Type) {
				return fmt.Errorf("parameter %s: field %s (%s) cannot travel in a query", p.Name, f.JSON, f.Type)
			}
		}
		return nil
	}
	if !value(p.Type) {
		return fmt.Errorf("parameter %s (%s) cannot travel in a query", p.Name, p.Type)
	}
	return nil
}

func isQueryScalar(t types.Type) bool {
	if named, ok := t.(*types.Named); ok && isTime(named) {
		return true
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsString|types.IsBoolean|types.IsNumeric) != 0 && b.Info()&types.IsComplex == 0
}

// checkRoutes refuses two methods on one route.
func checkRoutes(methods []*Method) error {
	seen := map[string]string{}
	for _, m := range methods {
		key := m.Verb + " " + pathParamRE.ReplaceAllString(m.Path, "{}")
		if other, ok := seen[key]; ok {
			return fmt.Errorf("API.%s and API.%s share the route %s %s", other, m.Name, m.Verb, m.Path)
		}
		seen[key] = m.Name
	}
	return nil
}

// eventsOf reads the events struct: each field a payload, its tag the name.
func eventsOf(pkg *types.Package, name string) ([]*Event, error) {
	st, ok := pkg.Scope().Lookup(name).Type().Underlying().(*types.Struct)
	if !ok {
		return nil, fmt.Errorf("%s is marked //api:events but is not a struct", name)
	}
	var out []*Event
	seen := map[string]bool{}
	for i := range st.NumFields() {
		f := st.Field(i)
		ev := reflect.StructTag(st.Tag(i)).Get("event")
		if !eventNameRE.MatchString(ev) {
			return nil, fmt.Errorf("%s.%s: event tag %q is not area:verb", name, f.Name(), ev)
		}
		if seen[ev] {
			return nil, fmt.Errorf("%s.%s: event %s declared twice", name, f.Name(), ev)
		}
		seen[ev] = true
		out = append(out, &Event{Field: f.Name(), Name: ev, Payload: f.Type()})
	}
	return out, nil
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			s, mult = n, m
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("limit %q: want a size such as 4MiB", s)
	}
	return n * mult, nil
}

func isContext(t types.Type) bool { return isNamed(t, "context", "Context") }
func isError(t types.Type) bool   { return types.Identical(t, types.Universe.Lookup("error").Type()) }
func isTime(t types.Type) bool    { return isNamed(t, "time", "Time") }

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// commentText is the text of // comment lines, without the markers.
func commentText(lines []string) string {
	var out []string
	for _, l := range lines {
		l = strings.TrimPrefix(l, "//")
		l = strings.TrimPrefix(l, " ")
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
