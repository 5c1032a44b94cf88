package apigen

import (
	"cmp"
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"
)

// tsKind is how a named Go type is declared in TypeScript.
type tsKind int

const (
	tsInterface tsKind = iota // a struct: an interface of its JSON fields
	tsUnion                   // a string type with constants: a union of them
)

// tsNamed is a named Go type the TypeScript side declares.
type tsNamed struct {
	Obj    *types.TypeName
	Name   string
	Kind   tsKind
	Fields []jsonField
	Values []string
}

// typeSet is every named type the contract reaches, with its TypeScript name.
type typeSet struct {
	byObj map[*types.TypeName]*tsNamed
	list  []*tsNamed
}

// collectTypes walks the methods' parameters and results, the events'
// payloads and the //api:type types.
func collectTypes(m *Model, fset *token.FileSet) (*typeSet, error) {
	ts := &typeSet{byObj: map[*types.TypeName]*tsNamed{}}
	var walk func(t types.Type, where string) error
	walk = func(t types.Type, where string) error {
		if !typeOK(t) {
			return fmt.Errorf("%s: a type did not type-check", where)
		}
		switch t := types.Unalias(t).(type) {
		case *types.Named:
			if t.TypeArgs().Len() > 0 {
				return fmt.Errorf("%s: generic type %s is not supported", where, t)
			}
			if special(t) != "" {
				return nil
			}
			if _, ok := ts.byObj[t.Obj()]; ok {
				return nil
			}
			switch u := t.Underlying().(type) {
			case *types.Struct:
				n := &tsNamed{Obj: t.Obj(), Kind: tsInterface, Fields: jsonFieldsOf(t.Obj(), u)}
				ts.add(n)
				for _, f := range n.Fields {
					if err := walk(f.Type, t.Obj().Name()+"."+f.Var.Name()); err != nil {
						return err
					}
				}
				return nil
			case *types.Basic:
				if u.Info()&types.IsString != 0 {
					if values := constantsOf(t, fset); len(values) > 0 {
						ts.add(&tsNamed{Obj: t.Obj(), Kind: tsUnion, Values: values})
					}
				}
				return nil
			}
			return walk(t.Underlying(), where)
		case *types.Pointer:
			return walk(t.Elem(), where)
		case *types.Slice:
			return walk(t.Elem(), where)
		case *types.Array:
			return walk(t.Elem(), where)
		case *types.Map:
			if !isString(t.Key()) {
				return fmt.Errorf("%s: map keys must be strings", where)
			}
			return walk(t.Elem(), where)
		case *types.Struct:
			for _, f := range jsonFields(t) {
				if err := walk(f.Type, where+"."+f.Var.Name()); err != nil {
					return err
				}
			}
			return nil
		case *types.Basic, *types.Interface:
			return nil
		}
		return fmt.Errorf("%s: %s cannot cross the wire", where, t)
	}
	for _, meth := range m.Methods {
		for _, p := range meth.Params {
			if err := walk(p.Type, "API."+meth.Name+" "+p.Name); err != nil {
				return nil, err
			}
		}
		if meth.Result != nil && !meth.Stream {
			if err := walk(meth.Result, "API."+meth.Name); err != nil {
				return nil, err
			}
		}
	}
	for _, ev := range m.Events {
		if err := walk(ev.Payload, "event "+ev.Name); err != nil {
			return nil, err
		}
	}
	for _, tn := range m.Extra {
		if err := walk(tn.Type(), tn.Name()); err != nil {
			return nil, err
		}
	}
	ts.name(m.Pkg)
	return ts, nil
}

func (ts *typeSet) add(n *tsNamed) {
	ts.byObj[n.Obj] = n
	ts.list = append(ts.list, n)
}

// jsGlobals are the names of JavaScript's and the DOM's constructors that
// UI code uses as values: a type of that name would hide them.
var jsGlobals = map[string]bool{"Array": true, "Blob": true, "Date": true, "Element": true, "Error": true, "Event": true,
	"File": true, "Function": true, "Headers": true, "Image": true, "Map": true, "Node": true, "Number": true, "Object": true,
	"Promise": true, "RegExp": true, "Request": true, "Response": true, "Set": true, "String": true, "Symbol": true, "Text": true, "URL": true}

// name gives each type its TypeScript name: its Go name, or its package's
// name before it when that would hide a JavaScript constructor
// (portal.Error is PortalError, scaffold.File ScaffoldFile) or when a type
// of the API's own package, or two of others, have it (scaffold.Link is
// ScaffoldLink beside portal.Link). The list is sorted by name, so a new
// type does not reorder the file.
func (ts *typeSet) name(home *types.Package) {
	count := map[string]int{}
	homeHas := map[string]bool{}
	for _, n := range ts.list {
		count[n.Obj.Name()]++
		if n.Obj.Pkg() == home {
			homeHas[n.Obj.Name()] = true
		}
	}
	for _, n := range ts.list {
		n.Name = n.Obj.Name()
		if jsGlobals[n.Name] || count[n.Name] > 1 && (n.Obj.Pkg() != home || !homeHas[n.Name]) {
			n.Name = exported(n.Obj.Pkg().Name()) + n.Name
		}
	}
	slices.SortFunc(ts.list, func(a, b *tsNamed) int { return cmp.Compare(a.Name, b.Name) })
}

// packages are the import paths of the packages declaring the types.
func (ts *typeSet) packages() []string {
	var out []string
	for _, n := range ts.list {
		if p := n.Obj.Pkg().Path(); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// special is the TypeScript type of a Go type that encodes itself, or "".
func special(t *types.Named) string {
	switch {
	case isTime(t):
		return "string"
	case isNamed(t, "encoding/json", "RawMessage"):
		return "unknown"
	case hasMethod(t, "MarshalJSON"):
		return "unknown"
	case hasMethod(t, "MarshalText"):
		return "string"
	}
	return ""
}

func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// constantsOf lists the exported string constants of type t in its
// package, in the order they are declared.
func constantsOf(t *types.Named, fset *token.FileSet) []string {
	scope := t.Obj().Pkg().Scope()
	var consts []*types.Const
	for _, name := range scope.Names() {
		c, ok := scope.Lookup(name).(*types.Const)
		if ok && c.Exported() && types.Identical(c.Type(), t) {
			consts = append(consts, c)
		}
	}
	slices.SortFunc(consts, func(a, b *types.Const) int {
		pa, pb := fset.Position(a.Pos()), fset.Position(b.Pos())
		return cmp.Or(cmp.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Column, pb.Column))
	})
	var out []string
	for _, c := range consts {
		if v := constant.StringVal(c.Val()); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// exported is s with its first letter upper-cased.
func exported(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// unexported is s with its first letter lower-cased: a Go method's
// TypeScript name.
func unexported(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
