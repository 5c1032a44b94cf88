package cli

import (
	"context"
	"fmt"
	"log/slog"
	"text/tabwriter"

	"github.com/callboard/callboard/app/instance"
)

// version prints the build: one line, or with --json everything
// buildinfo.Info holds (what a bug report needs).
func (r *runner) version(ctx context.Context, args []string) error {
	fs := r.flags("version")
	check := fs.Bool("check", false, "also read the release feed now and say whether a newer version exists (the only time the CLI reaches out)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *check {
		return r.checkUpdates(ctx)
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

// checkUpdates reads the release feed set in Settings through the
// instance (the running one, or this data dir's) and prints what it found.
func (r *runner) checkUpdates(ctx context.Context) error {
	conn, err := r.connect(ctx, "cli", r.logger(slog.LevelWarn))
	if err != nil {
		return err
	}
	defer conn.Close()
	st, err := conn.api.CheckUpdates(ctx)
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(st)
	}
	switch {
	case st.Error != "":
		return fmt.Errorf("check for updates at %s: %s", st.FeedURL, st.Error)
	case st.Newer:
		fmt.Fprintf(r.env.Stdout, "callboard %s is out (you run %s): %s\n", st.Latest, st.Current, st.URL)
	case !st.IsRelease:
		fmt.Fprintf(r.env.Stdout, "callboard %s is built from source; the latest release is %s\n", st.Current, st.Latest)
	default:
		fmt.Fprintf(r.env.Stdout, "callboard %s is up to date (the latest release is %s)\n", st.Current, st.Latest)
	}
	return nil
}
