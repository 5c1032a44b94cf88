package scaffold

import (
	"path"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/sync/remote"
)

// ordered returns v, a value as the catalog decodes it (map[string]any,
// []any, scalars), with every mapping an *nunjucks.Object whose keys come
// in the order hint has them: hint is the same value as written, decoded
// in order (from the template's file, where placeholders are still
// unresolved: follow gives the value a placeholder's file holds, or nil).
// Keys hint lacks come after, sorted; values always come from v.
func ordered(v, hint any, follow func(*nunjucks.Object) any) any {
	if h, ok := hint.(*nunjucks.Object); ok && isPlaceholder(h) {
		hint = follow(h)
	}
	switch x := v.(type) {
	case map[string]any:
		out := nunjucks.NewObject()
		h, _ := hint.(*nunjucks.Object)
		if h != nil {
			for _, k := range h.Keys() {
				if val, ok := x[k]; ok {
					sub, _ := h.Get(k)
					out.Set(k, ordered(val, sub, follow))
				}
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if _, done := out.Get(k); !done {
				out.Set(k, ordered(x[k], nil, follow))
			}
		}
		return out
	case []any:
		h, _ := hint.([]any)
		out := make([]any, len(x))
		for i, item := range x {
			var sub any
			if i < len(h) {
				sub = h[i]
			}
			out[i] = ordered(item, sub, follow)
		}
		return out
	}
	return v
}

// isPlaceholder says whether o is a placeholder the catalog resolves to
// structured data ($yaml, $json); $text gives a string, with no keys.
func isPlaceholder(o *nunjucks.Object) bool {
	if o.Len() != 1 {
		return false
	}
	k := o.Keys()[0]
	return k == "$yaml" || k == "$json"
}

// keyOrder is the template named name as written in src.File, decoded
// with its keys in order; nil when it cannot be read.
func (src Source) keyOrder(name string) any {
	data, err := catalog.ReadLimited(src.Files, src.File)
	if err != nil {
		return nil
	}
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			continue
		}
		kind, _ := doc.Scalar("kind")
		n, _ := doc.Scalar("metadata", "name")
		if kind != "Template" || n != name {
			continue
		}
		v, err := doc.Decode(newObject)
		if err != nil {
			return nil
		}
		return v
	}
	return nil
}

func newObject(int) catalog.Mapping { return nunjucks.NewObject() }

// follow decodes, in order, the file a $yaml or $json placeholder of
// src.File names, when it is in the same repository (a path, or a URL
// into Home); nil otherwise.
func (src Source) follow(o *nunjucks.Object) any {
	kind := o.Keys()[0]
	v, _ := o.Get(kind)
	ref, ok := v.(string)
	if !ok {
		return nil
	}
	var name string
	switch {
	case strings.Contains(ref, "://"):
		t, err := remote.Parse(ref)
		if err != nil {
			return nil
		}
		if name, ok = t.In(src.Home); !ok {
			return nil
		}
	case strings.HasPrefix(ref, "/"):
		name = path.Clean(strings.TrimPrefix(ref, "/"))
	default:
		name = path.Join(path.Dir(src.File), ref)
	}
	if name == ".." || strings.HasPrefix(name, "../") {
		return nil
	}
	data, err := catalog.ReadLimited(src.Files, name)
	if err != nil {
		return nil
	}
	if kind == "$json" {
		v, err := nunjucks.DecodeJSON(data)
		if err != nil {
			return nil
		}
		return v
	}
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			return nil
		}
		v, err := doc.Decode(newObject)
		if err != nil {
			return nil
		}
		return v
	}
	return nil
}
