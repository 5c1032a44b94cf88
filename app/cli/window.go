package cli

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/instance"
)

// window opens the desktop window, or brings forward the one already open
// on this data dir; with a callboard:// link, at that link's page.
func (r *runner) window(ctx context.Context, args []string) error {
	fs := r.flags("callboard")
	link, err := parseLink(fs, args, false)
	if err != nil {
		return err
	}
	return r.openWindow(ctx, link)
}

// openWindow opens the window at link's page ("" for Home), or hands the
// link to the instance already running on the data dir.
func (r *runner) openWindow(ctx context.Context, link string) error {
	route, err := linkRoute(link)
	if err != nil {
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
		if r.env.StartFailed != nil {
			r.env.StartFailed(err.Error())
		}
		return err
	}
	defer conn.Close()
	if conn.local == nil {
		if link != "" {
			return r.forwardLink(ctx, conn.api.(*apiclient.Client), conn.root, link)
		}
		if err := conn.api.(*apiclient.Client).Focus(ctx); err != nil {
			return fmt.Errorf("an instance without a window already runs on %s (%v); open it in the browser or stop it first", conn.root, err)
		}
		fmt.Fprintln(r.env.Stdout, "Callboard is already open; brought its window to the front.")
		return nil
	}
	win := r.env.NewWindow(conn.api, log, WindowOptions{Route: route, PlaceFile: instance.PathsOf(conn.root).WindowPlace})
	// Only the window checks for updates: serve and the CLI never reach
	// out unasked.
	if err := conn.local.Service.WatchUpdates(); err != nil {
		log.Warn("check for updates", "err", err)
	}
	if err := r.serveSocket(conn, win.Focus, showIn(win), log); err != nil {
		return err
	}
	return win.Run(ctx)
}
