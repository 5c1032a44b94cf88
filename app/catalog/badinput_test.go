package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// hugeFiles claims one enormous file and fails the test if it is read:
// processing must refuse it from its size alone.
type hugeFiles struct {
	MapFiles
	t *testing.T
}

func (h hugeFiles) Size(name string) (int64, error) {
	if name == "huge.yaml" {
		return 100 << 20, nil
	}
	return h.MapFiles.Size(name)
}

func (h hugeFiles) ReadFile(name string) ([]byte, error) {
	if name == "huge.yaml" {
		h.t.Error("the 100 MB file was read")
	}
	return h.MapFiles.ReadFile(name)
}

func billionLaughs() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	return b.String()
}

// byteBomb is an entity whose spec.bomb lists n aliases of one string of
// size bytes: a file of size bytes that expands to n times as much.
func byteBomb(size, n int) string {
	var b strings.Builder
	b.WriteString("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bomb\n  description: &big \"" + strings.Repeat("x", size) + "\"\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n  bomb:\n")
	for range n {
		b.WriteString("  - *big\n")
	}
	return b.String()
}

// deepLaughs doubles a list depth times: 2^depth values, more than an
// int holds at depth 64, from a file of a few hundred bytes.
func deepLaughs(depth int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol]\n")
	for i := 1; i < depth; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d]\n", i, i, i-1, i-1)
	}
	return b.String()
}

// TestBadInput feeds each kind of bad file next to a good one: each gets
// one error naming the file and line, and the good entity still counts.
func TestBadInput(t *testing.T) {
	t.Parallel()
	good := "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: survivors}\nspec: {type: team, children: []}\n"
	tests := []struct {
		name, content, want string
	}{
		{"malformed", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: 'unterminated\n", "bad.yaml:4:9: invalid YAML: could not find end character of single-quoted text"},
		{"duplicate keys", "apiVersion: backstage.io/v1alpha1\nkind: Group\nkind: User\n", `bad.yaml:3:1: invalid YAML: duplicate key "kind"`},
		{"tabs", "apiVersion: backstage.io/v1alpha1\nmetadata:\n\tname: x\n", "bad.yaml:3:1: invalid YAML: found character '\t' that cannot start any token"},
		{"CRLF line ends after a comment", "apiVersion: backstage.io/v1alpha1\r\n# owner below\r\nkind: Component\r\nmetadata:\r\n  name: x\r\nx\r\n", "bad.yaml:6:1: invalid YAML: non-map value is specified"},
		{"non-UTF-8", "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: \xff\xfe}\n", "bad.yaml:3: invalid YAML: file is not valid UTF-8 text"},
		{"byte bomb", byteBomb(1<<20, 20), "bad.yaml:17:5: spec.bomb.6: invalid YAML: aliases expand the document past 8 MB here (an alias bomb?); an entity may be at most 8 MB"},
		{"deep alias bomb", deepLaughs(70), "bad.yaml:15:18: a14.1: invalid YAML: aliases expand to more than 100000 values (an alias bomb?)"},
		{"alias bomb", billionLaughs(), "bad.yaml:6:10: a5.0: invalid YAML: aliases expand to more than 100000 values (an alias bomb?)"},
		{"not YAML at all", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bad.yaml:1: invalid YAML: file is not valid UTF-8 text"},
		{"alias to no anchor", "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: *nameless, title: x}\n", "bad.yaml:3:18: invalid YAML: unknown anchor 'nameless' referenced"},
		{"syntax error on the first line", ",\n", "bad.yaml:1: invalid YAML: did not find expected node content"},
		{"plain text", "This is a README, not a catalog file.\n", "bad.yaml:1:1: expected an entity (a mapping with apiVersion, kind, metadata and spec), found the string"},
		{"deep nesting", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "bad.yaml"},
		{"unknown kind", "apiVersion: backstage.io/v1alpha1\nkind: Environment\nmetadata: {name: prod}\nspec: {}\n", `bad.yaml:2:7: kind: unknown kind "Environment"`},
		{"unrendered template value", "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {{cookiecutter.name | jsonify}}\n", "bad.yaml:4:10: invalid YAML: mapping keys must be plain values, not lists or mappings; {{ }} reads as a mapping inside a mapping: a template value left unrendered? Quote it"},
		{"placeholder no resolver takes", "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: pets}\nspec: {type: openapi, lifecycle: production, owner: t, definition: {$openapi: ./pets.yaml}}\n", "bad.yaml:4:68: spec.definition: must be a string, is a mapping: the placeholder $openapi, which the catalog does not resolve (it knows $text, $json and $yaml)"},
		{"substitution outside the repository", "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g, description: {$text: ../../../etc/passwd}}\nspec: {type: team, children: []}\n", `bad.yaml:3:34: metadata.description: placeholder $text cannot be read: "../../../etc/passwd" is outside the repository`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./bad.yaml, ./good.yaml]}\n"
			files := MapFiles{"catalog-info.yaml": root, "bad.yaml": tt.content, "good.yaml": good}
			res := Process(context.Background(), files, Options{}, "catalog-info.yaml")
			if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), tt.want) {
				t.Errorf("errors = %v, want one containing %q", res.Errors, tt.want)
			}
			if !slicesContainsRef(res, "group:default/survivors") {
				t.Errorf("the good file was not processed: %v", res.Entities)
			}
			for _, p := range res.Entities {
				if _, err := json.Marshal(p.Entity.Raw); err != nil {
					t.Errorf("%s cannot be stored: %v", p.Entity.Ref(), err)
				}
			}
		})
	}
	t.Run("100 MB file", func(t *testing.T) {
		t.Parallel()
		files := hugeFiles{MapFiles{"huge.yaml": "", "good.yaml": good}, t}
		res := Process(context.Background(), files, Options{}, "huge.yaml", "good.yaml")
		if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "huge.yaml: cannot read file: file is 100.0 MB; catalog files over 10 MB are not read") {
			t.Errorf("errors = %v", res.Errors)
		}
		if !slicesContainsRef(res, "group:default/survivors") {
			t.Errorf("the good file was not processed")
		}
	})
}

func slicesContainsRef(res Result, ref string) bool {
	for _, p := range res.Entities {
		if p.Entity.Ref().String() == ref {
			return true
		}
	}
	return false
}
