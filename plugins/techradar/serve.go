package techradar

import (
	"time"

	"github.com/callboard/callboard/plugins/sdk"
)

// Serve serves the plugin to the host that started this process.
func Serve() { sdk.Serve(Plugin(time.Now)) }
