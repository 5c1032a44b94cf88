// Package servers holds the built-in plugins' servers, for the callboard
// executable started as `callboard plugin-serve <name>` (plugins/bundled
// has their manifests).
package servers

import (
	"fmt"

	"github.com/callboard/callboard/plugins/ci"
	"github.com/callboard/callboard/plugins/gitinsights"
	"github.com/callboard/callboard/plugins/kubernetes"
	"github.com/callboard/callboard/plugins/stackoverflow"
	"github.com/callboard/callboard/plugins/techradar"
)

// Serve serves the bundled plugin name to the host that started this
// process; it returns only for a name no bundled plugin has.
func Serve(name string) error {
	serve, ok := map[string]func(){
		"ci":            ci.Serve,
		"git-insights":  gitinsights.Serve,
		"kubernetes":    kubernetes.Serve,
		"stackoverflow": stackoverflow.Serve,
		"techradar":     techradar.Serve,
	}[name]
	if !ok {
		return fmt.Errorf("no bundled plugin is named %q", name)
	}
	serve()
	return nil
}
