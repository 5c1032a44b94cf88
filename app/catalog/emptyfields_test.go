package catalog

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The empty-fields suite: every field of every example entity (and the
// optional envelope fields the examples leave out) set in turn to each of
// emptyValues, one file per field with one entity per value. Real catalogs
// leave fields empty (`annotations:` with no value) or give them the wrong
// shape; the conformance test holds each such verdict to Backstage's.

// emptyValues are what a field is tried with: empty in every YAML way, the
// wrong type for every field (a number, a boolean, lists with an empty
// item), and placeholders that read nothing.
var emptyValues = []struct {
	name string
	v    any
}{
	{"null", nil},
	{"empty", ""},
	{"blank", " "},
	{"emptylist", []any{}},
	{"emptymap", map[string]any{}},
	{"number", 1.0},
	{"bool", true},
	{"listnull", []any{nil}},
	{"listempty", []any{""}},
	{"yamlempty", map[string]any{"$yaml": "./empty.txt"}},
	{"jsonnull", map[string]any{"$json": "./null.json"}},
	{"textempty", map[string]any{"$text": "./empty.txt"}},
}

// placeholderFiles are the files emptyValues' placeholders read.
var placeholderFiles = map[string]string{"empty.txt": "", "null.json": "null\n"}

// optionalFields are fields no example entity has, tried on each of them.
var optionalFields = [][]string{
	{"metadata", "namespace"}, {"metadata", "uid"}, {"metadata", "etag"}, {"metadata", "title"},
	{"metadata", "description"}, {"metadata", "labels"}, {"metadata", "annotations"}, {"metadata", "tags"},
	{"metadata", "links"}, {"metadata", "custom"}, {"spec", "custom"}, {"relations"}, {"status"},
}

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// writeEmptyFields writes the suite's files into dir and returns their names.
func writeEmptyFields(t *testing.T, dir string) []string {
	t.Helper()
	for name, content := range placeholderFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for i, base := range baseEntities(t) {
		var all [][]string
		paths(base, nil, &all)
		for _, p := range optionalFields {
			if !slices.ContainsFunc(all, func(q []string) bool { return slices.Equal(p, q) }) {
				all = append(all, p)
			}
		}
		for _, p := range all {
			var docs []string
			for _, ev := range emptyValues {
				e := deepCopy(base).(map[string]any)
				// Each entity of the file gets its own name, so the
				// verdicts compared are one per value.
				md := e["metadata"].(map[string]any)
				md["name"] = fmt.Sprintf("%s-%s", md["name"], ev.name)
				set(e, p, deepCopy(ev.v), false)
				out, err := yaml.Marshal(e)
				if err != nil {
					t.Fatal(err)
				}
				// `key:` with no value, as people write it.
				docs = append(docs, strings.ReplaceAll(string(out), ": null\n", ":\n"))
			}
			name := fmt.Sprintf("%02d-%s.yaml", i, unsafeInName.ReplaceAllString(strings.Join(p, "."), "_"))
			if slices.Contains(names, name) {
				t.Fatalf("two fields make the file name %s", name)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(docs, "---\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
	}
	return names
}
