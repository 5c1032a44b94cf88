package cli

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/callboard/callboard/app/apiclient"
)

// window opens the desktop window, or brings forward the one already open
// on this data dir.
func (r *runner) window(ctx context.Context, args []string) error {
	fs := r.flags("callboard")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if r.env.NewWindow == nil {
		return usagef("this build has no desktop window; run callboard serve to use Callboard in a browser")
	}
	if runtime.GOOS == "linux" && r.env.Getenv("DISPLAY") == "" && r.env.Getenv("WAYLAND_DISPLAY") == "" {
		return usagef("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); run callboard serve to use Callboard in a browser")
	}
	log := r.logger(slog.LevelInfo)
	conn, err := r.connect(ctx, "desktop", log)
	if err != nil {
		return err
	}
	defer conn.Close()
	if conn.local == nil {
		if err := conn.api.(*apiclient.Client).Focus(ctx); err != nil {
			return fmt.Errorf("an instance without a window already runs on %s (%v); open it in the browser or stop it first", conn.root, err)
		}
		fmt.Fprintln(r.env.Stdout, "Callboard is already open; brought its window to the front.")
		return nil
	}
	win := r.env.NewWindow(conn.api, log)
	// Only the window checks for updates: serve and the CLI never reach
	// out unasked.
	if err := conn.local.Service.WatchUpdates(); err != nil {
		log.Warn("check for updates", "err", err)
	}
	if err := r.serveSocket(conn, win.Focus, log); err != nil {
		return err
	}
	return win.Run(ctx)
}
