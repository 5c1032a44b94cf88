package cli

import (
	"context"
	"fmt"
	"log/slog"
	"text/tabwriter"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/store"
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
	disk := r.storeOnDisk(ctx)
	if r.json {
		return r.printJSON(struct {
			buildinfo.Info
			StoreOnDisk *diskStore `json:"storeOnDisk,omitempty"`
		}{b, disk})
	}
	fmt.Fprintln(r.env.Stdout, "callboard "+b.Version)
	w := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	for _, row := range [][2]string{{"commit", b.Commit}, {"built", b.Date}, {"go", b.Go}, {"wails", b.Wails}, {"store format", fmt.Sprint(b.StoreFormat)}, {"store on disk", disk.String()}} {
		if row[1] != "" {
			fmt.Fprintf(w, "  %s:\t%s\n", row[0], row[1])
		}
	}
	return w.Flush()
}

// diskStore is the data dir's store when its format is not this build's.
type diskStore struct {
	Dir    string `json:"dir"`
	Format int    `json:"format"`
	// Writer is the Callboard that last wrote it, when it recorded one.
	Writer string `json:"writer,omitempty"`
	// Newer is set when this build cannot open it.
	Newer bool `json:"newer"`
}

// String says what the next start does with the store; "" for none.
func (d *diskStore) String() string {
	if d == nil {
		return ""
	}
	what := fmt.Sprintf("format %d", d.Format)
	if d.Writer != "" {
		what += " (written by Callboard " + d.Writer + ")"
	}
	if d.Newer {
		return what + ": this build cannot open it"
	}
	return what + ": migrated when this build next opens it"
}

// storeOnDisk reads the format of the data dir's store, and returns it
// when it is not this build's. It says nothing when it cannot tell: no
// store yet, or a running instance holds it (which has it in its format).
func (r *runner) storeOnDisk(ctx context.Context) *diskStore {
	root, err := instance.DataDir(r.dataDir)
	if err != nil {
		return nil
	}
	dir := instance.PathsOf(root).Store
	m, ok, err := store.ReadMeta(ctx, dir)
	if err != nil || !ok || m.Format == store.Format {
		return nil
	}
	return &diskStore{Dir: dir, Format: m.Format, Writer: m.Writer, Newer: m.Format > store.Format}
}

// printDataDir prints the data dir: where the store, clones and installed
// plugins are, which uninstalling the app leaves in place.
func (r *runner) printDataDir(ctx context.Context, args []string) error {
	fs := r.flags("data-dir")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	dir, err := instance.DataDir(r.dataDir)
	if err != nil {
		return err
	}
	disk := r.storeOnDisk(ctx)
	if r.json {
		return r.printJSON(struct {
			DataDir     string     `json:"dataDir"`
			StoreOnDisk *diskStore `json:"storeOnDisk,omitempty"`
		}{dir, disk})
	}
	fmt.Fprintln(r.env.Stdout, dir)
	if disk != nil {
		// On stderr: scripts read the dir alone from stdout.
		fmt.Fprintln(r.env.Stderr, "callboard: its store is in "+disk.String())
	}
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
