package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/scaffold/treediff"
)

// outputsFile is the file of a golden folder that holds the run's
// rendered spec.output (links and texts), when it has any: what a test
// of a template checks beside the tree.
const outputsFile = ".outputs.json"

// scaffoldTestReport is the stable JSON shape of `scaffold test --json`.
type scaffoldTestReport struct {
	// Status is passed, differs, updated, or the run's status (failed,
	// cancelled) when it did not complete.
	Status      string                `json:"status"`
	Error       string                `json:"error,omitempty"`
	Differences []treediff.Difference `json:"differences"`
	Steps       []scaffold.StepResult `json:"steps,omitempty"`
}

// scaffoldTest renders a template folder with the values as a dry run and
// compares the project with a golden folder: exit 1 with a unified diff
// on any difference, or, with --update, rewrite the golden folder. It is
// what a template's CI runs.
func (r *runner) scaffoldTest(ctx context.Context, args []string) error {
	fs := r.flags("scaffold test")
	valuesFile := fs.String("values", "", "the form's answers as a JSON file (- for stdin)")
	golden := fs.String("golden", "", "the folder holding the expected project (required)")
	update := fs.Bool("update", false, "rewrite the golden folder with what the template renders")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *golden == "" {
		return usagef("scaffold test takes a template folder (or file) and --golden DIR, e.g. callboard scaffold test templates/go-service --values answers.json --golden testdata/expected")
	}
	values, err := r.readValues("scaffold test", *valuesFile)
	if err != nil {
		return err
	}
	file, _, err := templateFile(pos[0])
	if err != nil || file == "" {
		return usagef("scaffold test: %s: give the folder holding the template, or its file", pos[0])
	}
	if err := checkGolden(*golden, file, *update); err != nil {
		return err
	}
	t, closeFiles, err := r.loadFolderTemplate(ctx, "scaffold test", file)
	if err != nil {
		return err
	}
	defer closeFiles()
	v, err := nunjucks.DecodeJSON(values)
	if err != nil {
		return usagef("scaffold test: values: %v", err)
	}
	rep, err := testTemplate(ctx, r.folderHost(), t, v, *golden, *update)
	if err != nil {
		return err
	}
	if r.json {
		if err := r.printJSON(rep); err != nil {
			return err
		}
	} else {
		r.printTestReport(rep, *golden)
	}
	switch rep.Status {
	case "passed", "updated":
		return nil
	case "differs":
		return invalidError{fmt.Sprintf("scaffold test: %d files differ from %s", len(rep.Differences), *golden)}
	}
	return invalidError{fmt.Sprintf("scaffold test: the run %s: %s", rep.Status, rep.Error)}
}

// checkGolden refuses a golden folder that does not exist (unless it is
// to be written) and, for --update, one that could not be a golden folder:
// it would lose every file the template does not render.
func checkGolden(golden, templateFile string, update bool) error {
	fi, err := os.Stat(golden)
	switch {
	case errors.Is(err, fs.ErrNotExist) && update:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return usagef("scaffold test: %s does not exist; run with --update to write it", golden)
	case err != nil:
		return usagef("scaffold test: %v", err)
	case !fi.IsDir():
		return usagef("scaffold test: %s is not a folder", golden)
	case !update:
		return nil
	}
	if _, err := os.Lstat(filepath.Join(golden, ".git")); err == nil {
		return usagef("scaffold test: %s is a git checkout, not a golden folder; --update would remove its files", golden)
	}
	g, err1 := filepath.Abs(golden)
	tf, err2 := filepath.Abs(templateFile)
	if err := errors.Join(err1, err2); err != nil {
		return usagef("scaffold test: %v", err)
	}
	if rel, err := filepath.Rel(g, tf); err == nil && !strings.HasPrefix(rel, "..") {
		return usagef("scaffold test: %s holds the template; --update would remove its files", golden)
	}
	return nil
}

// testTemplate runs t as a dry run (nothing published, registered or
// written but in a private workspace) and compares the project and its
// outputs with the golden folder, or updates it.
func testTemplate(ctx context.Context, host scaffold.Host, t scaffold.Template, values any, golden string, update bool) (scaffoldTestReport, error) {
	rep := scaffoldTestReport{Differences: []treediff.Difference{}}
	work, err := os.MkdirTemp("", "callboard-scaffold-test-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(work)
	inspect := func(project fs.FS, res scaffold.Result) error {
		got, err := treediff.Read(project, func(p string) bool { return p == ".git" })
		if err != nil {
			return err
		}
		if out, ok := outputsJSON(res); ok {
			if err := got.Add(outputsFile, out); err != nil {
				return fmt.Errorf("the project has a file %s, where scaffold test keeps the outputs", outputsFile)
			}
		}
		want := &treediff.Tree{Files: map[string]treediff.File{}}
		if _, err := os.Stat(golden); err == nil {
			if want, err = treediff.Read(os.DirFS(golden), nil); err != nil {
				return fmt.Errorf("golden %s: %w", golden, err)
			}
		}
		rep.Differences = treediff.Compare(want, got)
		if update {
			return treediff.Update(golden, got, rep.Differences)
		}
		return nil
	}
	res := scaffold.NewRunner(host, nil).Run(ctx, t, scaffold.Request{Values: values, DryRun: true, WorkDir: work, Inspect: inspect}, nil)
	switch {
	case res.Status != scaffold.Completed:
		rep.Status, rep.Error, rep.Steps = string(res.Status), res.Error, res.Steps
	case update:
		rep.Status = "updated"
	case len(rep.Differences) > 0:
		rep.Status = "differs"
	default:
		rep.Status = "passed"
	}
	return rep, nil
}

// outputsJSON is the run's rendered spec.output as the golden folder
// keeps it; ok is false when it has neither links nor texts.
func outputsJSON(res scaffold.Result) ([]byte, bool) {
	if len(res.Links) == 0 && len(res.Texts) == 0 {
		return nil, false
	}
	data, err := json.MarshalIndent(struct {
		Links []scaffold.Link `json:"links"`
		Texts []scaffold.Text `json:"texts"`
	}{res.Links, res.Texts}, "", "  ")
	if err != nil {
		return nil, false
	}
	return append(data, '\n'), true
}

func (r *runner) printTestReport(rep scaffoldTestReport, golden string) {
	w := r.env.Stdout
	switch rep.Status {
	case "passed":
		fmt.Fprintf(w, "ok    the project matches %s\n", golden)
		return
	case "updated":
		fmt.Fprintf(w, "updated %s: %s\n", golden, plural(len(rep.Differences), "file", "files"))
		return
	case "differs":
		_ = treediff.Print(w, rep.Differences)
		fmt.Fprintf(w, "FAIL  %s differ from %s\n", plural(len(rep.Differences), "file", "files"), golden)
		return
	}
	for _, s := range rep.Steps {
		if s.Status == scaffold.Failed {
			fmt.Fprintf(w, "FAIL  step %s (%s): %s\n", s.Name, s.Action, s.Error)
		}
	}
	fmt.Fprintf(w, "FAIL  the run %s: %s\n", rep.Status, rep.Error)
}
