package bundled

import (
	"fmt"
	"os"
	"runtime"

	"github.com/callboard/callboard/plugins/host"
)

// Command is the hidden subcommand that serves a bundled plugin.
const Command = "plugin-serve"

// plugin is one bundled plugin; plugins/bundled/servers serves it. The
// list is apart from the servers so that the window, which only starts
// the plugins, does not link them.
type plugin struct {
	name   string
	points []string
}

func plugins() []plugin {
	return []plugin{
		{"ci", []string{host.PointEntityContent, host.PointFacts, host.PointHomeCards}},
		{"git-insights", []string{host.PointEntityContent, host.PointFacts}},
		{"kubernetes", []string{host.PointEntityContent, host.PointFacts}},
		{"stackoverflow", []string{host.PointSearch}},
		{"techradar", []string{host.PointPages, host.PointHomeCards, host.PointEntityActions}},
	}
}

// Manifests are the host's manifests of the bundled plugins, each started
// as exe with `plugin-serve <name>`, at the app's version.
func Manifests(exe, version string) []host.Manifest {
	var out []host.Manifest
	for _, p := range plugins() {
		out = append(out, host.Manifest{Name: p.name, Version: version, Command: exe, Args: []string{Command, p.name}, ExtensionPoints: p.points})
	}
	return out
}

// Executable is the program to start bundled plugins with. On Linux it is
// /proc/self/exe: the binary running, even once an upgrade has replaced its
// file with a newer one that this process's plugins must not be.
func Executable() (string, error) {
	if runtime.GOOS == "linux" {
		if _, err := os.Stat("/proc/self/exe"); err == nil {
			return "/proc/self/exe", nil
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the callboard program for its plugins: %w", err)
	}
	return exe, nil
}
