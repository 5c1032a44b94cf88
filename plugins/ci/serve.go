package ci

import (
	"log/slog"
	"os"

	"github.com/callboard/callboard/plugins/sdk"
)

// Serve serves the plugin to the host that started this process.
func Serve() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("component", "plugin.ci")
	sdk.Serve(newPlugin(log).definition())
}
