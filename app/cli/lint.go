package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/scaffold/lint"
)

// lintReport is the stable JSON shape of `template lint --json`.
type lintReport struct {
	Findings []lint.Finding `json:"findings"`
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
}

// templateLint reports what is wrong with template folders before anyone
// runs them: unknown actions and ui:fields, references to parameters and
// steps that do not exist, unused parameters, invalid parameter schemas.
// Exit 1 on errors, and on warnings with --strict. It is what CI runs.
func (r *runner) templateLint(ctx context.Context, args []string) error {
	fs := r.flags("template lint")
	strict := fs.Bool("strict", false, "fail on warnings too")
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("template lint takes template folders (or their files), e.g. callboard template lint templates/go-service")
	}
	has := r.knownActions(ctx)
	rep := lintReport{Findings: []lint.Finding{}}
	for _, p := range paths {
		file, _, err := templateFile(p)
		if err != nil || file == "" {
			return usagef("template lint: %s: give the folder holding the template, or its file", p)
		}
		findings, err := lintFile(file, has)
		if err != nil {
			return usagef("template lint: %v", err)
		}
		rep.Findings = append(rep.Findings, findings...)
	}
	for _, f := range rep.Findings {
		if f.Severity == lint.Error {
			rep.Errors++
		} else {
			rep.Warnings++
		}
	}
	if r.json {
		if err := r.printJSON(rep); err != nil {
			return err
		}
	} else {
		for _, f := range rep.Findings {
			fmt.Fprintln(r.env.Stdout, f.String())
		}
		fmt.Fprintf(r.env.Stdout, "%s, %s\n", plural(rep.Errors, "error", "errors"), plural(rep.Warnings, "warning", "warnings"))
	}
	if rep.Errors > 0 || *strict && rep.Warnings > 0 {
		return invalidError{fmt.Sprintf("template lint: %s, %s", plural(rep.Errors, "error", "errors"), plural(rep.Warnings, "warning", "warnings"))}
	}
	return nil
}

// knownActions says which actions a template may name: the built-in
// ones, which a template can count on everywhere (CI has nothing else),
// and, when an instance runs on the data dir, its enabled plugins'. No
// plugin is started for this: a CI job must not need the user's plugins.
func (r *runner) knownActions(ctx context.Context) func(string) bool {
	builtin := scaffold.NewRunner(nil, nil).Has
	root, err := instance.DataDir(r.dataDir)
	if err != nil {
		return builtin
	}
	client, err := instance.Dial(ctx, root)
	if err != nil {
		return builtin
	}
	actions, err := client.ScaffoldActions(ctx)
	if err != nil {
		return builtin
	}
	plugin := map[string]bool{}
	for _, a := range actions {
		if a.Source == portal.ActionPlugin {
			plugin[a.ID] = true
		}
	}
	return func(id string) bool { return builtin(id) || plugin[id] }
}

// lintFile lints one template file, with the skeletons in its folder.
func lintFile(file string, has func(string) bool) ([]lint.Finding, error) {
	root, err := os.OpenRoot(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	fi, err := root.Stat(filepath.Base(file))
	if err != nil {
		return nil, err
	}
	if fi.Size() > catalog.MaxFileSize {
		return nil, fmt.Errorf("%s: %w", file, catalog.FileTooLarge(fi.Size()))
	}
	data, err := root.ReadFile(filepath.Base(file))
	if err != nil {
		return nil, err
	}
	return lint.Template(filepath.ToSlash(file), data, lint.Options{HasAction: has, Skeletons: root.FS()})
}
