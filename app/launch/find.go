package launch

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// The two executables' names, without Windows' ".exe".
const (
	CLIName    = "callboard"
	WindowName = "callboard-window"
)

// PluginProgramEnv names the program the window starts the built-in
// plugins with, instead of the callboard executable it finds (for a
// window run from somewhere its CLI is not, as in tests).
const PluginProgramEnv = "CALLBOARD_PLUGIN_PROGRAM"

// WindowProgram finds the window executable for the running CLI:
// callboard-window beside it (a build's build/bin, the tar.gz, Windows'
// install folder), else ../lib/callboard/callboard-window from its folder
// (/usr/bin/callboard → /usr/lib/callboard/callboard-window). The error
// is fs.ErrNotExist when neither is there.
func WindowProgram() (string, error) {
	dir, err := selfDir()
	if err != nil {
		return "", err
	}
	return find(dir, WindowName, filepath.Join("..", "lib", "callboard"))
}

// CLIProgram finds the callboard executable the window starts the
// built-in plugins with, so that plugin processes load no GTK: beside the
// window, else ../../bin/callboard from its folder (the window in
// /usr/lib/callboard, the CLI in /usr/bin); $CALLBOARD_PLUGIN_PROGRAM
// overrides both. On Linux the program is opened now and named through
// /proc/self/fd, so plugins keep starting from this binary after an
// upgrade has replaced its file with one this window must not talk to.
func CLIProgram() (string, error) {
	path := os.Getenv(PluginProgramEnv)
	if path == "" {
		dir, err := selfDir()
		if err != nil {
			return "", err
		}
		if path, err = find(dir, CLIName, filepath.Join("..", "..", "bin")); err != nil {
			return "", fmt.Errorf("find the callboard program for the built-in plugins: %w", err)
		}
	}
	return hold(path)
}

// selfDir is the folder of the running executable, symlinks resolved: a
// link to build/bin/callboard on the PATH finds build/bin/callboard-window.
func selfDir() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the running executable: %w", err)
	}
	if real, err := filepath.EvalSymlinks(self); err == nil {
		self = real
	}
	return filepath.Dir(self), nil
}

// find looks for the executable name in dir, then in dir/fallback.
func find(dir, name, fallback string) (string, error) {
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	for _, path := range []string{filepath.Join(dir, name), filepath.Join(dir, fallback, name)} {
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
			return path, nil
		}
	}
	return "", fmt.Errorf("no %s in %s or %s: %w", name, dir, filepath.Join(dir, fallback), fs.ErrNotExist)
}
