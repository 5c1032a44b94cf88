package main

import (
	"log/slog"
	"os"

	"github.com/callboard/callboard/plugins/sdk"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("component", "plugin.ci")
	sdk.Serve(newPlugin(log).definition())
}
