// Command callboard is the Callboard developer portal: with no argument it
// opens the desktop window; its subcommands are the CLI.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/cli"
	"github.com/callboard/callboard/app/desktop"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/plugins/bundled"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/gitfetch"
)

// The build stamps these with -ldflags "-X main.version=..." (see the
// Makefile); buildinfo.New fills what is left empty from the binary's own
// build information.
var version, commit, date string

func main() {
	// A bundled plugin's process: serve it and nothing else.
	if len(os.Args) == 3 && os.Args[1] == bundled.Command {
		if err := bundled.Serve(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "callboard:", err)
			os.Exit(2)
		}
		return
	}
	// First of all: plugins and every other child process must find no
	// token in the environment, neither inherited nor in /proc/<pid>/environ.
	tokens, err := gitfetch.TakeTokens()
	if err != nil {
		fmt.Fprintln(os.Stderr, "callboard: warning:", err)
	}
	var plugins []host.Manifest
	if exe, err := bundled.Executable(); err == nil {
		plugins = bundled.Manifests(exe, version)
	} else {
		fmt.Fprintln(os.Stderr, "callboard: warning:", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ui := uiFS()
	code := cli.Main(ctx, os.Args[1:], cli.Env{
		Build: buildinfo.New(version, commit, date),
		UI:    ui,
		NewWindow: func(api portal.API, log *slog.Logger, o cli.WindowOptions) cli.Window {
			return desktop.New(desktop.Options{API: api, UI: ui, Log: log, Route: o.Route, PlaceFile: o.PlaceFile})
		},
		StartFailed: func(message string) {
			if err := desktop.ShowStartError(message, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))); err != nil {
				fmt.Fprintln(os.Stderr, "callboard:", err)
			}
		},
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Getenv:  os.Getenv,
		Tokens:  tokens,
		Plugins: plugins,
	})
	stop()
	os.Exit(code)
}
