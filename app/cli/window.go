package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"

	"github.com/callboard/callboard/app/apiclient"
)

// window opens the desktop window, or brings forward the one already open
// on this data dir; in the CLI executable, the window executable does.
func (r *runner) window(ctx context.Context, args []string) error {
	if err := parseNoArgs(r.flags("callboard"), args); err != nil {
		return err
	}
	const serve = "run callboard serve to use Callboard in a browser"
	if r.env.NewWindow == nil && r.env.ExecWindow == nil {
		return usagef("this build has no desktop window; %s", serve)
	}
	if runtime.GOOS == "linux" && r.env.Getenv("DISPLAY") == "" && r.env.Getenv("WAYLAND_DISPLAY") == "" {
		return usagef("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); %s", serve)
	}
	if r.env.NewWindow == nil {
		err := r.env.ExecWindow(args)
		if errors.Is(err, fs.ErrNotExist) {
			return usagef("this build has no desktop window (%v); %s", err, serve)
		}
		return err
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
	if err := r.serveSocket(conn, win.Focus, log); err != nil {
		return err
	}
	return win.Run(ctx)
}
