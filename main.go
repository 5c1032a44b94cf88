// Command callboard-window is Callboard's desktop window: `callboard` with
// no argument hands over to it. It links GTK and WebKit through Wails'
// cgo, which is why the CLI is another executable; it runs the CLI too
// (--version, the single-instance hand-over) and starts the built-in
// plugins from the callboard executable, so their processes load no GTK.
// wails.json builds the module root, so this is the root package.
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/callboard/callboard/app/cli"
	"github.com/callboard/callboard/app/desktop"
	"github.com/callboard/callboard/app/launch"
	"github.com/callboard/callboard/app/portal"
)

// The build stamps these with -ldflags "-X main.version=..." (see the
// Makefile); buildinfo.New fills what is left empty from the binary's own
// build information.
var version, commit, date string

func main() {
	env := launch.Env(launch.Stamps{Version: version, Commit: commit, Date: date}, launch.CLIProgram)
	env.NewWindow = func(api portal.API, log *slog.Logger, o cli.WindowOptions) cli.Window {
		return desktop.New(desktop.Options{API: api, UI: env.UI, Log: log, Route: o.Route, PlaceFile: o.PlaceFile})
	}
	env.StartFailed = func(message string) {
		if err := desktop.ShowStartError(message, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))); err != nil {
			fmt.Fprintln(os.Stderr, "callboard:", err)
		}
	}
	os.Exit(launch.Run(env))
}
