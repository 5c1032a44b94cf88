package stackoverflow

import (
	"log/slog"
	"os"
	"time"

	"github.com/callboard/callboard/plugins/sdk"
)

// Serve serves the plugin to the host that started this process.
func Serve() {
	// The host routes the plugin's stderr into the app log.
	log := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("component", "plugin."+Name)
	sdk.Serve(newPlugin(nil, time.Now, log).definition())
}
