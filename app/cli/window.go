package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/notify"
)

// window opens the desktop window, or brings forward the one already open
// on this data dir; with a callboard:// link, at that link's page. In the
// CLI executable, the window executable does.
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
	const serve = "run callboard serve to use Callboard in a browser"
	if r.env.NewWindow == nil && r.env.ExecWindow == nil {
		return usagef("this build has no desktop window; %s", serve)
	}
	if r.env.NewWindow == nil {
		// The CLI executable: a running instance takes the link or comes
		// to the front without this process loading the window's libraries.
		if root, err := instance.DataDir(r.dataDir); err == nil {
			if client, err := instance.Dial(ctx, root); err == nil {
				return r.handOver(ctx, client, root, link)
			}
		}
	}
	if runtime.GOOS == "linux" && r.env.Getenv("DISPLAY") == "" && r.env.Getenv("WAYLAND_DISPLAY") == "" {
		return usagef("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); %s", serve)
	}
	if r.env.NewWindow == nil {
		return r.execWindow(link)
	}
	return r.runWindow(ctx, link, route)
}

// runWindow opens the window in this process at route, or hands link to
// an instance that started meanwhile.
func (r *runner) runWindow(ctx context.Context, link, route string) error {
	log := r.logger(slog.LevelInfo)
	r.longRunningGC()
	conn, err := r.connect(ctx, "desktop", log)
	if err != nil {
		if r.env.StartFailed != nil {
			r.env.StartFailed(err.Error())
		}
		return err
	}
	defer conn.Close()
	if conn.local == nil {
		return r.handOver(ctx, conn.api.(*apiclient.Client), conn.root, link)
	}
	win := r.env.NewWindow(conn.api, log, WindowOptions{Route: route, PlaceFile: instance.PathsOf(conn.root).WindowPlace})
	// Only the window checks for updates: serve and the CLI never reach
	// out unasked.
	if err := conn.local.Service.WatchUpdates(); err != nil {
		log.Warn("check for updates", "err", err)
	}
	// Only the window shows notifications on the desktop: serve may run
	// where no one sees one. The window's own (Wails') come first where
	// notify.New takes them.
	native, _ := win.(notify.Notifier)
	if err := conn.local.Service.WatchNotifications(notify.New(log, native)); err != nil {
		log.Warn("watch for notifications", "err", err)
	}
	if err := r.serveSocket(conn, win.Focus, showIn(win), log); err != nil {
		return err
	}
	return win.Run(ctx)
}

// execWindow hands over to the window executable with the window command's
// own arguments: the data dir and the link, as the user gave them.
func (r *runner) execWindow(link string) error {
	var args []string
	if r.dataDir != "" {
		args = append(args, "--data-dir", r.dataDir)
	}
	if link != "" {
		args = append(args, link)
	}
	err := r.env.ExecWindow(args)
	if errors.Is(err, fs.ErrNotExist) {
		return usagef("this build has no desktop window (%v); run callboard serve to use Callboard in a browser", err)
	}
	return err
}

// handOver gives the instance already running on root the link, or asks
// it to bring its window to the front.
func (r *runner) handOver(ctx context.Context, client *apiclient.Client, root, link string) error {
	if link != "" {
		return r.forwardLink(ctx, client, root, link)
	}
	if err := client.Focus(ctx); err != nil {
		return fmt.Errorf("an instance without a window already runs on %s (%v); open it in the browser or stop it first", root, err)
	}
	fmt.Fprintln(r.env.Stdout, "Callboard is already open; brought its window to the front.")
	return nil
}
