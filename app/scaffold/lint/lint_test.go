package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/scaffold"
)

// lintDir lints testdata/dir's template with the runner's actions and
// the skeletons beside it.
func lintDir(t *testing.T, dir, file string) []Finding {
	t.Helper()
	root, err := os.OpenRoot(filepath.Join("testdata", dir))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	data, err := root.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Template(file, data, Options{HasAction: scaffold.NewRunner(nil, nil).Has, Skeletons: root.FS()})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestTemplate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dir, file string
		want      []string // file:line:col severity rule
	}{
		{"clean", "template.yaml", nil},
		{"mistakes", "template.yaml", []string{
			"skeleton/README.md:2:26 error undefined-value",
			"skeleton/ci.yaml:5:23 warning undefined-variable",
			"template.yaml:8:5 error schema",
			"template.yaml:10:7 warning unused-parameter",
			"template.yaml:11:9 error schema",
			"template.yaml:15:19 error unknown-field",
			"template.yaml:16:7 warning unused-parameter",
			"template.yaml:24:21 error undefined-parameter",
			"template.yaml:25:22 error step-order",
			"template.yaml:26:22 error step-order",
			"template.yaml:28:15 error unknown-action",
			"template.yaml:31:39 error expression",
			"template.yaml:32:7 error missing-action",
			"template.yaml:35:18 error step-order",
		}},
		// A page read from elsewhere: its parameters are not known, so
		// references to them are not checked.
		{"pages", "template.yaml", nil},
		{"reusedid", "template.yaml", nil},
		{"notemplate", "catalog-info.yaml", []string{"catalog-info.yaml:1:1 error yaml"}},
		{"brokenyaml", "template.yaml", []string{"template.yaml:4:9 error yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			t.Parallel()
			var got []string
			findings := lintDir(t, tt.dir, tt.file)
			for _, f := range findings {
				got = append(got, fmt.Sprintf("%s:%d:%d %s %s", f.File, f.Line, f.Column, f.Severity, f.Rule))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", d, findings)
			}
		})
	}
}

// The messages say what is wrong and what was meant.
func TestMessages(t *testing.T) {
	t.Parallel()
	findings := lintDir(t, "mistakes", "template.yaml")
	for _, want := range []string{
		`step "fetch": parameters.nmae: no parameter is named nmae (did you mean name?)`,
		`step "fetch": steps.publish runs later; a step reads only the output of earlier steps`,
		`step "fetch": steps.fetch is this step`,
		`step "publish": Callboard has no action acme:deploy`,
		`spec.output: steps.nowhere: no step has the id nowhere`,
		`ui:field OwnerPickr: the form has no such field (did you mean OwnerPicker?)`,
		`parameter unused is never used`,
		`values.nmae: the step passes no value nmae (did you mean name?)`,
		`parameters/properties/name/type: value must be one of`,
		`github.ref is not defined when fetch:template renders this file`,
	} {
		if !slices.ContainsFunc(findings, func(f Finding) bool { return regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(f.Message) }) {
			t.Errorf("no finding says %q:\n%v", want, findings)
		}
	}
}

// The field list is the form's: every field the frontend registers, and
// no Backstage extension it lacks.
func TestFieldsMatchTheForm(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../../frontend/src/scaffold/fields/index.ts")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)export const fields: RegistryFieldsType = \{(.*?)\};`).FindSubmatch(data)
	if block == nil {
		t.Fatal("index.ts: no fields object")
	}
	var form []string
	for _, m := range regexp.MustCompile(`(\w+),`).FindAllSubmatch(block[1], -1) {
		form = append(form, string(m[1]))
	}
	ours := FormFields()
	for _, f := range form {
		if !slices.Contains(ours, f) {
			t.Errorf("the form has %s; FormFields lacks it", f)
		}
	}
	for _, f := range ours[:len(form)] {
		if !slices.Contains(form, f) {
			t.Errorf("FormFields has %s; the form lacks it", f)
		}
	}
}

// A YAML alias bomb is refused, not expanded.
func TestAliasBomb(t *testing.T) {
	t.Parallel()
	src := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: b}\nspec:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := range 8 {
		name := fmt.Sprintf("b%d", i)
		src += fmt.Sprintf("  %s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	src += "  output: *" + prev + "\n"
	if _, err := Template("bomb.yaml", []byte(src), Options{}); err == nil {
		t.Error("no error")
	}
}

func FuzzTemplate(f *testing.F) {
	for _, dir := range []string{"clean", "mistakes", "pages"} {
		data, err := os.ReadFile(filepath.Join("testdata", dir, "template.yaml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		findings, err := Template("f.yaml", data, Options{HasAction: func(string) bool { return false }})
		if err != nil {
			return
		}
		for _, x := range findings {
			if x.Line < 1 || x.Column < 1 || x.Rule == "" || x.Message == "" {
				t.Fatalf("finding %+v", x)
			}
		}
	})
}
