package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// FuzzLoad loads any file as a template: it must never panic, and what
// it returns must be a template or an error that says something. Seeds are
// the demo organisation's templates and the bombs; inputs the fuzzer
// found interesting are kept in testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../../demo/repo/templates/*/template.yaml", "testdata/bombs/*.yaml"} {
		seeds, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range seeds {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := load(catalog.MapFiles{"template.yaml": string(data)}, "template.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "template.yaml") && !strings.HasPrefix(err.Error(), "read template") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if !strings.HasPrefix(tpl.Ref, "template:") || tpl.Dir != "." {
			t.Errorf("loaded %q from %q", tpl.Ref, tpl.Dir)
		}
		for _, s := range tpl.Steps {
			if s.ID == "" || s.Action == "" || s.Input == nil {
				t.Errorf("step %+v", s)
			}
		}
	})
}
