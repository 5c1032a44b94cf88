package catalog

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The mutation generator: valid example entities of every kind, broken in
// seeded random ways (fields removed, wrong types, tricky names and refs,
// unknown fields), so the conformance test compares verdicts on hundreds of
// entities nobody wrote by hand.

// tricky values a mutation may put anywhere.
var tricky = []any{
	"", " ", "a", "A", "-a", "a-", "a_b", "a.b", "a--b", "a..b", "_a", "a_", "Ä", "ü-ber",
	strings.Repeat("x", 63), strings.Repeat("x", 64), strings.Repeat("y", 253) + ".io/a",
	"a/b", "a/b/c", "a:b", "a:b/c", "group:", ":a", "default/", "/a", "group:ns/a", "user:a", "system:a", "api:a",
	"a b", "c++", "c#", "k8s:prod", "UPPER", "x:", "backstage.io/v1alpha1", "backstage.io/v1beta1", "v1", "x/y/z",
	"https://example.com", "http://", "http:x", "mailto:a@b", "1.2.3.256", "http://1.2.3.4:99999", "http://[::1]:80/x",
	"javascript:alert(1)", "ftp://a b", "skill", "rule", "plugin", "marketplace", "mcp-server", "optional", "required",
	float64(0), float64(1), 1.5, float64(-1), true, false, nil,
	[]any{}, []any{"a"}, []any{""}, []any{"a", 1.0}, []any{"group:x", "user:y"},
	map[string]any{}, map[string]any{"a": "b"}, map[string]any{"a": 1.0}, map[string]any{"$text": "./x"},
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, y := range x {
			out[k] = deepCopy(y)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = deepCopy(y)
		}
		return out
	}
	return v
}

// paths lists every path into v, containers included.
func paths(v any, prefix []string, out *[][]string) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			p := append(slices.Clone(prefix), k)
			*out = append(*out, p)
			paths(x[k], p, out)
		}
	case []any:
		for i := range x {
			p := append(slices.Clone(prefix), strconv.Itoa(i))
			*out = append(*out, p)
			paths(x[i], p, out)
		}
	}
}

// set replaces (or with del, removes) the value at path.
func set(root any, path []string, v any, del bool) {
	parent := root
	for _, p := range path[:len(path)-1] {
		switch x := parent.(type) {
		case map[string]any:
			parent = x[p]
		case []any:
			i, _ := strconv.Atoi(p)
			parent = x[i]
		}
	}
	last := path[len(path)-1]
	switch x := parent.(type) {
	case map[string]any:
		if del {
			delete(x, last)
		} else {
			x[last] = v
		}
	case []any:
		i, _ := strconv.Atoi(last)
		x[i] = v
	}
}

func mutate(rng *rand.Rand, base map[string]any) map[string]any {
	e := deepCopy(base).(map[string]any)
	for n := 1 + rng.IntN(2); n > 0; n-- {
		var all [][]string
		paths(e, nil, &all)
		p := all[rng.IntN(len(all))]
		switch op := rng.IntN(10); {
		case op < 2:
			set(e, p, nil, true)
		case op < 8:
			set(e, p, deepCopy(tricky[rng.IntN(len(tricky))]), false)
		default:
			// an unknown field next to the chosen one
			parent := p[:len(p)-1]
			if len(parent) == 0 {
				e[fmt.Sprintf("extra%d", rng.IntN(3))] = "x"
				continue
			}
			var cur any = e
			for _, k := range parent {
				if m, ok := cur.(map[string]any); ok {
					cur = m[k]
				} else if l, ok := cur.([]any); ok {
					i, _ := strconv.Atoi(k)
					cur = l[i]
				}
			}
			if m, ok := cur.(map[string]any); ok {
				m["unknownField"] = tricky[rng.IntN(len(tricky))]
			}
		}
	}
	return e
}

// baseEntities are the valid examples every mutation starts from.
func baseEntities(t *testing.T) []map[string]any {
	t.Helper()
	data, err := os.ReadFile("testdata/conformance/kinds/every-kind.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs, errs := readDocuments(data)
	if len(errs) > 0 {
		t.Fatalf("every-kind.yaml: %v", errs)
	}
	var out []map[string]any
	for _, d := range docs {
		out = append(out, d.value.(map[string]any))
	}
	return out
}

// writeMutations writes n files of mutated entities (one to three per
// file) into dir and returns their names.
func writeMutations(t *testing.T, dir string, seed uint64, n int) []string {
	t.Helper()
	bases := baseEntities(t)
	rng := rand.New(rand.NewPCG(seed, seed))
	var names []string
	for i := range n {
		var docs []string
		for range 1 + rng.IntN(3)*rng.IntN(2) {
			e := mutate(rng, bases[rng.IntN(len(bases))])
			if rng.IntN(4) == 0 {
				md, _ := e["metadata"].(map[string]any)
				if md != nil {
					md = maps.Clone(md)
					md["name"] = fmt.Sprintf("n%d", rng.IntN(3))
					e["metadata"] = md
				}
			}
			out, err := yaml.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, string(out))
		}
		name := fmt.Sprintf("gen-%04d.yaml", i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(docs, "---\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}
