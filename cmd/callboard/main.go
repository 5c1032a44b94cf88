// Command callboard is Callboard's command line, `callboard serve`, and the
// built-in plugins' processes. It is built without cgo, so it starts in
// milliseconds; with no argument it hands over to callboard-window, the
// desktop window (the module's root package).
package main

import (
	"fmt"
	"os"

	"github.com/callboard/callboard/app/launch"
	"github.com/callboard/callboard/plugins/bundled"
	"github.com/callboard/callboard/plugins/bundled/servers"
)

// The build stamps these with -ldflags "-X main.version=..." (see the
// Makefile); buildinfo.New fills what is left empty from the binary's own
// build information.
var version, commit, date, wails string

func main() {
	// A built-in plugin's process: serve it and nothing else.
	if len(os.Args) == 3 && os.Args[1] == bundled.Command {
		if err := servers.Serve(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "callboard:", err)
			os.Exit(2)
		}
		return
	}
	env := launch.Env(launch.Stamps{Version: version, Commit: commit, Date: date, Wails: wails}, bundled.Executable)
	env.ExecWindow = func(args []string) error { return launch.ExecWindow(args, env.Tokens) }
	os.Exit(launch.Run(env))
}
