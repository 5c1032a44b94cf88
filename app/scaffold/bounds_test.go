package scaffold

import (
	"os"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/internal/memtest"
)

// childEnv names the case a re-executed test binary loads, so its memory
// is measured apart from the other tests'.
const childEnv = "CALLBOARD_SCAFFOLD_MEMORY_CHILD"

// loadHeapLimit is the Go heap loading a bomb may reach: what the bombs
// expand to is measured in gigabytes.
const loadHeapLimit = 64 << 20

// byteBomb is a template whose parameters list n aliases of one string of
// size bytes.
func byteBomb(size, n int) string {
	var b strings.Builder
	b.WriteString("apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: bytes\n  description: &big \"" + strings.Repeat("x", size) + "\"\nspec:\n  steps: []\n  parameters:\n")
	for range n {
		b.WriteString("    - *big\n")
	}
	return b.String()
}

// Issue 16, finding 4: opening a template decoded every document of its
// file, aliases expanded without a budget, before looking at the kind. A
// bomb beside a template must not be decoded at all, and one inside it must
// be refused where its budget runs out; either way the heap stays small.
func TestLoadRefusesBombs(t *testing.T) {
	t.Parallel()
	read := func(name string) string {
		data, err := os.ReadFile("testdata/bombs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	cases := map[string]struct {
		file string
		want string // the error; "" when the template loads
	}{
		"laughs beside the template": {read("laughs-beside.yaml"), ""},
		"laughs inside the template": {read("laughs-inside.yaml"), "template.yaml:13:14: spec.parameters.a5.0: invalid YAML: aliases expand to more than 100000 values (an alias bomb?)"},
		"bytes inside the template":  {byteBomb(1<<20, 20), "template.yaml:15:7: spec.parameters.6: invalid YAML: aliases expand the document past 8 MB here (an alias bomb?); an entity may be at most 8 MB"},
	}
	if name := os.Getenv(childEnv); name != "" {
		c, ok := cases[name]
		if !ok {
			t.Fatalf("no case %q", name)
		}
		defer memtest.Report()
		tpl, err := load(catalog.MapFiles{"template.yaml": c.file}, "template.yaml")
		switch {
		case c.want == "" && err != nil:
			t.Fatalf("Load: %v", err)
		case c.want == "" && tpl.Name != "survivor":
			t.Errorf("loaded %q, want survivor", tpl.Name)
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("Load error = %v, want %s", err, c.want)
		}
		return
	}
	for name := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			heap, hwm := memtest.Measure(t, childEnv, "TestLoadRefusesBombs", name, "64MiB")
			t.Logf("heap %d MB, peak RSS %d MB", heap>>20, hwm>>20)
			if heap > loadHeapLimit {
				t.Errorf("loading reached a heap of %d MB, over %d MB", heap>>20, loadHeapLimit>>20)
			}
		})
	}
}

// catalog:register reads the new catalog file's first entity through the
// same budget: its kind and name are read without decoding the rest.
func TestFirstEntityRef(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, file, want, err string }{
		{"entity", "kind: Component\nmetadata: {name: radar, namespace: ferries}\n", "component:ferries/radar", ""},
		{"default namespace", "---\nkind: API\nmetadata: {name: radar}\n", "api:default/radar", ""},
		{"a bomb beside the name", byteBomb(1<<20, 20), "template:default/bytes", ""},
		{"no name", "kind: Component\n", "", "its first document has no kind and metadata.name"},
		{"not YAML", "kind: [\n", "", "not a catalog file: line 1, column 7: sequence end token ']' not found"},
		{"empty", "", "", "its first document has no kind and metadata.name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := firstEntityRef([]byte(tt.file))
			if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("firstEntityRef = %q, %v; want %q, %q", got, err, tt.want, tt.err)
			}
		})
	}
}
