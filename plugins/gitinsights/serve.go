package gitinsights

import (
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/callboard/callboard/plugins/sdk"
)

// Serve serves the plugin to the host that started this process.
func Serve() {
	// The host routes the plugin's stderr into the app log.
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	git, err := exec.LookPath("git")
	if err != nil {
		log.Info("git not found, reading repositories with go-git", "err", err)
		git = ""
	}
	// Commit-graphs of the clones read, rebuilt when lost.
	cacheDir, err := os.UserCacheDir()
	if err == nil {
		cacheDir = filepath.Join(cacheDir, "callboard", "plugins", "git-insights")
	} else {
		log.Info("no cache folder, keeping no commit-graphs", "err", err)
		cacheDir = ""
	}
	sdk.Serve(newPlugin(git, cacheDir, log).sdkPlugin())
}
