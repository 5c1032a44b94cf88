package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/callboard/callboard/app/instance"
)

// version prints the build: one line, or with --json everything
// buildinfo.Info holds (what a bug report needs).
func (r *runner) version(_ context.Context, args []string) error {
	fs := r.flags("version")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	b := r.env.Build
	if r.json {
		return r.printJSON(b)
	}
	fmt.Fprintln(r.env.Stdout, "callboard "+b.Version)
	w := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	for _, row := range [][2]string{{"commit", b.Commit}, {"built", b.Date}, {"go", b.Go}, {"wails", b.Wails}, {"store format", fmt.Sprint(b.StoreFormat)}} {
		if row[1] != "" {
			fmt.Fprintf(w, "  %s:\t%s\n", row[0], row[1])
		}
	}
	return w.Flush()
}

// printDataDir prints the data dir: where the store, clones and installed
// plugins are, which uninstalling the app leaves in place.
func (r *runner) printDataDir(_ context.Context, args []string) error {
	fs := r.flags("data-dir")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	dir, err := instance.DataDir(r.dataDir)
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(map[string]string{"dataDir": dir})
	}
	fmt.Fprintln(r.env.Stdout, dir)
	return nil
}
