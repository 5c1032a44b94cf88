package launch

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/cli"
	"github.com/callboard/callboard/frontend"
	"github.com/callboard/callboard/plugins/bundled"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/gitfetch"
)

// Stamps are what the build stamped into a main package with -ldflags -X
// (see the Makefile); any may be empty.
type Stamps struct {
	Version, Commit, Date string
	// Wails is the Wails version the window executable is built with. The
	// CLI does not link Wails, so its own build information lacks it.
	Wails string
}

// Env does what both executables do first and returns the CLI's Env for
// them. It takes the git tokens out of the environment before any child
// process can start, so that neither plugins nor other children inherit
// them, and gives the plugin host the built-in plugins, started from the
// program plugins finds. A problem with either is a warning on stderr: the
// CLI runs without the tokens or the plugins.
func Env(s Stamps, plugins func() (string, error)) cli.Env {
	tokens, err := gitfetch.TakeTokens()
	if err != nil {
		fmt.Fprintln(os.Stderr, "callboard: warning:", err)
	}
	build := buildinfo.New(s.Version, s.Commit, s.Date)
	if build.Wails == "" {
		build.Wails = s.Wails
	}
	var manifests []host.Manifest
	if exe, err := plugins(); err == nil {
		manifests = bundled.Manifests(exe, build.Version)
	} else {
		fmt.Fprintln(os.Stderr, "callboard: warning:", err)
	}
	return cli.Env{
		Build:   build,
		UI:      frontend.Dist(),
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Getenv:  os.Getenv,
		Tokens:  tokens,
		Plugins: manifests,
	}
}

// Run runs the CLI on the process's arguments until it ends or the
// process is told to stop, and returns its exit code.
func Run(env cli.Env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Main(ctx, os.Args[1:], env)
}
