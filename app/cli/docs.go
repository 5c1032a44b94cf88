package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/techdocs"
)

// docsBuild renders a TechDocs site to static HTML, as mkdocs build does;
// --strict fails (exit 1) on broken links and pages that do not render.
func (r *runner) docsBuild(ctx context.Context, args []string) error {
	fs := r.flags("docs build")
	out := fs.String("out", "", "the folder to write the site to (required)")
	strict := fs.Bool("strict", false, "exit 1 when a page has a broken link or does not render")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return usagef("docs build takes the folder holding mkdocs.yml and --out OUT, e.g. callboard docs build . --out site")
	}
	dir, err := catalog.OpenDir(pos[0])
	if err != nil {
		return usagef("docs build: %v", err)
	}
	defer dir.Close()
	site, err := techdocs.Load(dir, ".")
	if err != nil {
		return usagef("docs build: %v", err)
	}
	start := time.Now()
	res, err := site.Build(ctx, dir, *out)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(r.env.Stderr, "warning: "+w)
	}
	if r.json {
		if err := r.printJSON(map[string]any{"pages": res.Pages, "assets": res.Assets, "warnings": res.Warnings, "out": *out}); err != nil {
			return err
		}
	} else {
		abs, _ := filepath.Abs(*out)
		fmt.Fprintf(r.env.Stdout, "built %s: %d pages, %d files, %d warnings in %s → %s\n", site.Name, res.Pages, res.Assets, len(res.Warnings), time.Since(start).Round(time.Millisecond), abs)
	}
	if *strict && len(res.Warnings) > 0 {
		return invalidError{fmt.Sprintf("docs build: %d warnings in strict mode", len(res.Warnings))}
	}
	return nil
}
