package apigen

import (
	"go/types"
	"reflect"
	"slices"
	"strings"
)

// jsonField is a struct field as encoding/json writes it.
type jsonField struct {
	JSON string
	Type types.Type
	// Optional is omitempty or omitzero: the field may be absent.
	Optional bool
	Var      *types.Var
	// Owner is the named struct that declares the field (nil for a struct
	// type written inline), where its doc comment is.
	Owner *types.TypeName
	// index is where the field is, through embedded structs.
	index []int
}

// jsonFields lists st's fields by their JSON names, in the order
// encoding/json writes them, those of embedded structs flattened level by
// level, a field nearer the top hiding one of the same name deeper down
// (app/wire does the same at run time).
func jsonFields(st *types.Struct) []jsonField { return jsonFieldsOf(nil, st) }

func jsonFieldsOf(owner *types.TypeName, st *types.Struct) []jsonField {
	type level struct {
		owner *types.TypeName
		st    *types.Struct
		index []int
	}
	var out []jsonField
	seen := map[string]bool{}
	for next := []level{{owner, st, nil}}; len(next) > 0; {
		this := next
		next = nil
		for _, l := range this {
			for i := range l.st.NumFields() {
				f := l.st.Field(i)
				tag := reflect.StructTag(l.st.Tag(i)).Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				index := append(slices.Clone(l.index), i)
				if f.Embedded() && name == "" {
					t := f.Type()
					if p, ok := t.(*types.Pointer); ok {
						t = p.Elem()
					}
					if inner, ok := t.Underlying().(*types.Struct); ok {
						var o *types.TypeName
						if n, ok := types.Unalias(t).(*types.Named); ok {
							o = n.Obj()
						}
						next = append(next, level{o, inner, index})
						continue
					}
				}
				if !f.Exported() {
					continue
				}
				if name == "" {
					name = f.Name()
				}
				if seen[name] {
					continue
				}
				seen[name] = true
				optional := false
				for _, o := range strings.Split(opts, ",") {
					optional = optional || o == "omitempty" || o == "omitzero"
				}
				out = append(out, jsonField{JSON: name, Type: f.Type(), Optional: optional, Var: f, Owner: l.owner, index: index})
			}
		}
	}
	slices.SortFunc(out, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })
	return out
}
