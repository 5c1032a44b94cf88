package scaffold

import (
	"strings"
	"testing"

	"github.com/callboard/callboard/app/nunjucks"
)

// FuzzRoadieYAML reads any bytes as fs:parse and merge read a workspace
// file, merges them into themselves and writes them as serialize:yaml
// would: it must never panic, and what it writes must read back as the
// same values. Inputs the fuzzer found are kept in
// testdata/fuzz/FuzzRoadieYAML.
func FuzzRoadieYAML(f *testing.F) {
	for _, seed := range []string{
		"a: 1\nb: [x, {c: null}]\n",
		"apiVersion: backstage.io/v1alpha1\nkind: Component # c\nmetadata:\n  name: x\n",
		"---\na: 1\n---\n- b\n- 'c d'\n",
		"base: &b {x: 1}\nuse: *b\n<<: *b\n",
		"s: |\n  line\n   more\n\nt: >-\n  folded\n  text\n",
		"k: \"\\x07\\u2028 \\\"q\\\"\"\n'1': 0x1F\n? [a]\n: b\n",
		"a: &a [*a]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := parseYAMLDocuments(data)
		if err != nil {
			return
		}
		for _, d := range docs {
			merged := mergeWith(d, d, true)
			for _, v := range []any{d, merged} {
				text := stringifyYAML(v, defaultYAMLOptions())
				if _, scalar := v.(string); scalar || strings.ContainsAny(text, "\u0085\u2028\u2029") {
					// yaml.v3 reads U+2028 and its kin as line breaks,
					// as YAML 1.1 did, and refuses a block scalar at
					// the top without indentation; the yaml package,
					// and our writer with it, follow YAML 1.2.
					continue
				}
				back, err := parseYAML([]byte(text))
				if err != nil {
					t.Fatalf("%q written as %q does not read back: %v", data, text, err)
				}
				want, _ := jsonStringify(v, nil, "")
				got, _ := jsonStringify(back, nil, "")
				if want != got {
					t.Fatalf("%q written as %q reads back as %s, not %s", data, text, got, want)
				}
			}
		}
	})
}

// FuzzRoadieJSONMerge merges any two JSON texts as json:merge does: it
// must never panic, and the result must be JSON.
func FuzzRoadieJSONMerge(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":2}],"c":{"d":null}}`), []byte(`{"a":[{"b":2}],"c":{"d":[1]},"1":"x"}`))
	f.Add([]byte(`[1,2,3]`), []byte(`"ab"`))
	f.Add([]byte(`{}`), []byte(`{"__proto__":{"x":1}}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		old, err := nunjucks.DecodeJSON(a)
		if err != nil {
			return
		}
		content, err := nunjucks.DecodeJSON(b)
		if err != nil {
			return
		}
		for _, concat := range []bool{false, true} {
			out, ok := jsonStringify(mergeWith(old, content, concat), nil, "  ")
			if !ok {
				continue
			}
			if _, err := nunjucks.DecodeJSON([]byte(out)); err != nil {
				t.Fatalf("merging %q into %q wrote %q: %v", b, a, out, err)
			}
		}
	})
}
