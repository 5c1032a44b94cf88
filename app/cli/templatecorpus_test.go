package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
)

const templateCorpus = "../../../shared/corpus"

var updateGolden = flag.Bool("update", false, "rewrite testdata/template-lint-corpus.golden")

// corpusTemplates are the template files of the shared corpus, by path
// relative to it.
func corpusTemplates(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(templateCorpus, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "node_modules":
			return filepath.SkipDir
		case d.IsDir() || filepath.Ext(p) != ".yaml" && filepath.Ext(p) != ".yml":
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil && len(data) <= catalog.MaxFileSize && templateKind.Match(data) {
			rel, _ := filepath.Rel(templateCorpus, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Lint and scaffold test over every template of the shared corpus: lint
// reports what testdata/template-lint-corpus.golden lists, each finding
// checked by hand to be a true problem (-update rewrites it), and scaffold
// test renders each template the same way twice.
func TestTemplateCorpus(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(templateCorpus); err != nil {
		t.Skipf("no shared corpus beside the clone, so its templates are not linted: %v", err)
	}
	templates := corpusTemplates(t)
	if len(templates) < 15 {
		t.Fatalf("%d templates in the corpus, want at least 15", len(templates))
	}
	t.Run("lint", func(t *testing.T) {
		t.Parallel()
		has := scaffold.NewRunner(nil, nil).Has
		var b strings.Builder
		for _, rel := range templates {
			findings, err := lintFile(filepath.Join(templateCorpus, filepath.FromSlash(rel)), has)
			if err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			for _, f := range findings {
				file := strings.TrimPrefix(f.File, templateCorpus+"/")
				fmt.Fprintf(&b, "%s:%d:%d %s %s: %s\n", file, f.Line, f.Column, f.Severity, f.Rule, f.Message)
			}
		}
		golden := filepath.Join("testdata", "template-lint-corpus.golden")
		if *updateGolden {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want, []byte(b.String())) {
			t.Errorf("findings differ from %s (-update rewrites it):\nwant:\n%s\ngot:\n%s", golden, want, b.String())
		}
	})
	// The values the scaffold package's golden test runs the corpus'
	// templates with.
	values := map[string]string{"backstage-demo/demo-template/template/template.yaml": "backstage-demo-template"}
	for _, rel := range templates {
		if dir, ok := strings.CutPrefix(filepath.Dir(rel), "software-templates/scaffolder-templates/"); ok {
			values[rel] = dir
		}
	}
	for rel, name := range values {
		t.Run("scaffold test/"+name, func(t *testing.T) {
			t.Parallel()
			js, err := os.ReadFile(filepath.Join("..", "scaffold", "testdata", "templates", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(templateCorpus, filepath.FromSlash(rel))
			files, err := catalog.OpenDir(filepath.Dir(file))
			if err != nil {
				t.Fatal(err)
			}
			defer files.Close()
			tpl, err := scaffold.Load(t.Context(), scaffold.Source{Files: files, File: filepath.Base(file)}, "", catalog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			v, err := nunjucks.DecodeJSON(js)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join(t.TempDir(), "expected")
			first, err := testTemplate(t.Context(), nil, tpl, v, golden, true)
			if err != nil {
				t.Fatal(err)
			}
			again, err := testTemplate(t.Context(), nil, tpl, v, golden, false)
			switch {
			case err != nil:
				t.Fatal(err)
			case first.Status == "updated" && again.Status != "passed":
				t.Fatalf("second run %s: %s %+v", again.Status, again.Error, again.Differences)
			case first.Status != "updated" && (again.Status != first.Status || again.Error != first.Error):
				// A run that cannot complete here (an action Callboard
				// lacks; without a host, a fetch from another repository)
				// fails the same way each time.
				t.Fatalf("first run %s (%s), second %s (%s)", first.Status, first.Error, again.Status, again.Error)
			}
		})
	}
}
